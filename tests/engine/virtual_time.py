"""A clock and a sleep for exact timing tests: virtual time that jumps from one wake-up
to the next, so every sleep lasts exactly what it asked for on the run's clock."""

from __future__ import annotations

import asyncio
import heapq
import itertools


class VirtualTime:
    """Sleepers wake in order of their wake-up time; the clock jumps to each in turn after
    a short real pause (REAL_YIELD_S) that lets real servers answer in between.

    `early` imitates a timer that fires before its time (uvloop rounds its timers to the
    millisecond): a sleep of d wakes at d - early on the clock.
    """

    REAL_YIELD_S = 0.002

    def __init__(self, early: float = 0.0):
        self.now = 1000.0
        self.early = early
        self.sleeps: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._driver: asyncio.Task[None] | None = None

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        wake = self.now + (seconds - self.early if seconds > self.early else seconds)
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (wake, next(self._order), future))
        if self._driver is None or self._driver.done():
            self._driver = asyncio.ensure_future(self._drive())
        await future

    async def _drive(self) -> None:
        while self._sleepers:
            await asyncio.sleep(self.REAL_YIELD_S)
            wake, _, future = heapq.heappop(self._sleepers)
            if future.done():  # cancelled meanwhile
                continue
            self.now = max(self.now, wake)
            future.set_result(None)
