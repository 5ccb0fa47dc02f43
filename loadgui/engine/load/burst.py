"""Burst mode: N requests released at the same instant, optionally every T seconds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from loadgui.engine.http.seam import Client
from loadgui.engine.load.mix import Plan, RequestMix
from loadgui.engine.stats.bursts import BurstStats, burst_stats
from loadgui.engine.stats.recorder import Recorder
from loadgui.profile import Profile


class BurstHost(Protocol):
    """What the burst driver needs of its run (the run imports this module, not the reverse)."""

    profile: Profile
    recorder: Recorder
    mix: RequestMix
    issued: int
    clock: Callable[[], float]

    @property
    def elapsed(self) -> float: ...

    def client_for(self, clients: dict[int, Client], target: int) -> Client: ...

    async def send_request(self, client: Client, plan: Plan, intended: float | None) -> None:
        ...

    def request_done(self) -> None: ...


class BurstDriver:
    """Opens every connection first (where the client can), then releases all N together."""

    def __init__(self, run: BurstHost):
        self.run = run
        self.stats: list[BurstStats] = []
        self._clients: list[dict[int, Client]] = [
            {} for _ in range(run.profile.load.concurrency)]

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

        async def one(client: Client, plan: Plan) -> None:
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
            base, held = run.recorder.held()  # rows below `base` may have been dropped
            rows = slice(max(first_row - base, 0), len(run.recorder) - base)
            self.stats.append(burst_stats(held, rows, start))
