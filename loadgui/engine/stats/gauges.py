"""What the generator itself was doing over time: workers allowed, attempts in flight,
sends scheduled, and how late its event loop woke up. Sampled by the run a few times a second."""

from __future__ import annotations

import math

import numpy as np

from loadgui.engine.stats.basics import percentiles

_T, _LEVEL, _IN_FLIGHT, _ASKED, _LAG = range(5)


class Gauges:
    """Samples taken at the run's control period (a few per second: small, bounded by time),
    kept in one growable numpy table, since every report (30 a second in the window) reads
    them all."""

    def __init__(self, capacity: int = 1024) -> None:
        self._table = np.zeros((capacity, 5))
        self._n = 0

    def sample(self, t: float, level: int, in_flight: int, asked: int, lag: float) -> None:
        if self._n == len(self._table):
            bigger = np.zeros((2 * len(self._table), 5))
            bigger[:self._n] = self._table
            self._table = bigger
        self._table[self._n] = (t, level, in_flight, asked, max(0.0, lag))
        self._n += 1

    @property
    def latest_lag(self) -> float:
        return float(self._table[self._n - 1, _LAG]) if self._n else 0.0

    def __len__(self) -> int:
        return self._n

    def per_interval(self, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Level, in-flight (the last sample at or before each edge) and scheduled sends per
        second over each interval ending at `edges`."""
        if not self._n or len(edges) == 0:
            empty = np.zeros(0)
            return empty, empty, empty
        table = self._table[:self._n]
        last = np.clip(np.searchsorted(table[:, _T], edges, side="right") - 1, 0, self._n - 1)
        chosen = table[last]
        widths = np.diff(edges, prepend=0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            asked_rps = np.where(widths > 0, np.diff(chosen[:, _ASKED], prepend=0.0) / widths,
                                 0.0)
        return chosen[:, _LEVEL], chosen[:, _IN_FLIGHT], asked_rps

    def lag(self) -> tuple[float, float]:
        """The event loop's largest and 99th-percentile wake-up lag, seconds (NaN: no sample)."""
        if not self._n:
            return math.nan, math.nan
        values = self._table[:self._n, _LAG]
        return float(values.max()), percentiles(values, (99.0,))[0]
