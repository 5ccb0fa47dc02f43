"""Per-value totals of one column (request, target, key, status, error), kept as rows arrive.

Locust's per-name entries are the model: counts and a latency histogram per value, folded
from new rows only, so a live report costs O(new rows). The final report recomputes each
group's latency exactly from the columns (`exact_latencies`).
"""

from __future__ import annotations

import numpy as np

from loadgui.engine.stats.basics import grown
from loadgui.engine.stats.figures import LatencyFigures
from loadgui.engine.stats.histogram import LatencyHistogram

# Column -> the offset that makes its smallest value slot 0 (keys: -1 is "no key").
DIMENSIONS: dict[str, int] = {"request": 0, "target": 0, "key": 1, "status": 0, "error": 0}
STATUS_SLOTS = 1000


def _slots(column: str, values: np.ndarray) -> np.ndarray:
    slots = values.astype(np.int64) + DIMENSIONS[column]
    return np.clip(slots, 0, STATUS_SLOTS - 1) if column == "status" else slots


def _split(slots: np.ndarray, values: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """`values` grouped by slot: (slot, that slot's values, in row order) for each slot
    present. Most folds have one slot (one request, one target, every answer a 200): no sort."""
    if len(slots) == 0:
        return []
    low, high = int(slots.min()), int(slots.max())
    if low == high:
        return [(low, values)]
    order = np.argsort(slots, kind="stable")
    slots, values = slots[order], values[order]
    present, starts = np.unique(slots, return_index=True)
    ends = [*starts[1:].tolist(), len(slots)]
    return [(int(s), values[a:b]) for s, a, b in zip(present, starts.tolist(), ends,
                                                     strict=True)]


class DimensionTotals:
    """Counts, bytes and a latency histogram of timed attempts, per value of one column."""

    def __init__(self, column: str):
        self.column = column
        self.offset = DIMENSIONS[column]
        self.requests = np.zeros(0, np.int64)
        self.successes = np.zeros(0, np.int64)
        self.exceptions = np.zeros(0, np.int64)
        self.bytes = np.zeros(0, np.int64)
        self.latency: dict[int, LatencyHistogram] = {}

    def fold(self, values: np.ndarray, ok: np.ndarray, no_response: np.ndarray,
             nbytes: np.ndarray, latency: np.ndarray, timed: np.ndarray) -> None:
        """`latency` is that of the `timed` rows (basics.timed_mask)."""
        if len(values) == 0:
            return
        slots = _slots(self.column, values)
        size = max(len(self.requests), int(slots.max()) + 1)
        self._grow(size)
        self.requests += np.bincount(slots, minlength=size)
        self.successes += np.bincount(slots[ok], minlength=size)
        self.exceptions += np.bincount(slots[no_response], minlength=size)
        np.add.at(self.bytes, slots, nbytes.astype(np.int64))
        for slot, group in _split(slots[timed], latency):
            self.latency.setdefault(slot, LatencyHistogram()).add_many(group)

    def _grow(self, size: int) -> None:
        self.requests = grown(self.requests, size)
        self.successes = grown(self.successes, size)
        self.exceptions = grown(self.exceptions, size)
        self.bytes = grown(self.bytes, size)

    def used(self) -> list[int]:
        """Slots that hold at least one attempt, in slot order."""
        return [int(s) for s in np.flatnonzero(self.requests)]

    def value_of(self, slot: int) -> int:
        return slot - self.offset

    def estimated_latency(self, slot: int) -> LatencyFigures:
        histogram = self.latency.get(slot)
        return LatencyFigures.estimated(histogram) if histogram else LatencyFigures()


def exact_latencies(column: str, values: np.ndarray,
                    latency: np.ndarray) -> dict[int, LatencyFigures]:
    """Each slot's latency figures computed exactly from its successful attempts."""
    return {slot: LatencyFigures.exact(group)
            for slot, group in _split(_slots(column, values), latency)}
