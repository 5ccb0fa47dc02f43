"""Burst mode: N requests released at the same instant, optionally every T seconds."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from loadgui.engine.http.seam import Client
from loadgui.engine.stats.basics import to_ms

if TYPE_CHECKING:
    from loadgui.engine.load.run import Run


@dataclass(frozen=True)
class BurstStats:
    """One burst. Times in seconds; `start` from the run's start, the rest from the burst's."""

    start: float
    size: int
    send_spread: float  # last first-attempt send minus the first one
    first_done: float
    median_done: float
    last_done: float

    def to_dict(self) -> dict:

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


class BurstDriver:
    """Opens every connection first (where the client can), then releases all N together."""

    def __init__(self, run: Run):
        self.run = run
        self.stats: list[BurstStats] = []
        self._clients: list[dict[int, Client]] = [{} for _ in range(run.profile.load.concurrency)]

    async def drive(self) -> None:
        run, load, limits = self.run, self.run.profile.load, self.run.profile.limits
        while True:
            size = load.concurrency
            if limits.total_requests is not None:
                size = min(size, limits.total_requests - run.issued)
            if size <= 0:
                return
            burst_started = run.clock()
            await self._burst(size)
            if load.burst_interval <= 0:
                return
            await asyncio.sleep(max(0.0, burst_started + load.burst_interval - run.clock()))

    async def _burst(self, size: int) -> None:
        run = self.run
        plans = [run.mix.plan() for _ in range(size)]
        clients = [run.client_for(self._clients[i], plan.target) for i, plan in enumerate(plans)]
        await asyncio.gather(*(client.connect() for client in clients))
        release = asyncio.Event()
        first_row = len(run.recorder)

        async def one(client: Client, plan) -> None:
            await release.wait()
            await run.send_request(client, plan, None)
            run.request_done()

        tasks = [asyncio.ensure_future(one(c, p)) for c, p in zip(clients, plans, strict=True)]
        run.issued += size
        await asyncio.sleep(0)  # every task now waits on the release
        start = run.elapsed
        release.set()
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            rows = slice(first_row, len(run.recorder))
            self.stats.append(burst_stats(run.recorder.columns(), rows, start))
