"""Passes and failures of every check, per request, folded from the `checks` column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from loadgui.engine.stats.basics import grown

MASK_BITS = 32  # the `checks` column is a uint32: one bit per check of a request


@dataclass(frozen=True, slots=True)
class CheckFigures:
    """One check of one request: how many answered attempts passed and failed it."""

    request: str
    name: str
    passes: int
    fails: int

    @property
    def pass_rate(self) -> float:
        """Passes over answered attempts; NaN before the first answer."""
        answered = self.passes + self.fails
        return self.passes / answered if answered else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {"request": self.request, "name": self.name, "passes": self.passes,
                "fails": self.fails}


class CheckTotals:
    """Kept up to date from new rows only (O(new rows)). Every check of a request is
    evaluated on each of its answered attempts (status != 0), so a check's passes are the
    request's answered attempts less the check's failures."""

    def __init__(self) -> None:
        self._answered = np.zeros(0, dtype=np.int64)  # per request index
        self._fails = np.zeros((0, MASK_BITS), dtype=np.int64)  # per request index and bit

    def fold(self, cols: dict[str, np.ndarray], new: slice) -> None:
        """Fold the rows `new` of `cols` in."""
        masks = cols["checks"][new]
        if not len(masks):
            return
        answered = cols["status"][new] != 0
        requests = cols["request"][new]
        counts = np.bincount(requests[answered], minlength=len(self._answered))
        self._answered = grown(self._answered, len(counts))
        self._fails = grown(self._fails, len(counts))
        self._answered += counts
        failed = masks != 0
        if failed.any():
            # Bit i of each failing row's mask, as a column of 0s and 1s.
            bits = np.unpackbits(masks[failed].astype("<u4").view(np.uint8).reshape(-1, 4),
                                 axis=1, bitorder="little")
            np.add.at(self._fails, requests[failed], bits.astype(np.int64))

    def figures(self, check_names: dict[str, list[str]]) -> tuple[CheckFigures, ...]:
        """Per request name, its checks' names in bit order -> each check's figures. The
        i-th name is request index i (check_names lists the whole mix in order)."""
        out = []
        for index, (request, names) in enumerate(check_names.items()):
            known = index < len(self._answered)
            answered = int(self._answered[index]) if known else 0
            for bit, name in enumerate(names[:MASK_BITS]):
                fails = int(self._fails[index, bit]) if known else 0
                out.append(CheckFigures(request, name, answered - fails, fails))
        return tuple(out)
