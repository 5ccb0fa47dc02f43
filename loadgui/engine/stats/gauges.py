"""What the generator itself was doing over time: workers allowed, attempts in flight,
sends scheduled, and how late its event loop woke up. Sampled by the run a few times a second."""

from __future__ import annotations

import math

import numpy as np

from loadgui.engine.stats.basics import percentiles


class Gauges:
    """Samples taken at the run's control period (a few per second: small, bounded by time)."""

    def __init__(self) -> None:
        self._t: list[float] = []
        self._level: list[int] = []
        self._in_flight: list[int] = []
        self._asked: list[int] = []
        self._lag: list[float] = []

    def sample(self, t: float, level: int, in_flight: int, asked: int, lag: float) -> None:
        self._t.append(t)
        self._level.append(level)
        self._in_flight.append(in_flight)
        self._asked.append(asked)
        self._lag.append(max(0.0, lag))

    @property
    def latest_lag(self) -> float:
        return self._lag[-1] if self._lag else 0.0

    def __len__(self) -> int:
        return len(self._t)

    def per_interval(self, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Level, in-flight (the last sample at or before each edge) and scheduled sends per
        second over each interval ending at `edges`."""
        if not self._t or len(edges) == 0:
            empty = np.zeros(0)
            return empty, empty, empty
        t = np.asarray(self._t)
        last = np.clip(np.searchsorted(t, edges, side="right") - 1, 0, len(t) - 1)
        level = np.asarray(self._level)[last].astype(np.float64)
        in_flight = np.asarray(self._in_flight)[last].astype(np.float64)
        asked = np.asarray(self._asked, dtype=np.float64)[last]
        widths = np.diff(edges, prepend=0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            asked_rps = np.where(widths > 0, np.diff(asked, prepend=0.0) / widths, 0.0)
        return level, in_flight, asked_rps

    def lag(self) -> tuple[float, float]:
        """The event loop's largest and 99th-percentile wake-up lag, seconds (NaN: no sample)."""
        if not self._lag:
            return math.nan, math.nan
        values = np.asarray(self._lag)
        return float(values.max()), percentiles(values, (99.0,))[0]
