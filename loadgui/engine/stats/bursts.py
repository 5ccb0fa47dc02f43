"""A burst's figures: how tightly its requests left and when they completed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from loadgui.engine.stats.units import to_ms


@dataclass(frozen=True)
class BurstStats:
    """One burst. Times in seconds; `start` from the run's start, the rest from the burst's."""

    start: float
    size: int
    send_spread: float  # last first-attempt send minus the first one
    first_done: float
    median_done: float
    last_done: float

    def to_dict(self) -> dict[str, Any]:
        return {"start_s": round(self.start, 3), "size": self.size,
                "send_spread_ms": to_ms(self.send_spread), "first_done_ms": to_ms(self.first_done),
                "median_done_ms": to_ms(self.median_done), "last_done_ms": to_ms(self.last_done)}


def burst_stats(columns: dict[str, np.ndarray], rows: slice, start: float) -> BurstStats:
    """From a burst's rows: how tightly its requests left and when they completed."""
    first = columns["attempt"][rows] == 1
    sent = columns["t_start"][rows][first]
    done = (sent + columns["latency"][rows][first]) - start
    if not len(sent):
        return BurstStats(start, 0, math.nan, math.nan, math.nan, math.nan)
    return BurstStats(start, len(sent), float(sent.max() - sent.min()), float(done.min()),
                      float(np.median(done)), float(done.max()))
