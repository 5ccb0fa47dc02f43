"""Per API key: attempts, successes, 401/403, 429, latency, last status; and its rests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class KeyRest:
    """A key taken out of the rotation (quarantine): from, until (None: for good), why."""

    key: int
    start: float  # seconds since the run started
    end: float | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "start_s": round(self.start, 3),
                "end_s": None if self.end is None else round(self.end, 3),
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """Filled in by the per-key accounting work (see docs/report.md)."""

    key: int

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key}


class KeyTotals:
    """Kept up to date from new rows only (O(new rows))."""

    def fold(self, cols: dict[str, np.ndarray], new: slice, ok: np.ndarray) -> None:
        """Fold the rows `new` of `cols` in; `ok` is their success mask."""

    def figures(self) -> tuple[KeyFigures, ...]:
        return ()
