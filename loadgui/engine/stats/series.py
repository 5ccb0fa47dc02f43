"""Per-interval series for the plots, computed once per interval as intervals close."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from loadgui.engine.stats.basics import percentiles, success_mask, timed_mask
from loadgui.engine.stats.units import to_ms

STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx", "errors")
_FIELDS = ("t", "requests", "avg", "p50", "p90", "p99", "error_rate", *STATUS_CLASSES)


@dataclass(frozen=True)
class Series:
    """One value per interval (by completion time). Latencies in seconds, NaN without successes.

    `t` is each interval's end; the last entry may be the still-open interval, ending at `elapsed`.
    """

    t: np.ndarray
    requests: np.ndarray
    avg: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    p99: np.ndarray
    error_rate: np.ndarray
    classes: dict[str, np.ndarray] = field(default_factory=dict)
    # From the run's gauges, one value per interval (empty when the run has none):
    level: np.ndarray = field(default_factory=lambda: np.zeros(0))  # workers allowed to send
    in_flight: np.ndarray = field(default_factory=lambda: np.zeros(0))  # attempts under way
    asked_rps: np.ndarray = field(default_factory=lambda: np.zeros(0))  # sends scheduled /s

    @property
    def cumulative(self) -> np.ndarray:
        return np.cumsum(self.requests)

    @property
    def rps(self) -> np.ndarray:
        """Requests per second in each interval (the open one scaled by its length so far)."""
        widths = np.diff(self.t, prepend=0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(widths > 0, self.requests / widths, 0.0)


    def to_dict(self) -> dict[str, Any]:
        """Columns of numbers; latencies in milliseconds, null where an interval had none."""
        def ms(values: np.ndarray) -> list[float | None]:
            return [to_ms(float(v)) for v in values]

        return {
            "t_s": [round(float(v), 3) for v in self.t],
            "requests": [int(v) for v in self.requests],
            "rps": [round(float(v), 2) for v in self.rps],
            "responses": {name: [int(v) for v in values] for name, values in self.classes.items()},
            "latency_ms": {"avg": ms(self.avg), "p50": ms(self.p50), "p90": ms(self.p90),
                           "p99": ms(self.p99)},
            "error_rate": [round(float(v), 6) for v in self.error_rate],
            "level": [int(v) for v in self.level],
            "in_flight": [round(float(v), 1) for v in self.in_flight],
            "asked_rps": [round(float(v), 2) for v in self.asked_rps],
        }


def interval_stats(t_end: float, status: np.ndarray, error: np.ndarray,
                   latency: np.ndarray) -> tuple[float, ...]:
    """The row of one interval, in the order of _FIELDS."""
    count = len(status)
    ok_latency = latency[timed_mask(status, error)]
    avg = float(ok_latency.mean()) if len(ok_latency) else math.nan
    p50, p90, p99 = percentiles(ok_latency)
    failed = count - int(success_mask(status, error).sum())
    classes = [int(((status >= lo) & (status < lo + 100)).sum()) for lo in (200, 300, 400, 500)]
    classes.append(int((status == 0).sum()))
    error_rate = failed / count if count else 0.0
    return (t_end, count, avg, p50, p90, p99, error_rate, *classes)


class IntervalSeries:
    """Caches closed intervals so that a live report costs O(rows since the last one).

    With `scope=(column, value)` it counts only the rows of one request or target.
    """

    def __init__(self, interval: float, scope: tuple[str, int] | None = None):
        self.interval = interval
        self.scope = scope
        self._cursor = 0  # first row (of all columns) not yet in a closed interval
        self._closed: list[tuple[float, ...]] = []

    def update(self, cols: dict[str, np.ndarray], elapsed: float, first: int = 0) -> Series:
        """The series up to `elapsed`; `cols` holds rows [first, ...) of the run (a recorder
        that dropped its older rows), and must hold every row from the cursor on."""
        dt = self.interval
        closable = math.floor(elapsed / dt + 1e-9)
        start = self._cursor - first
        if start < 0:
            raise ValueError(f"rows from {self._cursor} are needed, the columns start at {first}")
        t_end = cols["t_start"][start:] + cols["latency"][start:]
        status, error = cols["status"][start:], cols["error"][start:]
        latency = cols["latency"][start:]
        if self.scope is not None:
            mine = cols[self.scope[0]][start:] == self.scope[1]
            status, error, latency = status[mine], error[mine], latency[mine]
            scoped_end = t_end[mine]
        else:
            scoped_end = t_end
        lo = 0
        if closable > len(self._closed):
            edges = np.arange(len(self._closed) + 1, closable + 1) * dt
            splits = np.searchsorted(scoped_end, edges, side="left")
            for edge, hi in zip(edges, splits, strict=True):
                self._closed.append(interval_stats(
                    float(edge), status[lo:hi], error[lo:hi], latency[lo:hi]))
                lo = int(hi)
            # Every row, in scope or not, that ended by the last closed edge is done with.
            self._cursor = first + start + int(np.searchsorted(t_end, edges[-1], side="left"))
        return self._series(status[lo:], error[lo:], latency[lo:], elapsed)

    def close(self, cols: dict[str, np.ndarray], until: float, first: int = 0) -> int:
        """Close the intervals ending by `until` (no row ending earlier is still to come);
        returns the first row (of the run) still needed: the rows before it are done with."""
        self.update(cols, until, first)
        return self._cursor

    def _series(self, status: np.ndarray, error: np.ndarray, latency: np.ndarray,
                elapsed: float) -> Series:
        dt = self.interval
        rows = list(self._closed)
        if elapsed > len(self._closed) * dt or len(status):
            rows.append(interval_stats(max(elapsed, len(self._closed) * dt), status, error,
                                       latency))
        table = np.array(rows, dtype=np.float64).reshape(-1, len(_FIELDS))
        values = dict(zip(_FIELDS, table.T, strict=True))
        return Series(
            t=values["t"], requests=values["requests"], avg=values["avg"], p50=values["p50"],
            p90=values["p90"], p99=values["p99"], error_rate=values["error_rate"],
            classes={name: values[name] for name in STATUS_CLASSES},
        )
