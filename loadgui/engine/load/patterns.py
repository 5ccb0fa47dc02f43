"""Traffic shapes: how many workers are active as a run progresses.

A shape is a function of the run's progress x in [0, 1] (elapsed / duration, or done / total for a
run limited only by count) that returns the active level between 1 and the peak.
"""

from __future__ import annotations

import math

SIN_CYCLES = 3
SIN_LOW_FRACTION = 0.1
STEP_COUNT = 4
SPIKE_BASE_FRACTION = 0.2
SPIKE_START, SPIKE_END = 0.45, 0.55
# Without a duration or count there is no run length; shapes then repeat over this period.
OPEN_ENDED_PERIOD_S = 60.0


def fraction(pattern: str, x: float) -> float:
    """The share of the peak level the pattern asks for at progress x (clamped to [0, 1])."""
    x = min(max(x, 0.0), 1.0)
    if pattern == "constant":
        return 1.0
    if pattern == "linear":
        return x
    if pattern == "sin":
        wave = 0.5 - 0.5 * math.cos(2 * math.pi * SIN_CYCLES * x)
        return SIN_LOW_FRACTION + (1 - SIN_LOW_FRACTION) * wave
    if pattern == "step":
        return min(math.floor(x * STEP_COUNT) + 1, STEP_COUNT) / STEP_COUNT
    if pattern == "spike":
        return 1.0 if SPIKE_START <= x < SPIKE_END else SPIKE_BASE_FRACTION
    raise ValueError(f"unknown traffic pattern {pattern!r}")


def level(pattern: str, x: float, peak: int) -> int:
    """Active workers at progress x: at least 1, at most peak.

    `linear` ramps from 1 to peak, so the interpolation starts at 1 rather than 0.
    """
    if pattern == "linear":
        value = 1 + (peak - 1) * min(max(x, 0.0), 1.0)
    else:
        value = peak * fraction(pattern, x)
    return max(1, min(peak, round(value)))


def rate(pattern: str, x: float, peak: float) -> float:
    """Requests/s at progress x for an open-model run: the same shapes, on a continuous scale.

    `linear` ramps from 1/s (or the peak, if lower) to the peak.
    """
    if pattern == "linear":
        low = min(1.0, peak)
        return low + (peak - low) * min(max(x, 0.0), 1.0)
    return max(peak * fraction(pattern, x), 1e-3)


def progress(elapsed: float, done: int, duration: float | None, total: int | None) -> float:
    """How far through its shape a run is: by time when it has a duration, else by count."""
    if duration:
        return elapsed / duration
    if total:
        return done / total
    return (elapsed % OPEN_ENDED_PERIOD_S) / OPEN_ENDED_PERIOD_S
