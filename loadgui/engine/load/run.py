"""Run: the profile's load sent from this process, on the running asyncio loop."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from loadgui.engine.http.factory import ClientFactory
from loadgui.engine.http.factory import client_factory as default_client_factory
from loadgui.engine.http.seam import Client
from loadgui.engine.http.urls import display_url
from loadgui.engine.load import patterns
from loadgui.engine.load.attempts import Attempts
from loadgui.engine.load.burst import BurstDriver
from loadgui.engine.load.handle import RunCore
from loadgui.engine.load.mix import Plan, RequestMix
from loadgui.engine.stats.key_totals import KeyRest
from loadgui.engine.stats.recorder import Recorder
from loadgui.profile import Profile

__all__ = ["Run"]

CONTROL_PERIOD_S = 0.1
CLOCK_RESOLUTION_S = 1e-9
CLOSE_TIMEOUT_S = 1.0
# When a run ends, attempts in flight get this long to finish (recorded as they are);
# the rest are cancelled and recorded as `cancelled`, never dropped.
END_GRACE_S = 0.5
# Open model: how many scheduled sends may wait for a free worker (per worker, or this many
# seconds of the asked rate, whichever is more) before more are dropped and counted instead
# of queued without bound behind a stalled server.
BACKLOG_PER_WORKER = 10
BACKLOG_SECONDS = 5.0

Sleep = Callable[[float], Awaitable[None]]


class Run(RunCore):
    """Sends one profile's load on the running asyncio loop; results go to `recorder`.

    Closed model (`concurrency`): workers each send their next request when the previous one
    ends; the traffic pattern decides how many of them are active at each moment.
    Open model (`rate`): a dispatcher schedules sends at intended times shaped by the pattern
    and `concurrency` workers take them; a send never starts before its intended time, a
    late one records its wait, and its latency counts from the intended time, so a stalled
    server shows in the percentiles. `clock` and `sleep` are injectable for exact tests.
    """

    def __init__(self, profile: Profile, *, clock: Callable[[], float] = time.perf_counter,
                 sleep: Sleep = asyncio.sleep, client_factory: ClientFactory | None = None,
                 rng: random.Random | None = None, recorder: Recorder | None = None,
                 start_at: float | None = None, top_level: bool = True,
                 wall_clock: Callable[[], float] = time.time):
        super().__init__(profile, clock=clock, recorder=recorder, top_level=top_level)
        profile = self.profile
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._attempts = Attempts(profile, self.recorder, clock=clock, sleep=sleep,
                                  wall_clock=wall_clock, rng=self._rng, fail=self.fail)
        self._client_factory = client_factory or default_client_factory(profile)
        self._start_at = start_at
        self.mix = RequestMix(profile, self._rng)
        self.issued = 0  # requests started (retries not counted)
        self._done_count = 0  # requests whose last attempt has ended
        self._level = 0
        self._level_raised = asyncio.Event()
        self._finished = asyncio.Event()
        self._clients: list[Client] = []
        self._worker_clients = [dict[int, Client]() for _ in range(profile.load.concurrency)]
        self._prepared = False
        self._open_model = profile.load.mode == "rate"
        self.bursts = BurstDriver(self) if profile.load.mode == "burst" else None
        self._schedule: asyncio.Queue[float] = asyncio.Queue()
        self.asked = 0  # sends the open model scheduled so far
        self.dropped = 0  # scheduled sends skipped: too many already waited for a worker

    # --- what observers read -------------------------------------------------------------------
    @property
    def level(self) -> int:
        """Workers currently allowed to send (the traffic pattern's level)."""
        return self._level

    @property
    def in_flight(self) -> int:
        return self._attempts.in_flight

    @property
    def retry_after_waits(self) -> int:
        """Retries whose wait the server's Retry-After set."""
        return self._attempts.retry_after_waits

    @property
    def _draining(self) -> bool:
        return self._attempts.draining

    @property
    def completed_requests(self) -> int:
        return self._done_count

    def _done(self) -> int:
        return self._done_count

    def start_at(self, t0: float) -> None:
        """Count the run from this clock reading (a worker process takes its parent's)."""
        self._start_at = t0

    def _facts(self) -> dict[str, Any]:
        bursts = tuple(self.bursts.stats) if self.bursts is not None else ()
        return {"asked": self.asked, "dropped": self.dropped, "level": self._level,
                "in_flight": self.in_flight, "bursts": bursts,
                "key_rests": self.report_key_rests(),
                "retry_after_waits": self.retry_after_waits}

    def report_key_rests(self) -> tuple[KeyRest, ...]:
        """The API keys' rests so far (quarantine), in seconds since the run started."""
        return self._attempts.keys.rests(self._t0 if self._t0 is not None else self.clock())

    def _wake(self) -> None:
        self._finished.set()

    # --- running -----------------------------------------------------------------------------
    async def prepare(self) -> None:
        """Make a client for every target, and in rate mode open every worker's connection,
        before the clock starts: a client that cannot be made fails the run before any load,
        and the schedule's first sends don't wait for connections."""
        if self._prepared:
            return
        self._prepared = True
        for target, url in enumerate(self.mix.targets):
            try:
                self.client_for(self._worker_clients[0], target)
            except Exception as exc:
                self.fail(f"cannot send to {display_url(url)}: {exc}")
                return
        if self._open_model:
            clients = [self.client_for(clients, 0) for clients in self._worker_clients]
            timeout = self.profile.target.timeout
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await asyncio.gather(*(client.connect() for client in clients),
                                         return_exceptions=True)

    async def _execute(self) -> None:
        await self.prepare()
        if self._failure is not None or self._stop_requested:
            return
        self._t0 = self.clock() if self._start_at is None else self._start_at
        self._set_level(self._target_level())
        if self.bursts is not None:
            workers = [asyncio.ensure_future(self._drive_bursts())]
        else:
            workers = [asyncio.ensure_future(self._worker(i))
                       for i in range(self.profile.load.concurrency)]
        if self._open_model:
            workers.append(asyncio.ensure_future(self._dispatch()))
        for worker in workers:
            worker.add_done_callback(self._worker_ended)
        try:
            await self._control()
        finally:
            self._t_end = self.clock()
            await self._shut_down(workers)

    def _worker_ended(self, task: asyncio.Future[None]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:  # no exception leaves a worker unrecorded
            self.fail(f"a worker stopped with an internal error: {type(exc).__name__}: {exc}")

    async def _control(self) -> None:
        duration = self.profile.limits.duration
        assert self._t0 is not None
        while not self._finished.is_set():
            timeout = CONTROL_PERIOD_S
            if duration is not None:
                remaining = duration - (self.clock() - self._t0)
                if remaining <= CLOCK_RESOLUTION_S:  # a float clock can't move by less
                    return
                timeout = min(timeout, remaining)
            before = self.clock()
            await self._wait_finished(timeout)
            now = self.clock()
            self._set_level(self._target_level())
            self.gauges.sample(now - self._t0, self._level, self.in_flight, self.asked,
                               now - before - timeout)

    async def _wait_finished(self, timeout: float) -> None:
        sleeper = asyncio.ensure_future(self._sleep(timeout))
        waiter = asyncio.ensure_future(self._finished.wait())
        try:
            await asyncio.wait({sleeper, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            waiter.cancel()

    async def _shut_down(self, workers: Sequence[asyncio.Future[None]]) -> None:
        attempts = self._attempts
        attempts.draining = True
        if attempts.in_flight:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(attempts.idle.wait(), END_GRACE_S)
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        closing = asyncio.gather(*(c.aclose() for c in self._clients), return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing, CLOSE_TIMEOUT_S)
        self._clients.clear()

    async def _drive_bursts(self) -> None:
        assert self.bursts is not None
        await self.bursts.drive()
        self._finished.set()  # the last burst is done (a duration or stop() may come first)

    def _target_level(self) -> int:
        load, limits = self.profile.load, self.profile.limits
        if self._open_model or self.bursts is not None:
            return load.concurrency  # all may work; the schedule decides when
        x = patterns.progress(self.elapsed, self._done_count, limits.duration,
                              limits.total_requests)
        return patterns.level(load.pattern, x, load.concurrency)

    def _set_level(self, level: int) -> None:
        raised = level > self._level
        self._level = level
        if raised:
            self._level_raised.set()
            self._level_raised = asyncio.Event()

    # --- workers -----------------------------------------------------------------------------
    async def _worker(self, index: int) -> None:
        total = self.profile.limits.total_requests
        clients = self._worker_clients[index]
        while not self._draining:
            if self._open_model:
                intended: float | None = await self._schedule.get()
            else:
                while index >= self._level:
                    await self._level_raised.wait()
                if total is not None and self.issued >= total:
                    return
                self.issued += 1
                intended = None
            if self._draining:
                return
            plan = self.mix.plan()
            await self.send_request(self.client_for(clients, plan.target), plan, intended)
            self.request_done()

    def client_for(self, clients: dict[int, Client], target: int) -> Client:
        """A worker's client for a target, made on first use."""
        client = clients.get(target)
        if client is None:
            client = clients[target] = self._client_factory(self.mix.targets[target])
            self._clients.append(client)
        return client

    def request_done(self) -> None:
        self._done_count += 1
        total = self.profile.limits.total_requests
        if total is not None and self._done_count >= total:
            self._finished.set()

    async def _dispatch(self) -> None:
        """Open model: put each send's intended time on the schedule, at the pattern's rate."""
        load, limits = self.profile.load, self.profile.limits
        total, clock = limits.total_requests, self.clock
        assert self._t0 is not None
        t0 = self._t0
        backlog = max(BACKLOG_PER_WORKER * load.concurrency, int(load.rate * BACKLOG_SECONDS))
        intended = t0
        while total is None or self.issued < total:
            # A timer may fire early (uvloop rounds to the millisecond): never send early.
            while (delay := intended - clock()) > 0:
                await self._sleep(delay)
            self.issued += 1
            self.asked += 1
            if self._schedule.qsize() >= backlog:
                self.dropped += 1
                self.request_done()
            else:
                self._schedule.put_nowait(intended)
            x = patterns.progress(intended - t0, self._done_count, limits.duration, total)
            intended += 1.0 / patterns.rate(load.pattern, x, load.rate)

    async def send_request(self, client: Client, plan: Plan, intended: float | None) -> None:
        """One request: its attempts, each recorded exactly once (see Attempts.send)."""
        assert self._t0 is not None
        await self._attempts.send(client, plan, intended, self._t0)
