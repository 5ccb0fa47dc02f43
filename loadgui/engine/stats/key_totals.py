"""Per API key: attempts, successes, 401/403, 429, latency, last status; and its rests.

Attempts, successes and latency histograms per key are the `key` dimension's
(groups.DimensionTotals, folded once for the breakdowns); KeyTotals adds what only keys
need: answers that speak of the key (401, 403, 429) and each key's last status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from loadgui.engine.stats.basics import grown
from loadgui.engine.stats.figures import LatencyFigures
from loadgui.engine.stats.groups import DimensionTotals

KEY_STATUSES = (401, 403, 429)


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
    """One API key's attempts and answers (by index: the key itself is never shown)."""

    key: int
    attempts: int = 0
    successes: int = 0
    unauthorized: int = 0  # answered 401
    forbidden: int = 0  # answered 403
    rate_limited: int = 0  # answered 429
    latency: LatencyFigures = field(default_factory=LatencyFigures)  # over its successes
    last_status: int = 0  # of its latest recorded attempt (0: no response)
    resting: bool = False  # quarantined at the report's moment
    resting_until: float | None = None  # seconds since the start; None when for good

    def to_dict(self) -> dict[str, Any]:
        until = None if self.resting_until is None else round(self.resting_until, 3)
        return {"key": self.key, "attempts": self.attempts, "successes": self.successes,
                "status_401": self.unauthorized, "status_403": self.forbidden,
                "status_429": self.rate_limited, "latency_ms": self.latency.to_dict(),
                "last_status": self.last_status, "resting": self.resting,
                "resting_until_s": until if self.resting else None}


class KeyTotals:
    """Kept up to date from new rows only (O(new rows))."""

    def __init__(self) -> None:
        self.by_status = np.zeros((len(KEY_STATUSES), 0), np.int64)  # status row x key
        self.last_status = np.zeros(0, np.int32)

    def fold(self, cols: dict[str, np.ndarray], new: slice) -> None:
        """Fold the rows `new` of `cols` in."""
        key = cols["key"][new]
        used = key >= 0
        if not used.any():
            return
        keys, status = key[used].astype(np.int64), cols["status"][new][used]
        size = max(self.last_status.size, int(keys.max()) + 1)
        self.by_status = grown(self.by_status, size, axis=1)
        self.last_status = grown(self.last_status, size)
        for row, code in enumerate(KEY_STATUSES):
            self.by_status[row] += np.bincount(keys[status == code], minlength=size)
        # Each key's last row among the new ones: its first in reverse order.
        present, first_from_end = np.unique(keys[::-1], return_index=True)
        self.last_status[present] = status[::-1][first_from_end]

    def figures(self, dimension: DimensionTotals | None = None,
                exact: dict[int, LatencyFigures] | None = None,
                rests: Sequence[KeyRest] = (), elapsed: float = 0.0) -> tuple[KeyFigures, ...]:
        """Each key used so far, from the `key` dimension's counts and histograms (`exact`:
        slot -> exact latency figures, in a final report), resting as `rests` say at
        `elapsed`."""
        if dimension is None:
            return ()
        resting = _resting(rests, elapsed)
        out = []
        for slot in dimension.used():
            key = dimension.value_of(slot)
            if key < 0:
                continue
            latency = (exact.get(slot, LatencyFigures()) if exact is not None
                       else dimension.estimated_latency(slot))
            counts = [int(self.by_status[row, key]) if key < self.by_status.shape[1] else 0
                      for row in range(len(KEY_STATUSES))]
            rest = resting.get(key)
            out.append(KeyFigures(
                key=key, attempts=int(dimension.requests[slot]),
                successes=int(dimension.successes[slot]), unauthorized=counts[0],
                forbidden=counts[1], rate_limited=counts[2], latency=latency,
                last_status=int(self.last_status[key]) if key < self.last_status.size else 0,
                resting=rest is not None, resting_until=None if rest is None else rest.end))
        return tuple(out)


def _resting(rests: Sequence[KeyRest], elapsed: float) -> dict[int, KeyRest]:
    """Key -> the rest it is in at `elapsed`."""
    return {rest.key: rest for rest in rests
            if rest.start <= elapsed and (rest.end is None or rest.end > elapsed)}
