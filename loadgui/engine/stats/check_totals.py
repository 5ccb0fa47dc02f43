"""Passes and failures of every check, per request, folded from the `checks` column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class CheckFigures:
    """One check of one request: how many answered attempts passed and failed it."""

    request: str
    name: str
    passes: int
    fails: int

    def to_dict(self) -> dict[str, Any]:
        return {"request": self.request, "name": self.name, "passes": self.passes,
                "fails": self.fails}


class CheckTotals:
    """Kept up to date from new rows only (O(new rows))."""

    def fold(self, cols: dict[str, np.ndarray], new: slice) -> None:
        """Fold the rows `new` of `cols` in."""

    def figures(self, check_names: dict[str, list[str]]) -> tuple[CheckFigures, ...]:
        """Per request name, its checks' names in bit order -> each check's figures."""
        return ()
