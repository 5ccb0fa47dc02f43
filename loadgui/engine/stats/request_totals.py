"""Requests, as the user asked for them, beside attempts: retries, amplification, latency
from a request's first send to its final outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class RequestFigures:
    """Filled in by the retry-aware figures work (see docs/report.md)."""

    def to_dict(self) -> dict[str, Any]:
        return {}


class RequestTotals:
    """Kept up to date from new rows only (O(new rows))."""

    def fold(self, cols: dict[str, np.ndarray], new: slice, ok: np.ndarray) -> None:
        """Fold the rows `new` of `cols` in; `ok` is their success mask."""

    def figures(self, final: bool) -> RequestFigures | None:
        return None
