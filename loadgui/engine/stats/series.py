"""Per-interval series for the plots, computed once per interval as intervals close."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from loadgui.engine.stats.basics import percentiles, success_mask

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

    @property
    def cumulative(self) -> np.ndarray:
        return np.cumsum(self.requests)

    @property
    def rps(self) -> np.ndarray:
        """Requests per second in each interval (the open one scaled by its length so far)."""
        widths = np.diff(self.t, prepend=0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(widths > 0, self.requests / widths, 0.0)


def interval_stats(t_end: float, status: np.ndarray, error: np.ndarray,
                   latency: np.ndarray) -> tuple[float, ...]:
    """The row of one interval, in the order of _FIELDS."""
    count = len(status)
    ok_latency = latency[success_mask(status, error)]
    avg = float(ok_latency.mean()) if len(ok_latency) else math.nan
    p50, p90, p99 = percentiles(ok_latency)
    failed = count - len(ok_latency)
    classes = [int(((status >= lo) & (status < lo + 100)).sum()) for lo in (200, 300, 400, 500)]
    classes.append(int((status == 0).sum()))
    error_rate = failed / count if count else 0.0
    return (t_end, count, avg, p50, p90, p99, error_rate, *classes)


class IntervalSeries:
    """Caches closed intervals so that a live snapshot costs O(rows since the last one)."""

    def __init__(self, interval: float):
        self.interval = interval
        self._cursor = 0  # first row not yet in a closed interval
        self._closed: list[tuple[float, ...]] = []

    def update(self, cols: dict[str, np.ndarray], elapsed: float) -> Series:
        dt = self.interval
        closable = math.floor(elapsed / dt + 1e-9)
        start = self._cursor
        t_end = cols["t_start"][start:] + cols["latency"][start:]
        status, error, latency = cols["status"], cols["error"], cols["latency"]
        if closable > len(self._closed):
            edges = np.arange(len(self._closed) + 1, closable + 1) * dt
            splits = np.searchsorted(t_end, edges, side="left") + start
            lo = start
            for edge, hi in zip(edges, splits, strict=True):
                self._closed.append(interval_stats(
                    float(edge), status[lo:hi], error[lo:hi], latency[lo:hi]))
                lo = int(hi)
            self._cursor = lo
        rows = list(self._closed)
        if elapsed > len(self._closed) * dt or self._cursor < len(status):
            c = self._cursor
            rows.append(interval_stats(max(elapsed, len(self._closed) * dt), status[c:],
                                       error[c:], latency[c:]))
        table = np.array(rows, dtype=np.float64).reshape(-1, len(_FIELDS))
        values = dict(zip(_FIELDS, table.T, strict=True))
        return Series(
            t=values["t"], requests=values["requests"], avg=values["avg"], p50=values["p50"],
            p90=values["p90"], p99=values["p99"], error_rate=values["error_rate"],
            classes={name: values[name] for name in STATUS_CLASSES},
        )


def series_of(columns: dict[str, np.ndarray], mask: np.ndarray, interval: float,
              elapsed: float) -> Series:
    """The series of the rows `mask` selects (one request or target), computed afresh."""
    return IntervalSeries(interval).update({name: col[mask] for name, col in columns.items()},
                                           elapsed)
