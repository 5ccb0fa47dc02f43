"""Machines are not processes: each has its own clock, and the driver must put every row on
its own. The offset of a worker's clock is estimated from a few round trips at start (NTP's
rule: the round trip with the least delay bounds the error best), and the worker then counts
its run from the driver's start expressed on its own clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

ROUND_TRIPS = 5


@dataclass(frozen=True, slots=True)
class ClockOffset:
    """worker clock - driver clock, in seconds, and how far off that may be (half the round
    trip it was measured over)."""

    offset: float
    uncertainty: float

    def to_worker(self, driver_time: float) -> float:
        return driver_time + self.offset


def best_offset(samples: Iterable[tuple[float, float, float]]) -> ClockOffset:
    """From (driver before, worker reading, driver after) samples: the offset measured over
    the shortest round trip, taking the worker's reading as made halfway through it."""
    before, worker, after = min(samples, key=lambda s: s[2] - s[0])
    return ClockOffset(worker - (before + after) / 2, (after - before) / 2)


async def estimate_offset(read_worker: Callable[[], Awaitable[float]],
                          clock: Callable[[], float],
                          round_trips: int = ROUND_TRIPS) -> ClockOffset:
    """Ask the worker for its clock `round_trips` times and keep the best estimate."""
    samples = []
    for _ in range(round_trips):
        before = clock()
        worker = await read_worker()
        samples.append((before, worker, clock()))
    return best_offset(samples)
