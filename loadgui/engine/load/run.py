"""A run: workers that send the profile's load until a count, a duration or stop()."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import enum
import random
import time
from collections.abc import Callable

from loadgui.engine.http.factory import ClientFactory
from loadgui.engine.http.factory import client_factory as default_client_factory
from loadgui.engine.http.seam import Client, Outcome
from loadgui.engine.load import patterns
from loadgui.engine.load.backoff import Backoff
from loadgui.engine.load.burst import BurstDriver
from loadgui.engine.load.keys import KeyRing
from loadgui.engine.load.mix import Plan, RequestMix, labels_for
from loadgui.engine.stats.recorder import Recorder, Snapshot
from loadgui.profile import Limits, Profile

CONTROL_PERIOD_S = 0.1
CLOSE_TIMEOUT_S = 1.0
# Open model: how many scheduled sends may wait for a free worker (per worker, or this many
# seconds of the asked rate, whichever is more) before more are dropped and counted instead
# of queued without bound behind a stalled server.
BACKLOG_PER_WORKER = 10
BACKLOG_SECONDS = 5.0


class RunState(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"  # a count or duration limit was reached
    STOPPED = "stopped"  # stop() was called or the run was cancelled
    FAILED = "failed"


def run_progress(limits: Limits, elapsed: float, done: int) -> float | None:
    """How far a run is toward its nearest limit (0..1), or None without limits."""
    parts = []
    if limits.duration:
        parts.append(elapsed / limits.duration)
    if limits.total_requests:
        parts.append(done / limits.total_requests)
    return min(1.0, max(parts)) if parts else None


def is_retryable(outcome: Outcome) -> bool:
    return outcome.status == 0 or outcome.status == 429 or outcome.status >= 500


class Run:
    """Sends one profile's load on the running asyncio loop; results go to `recorder`.

    Closed model (`concurrency`): workers each send their next request when the previous one
    ends; the traffic pattern decides how many of them are active at each moment.
    Open model (`rate`): a dispatcher schedules sends at intended times shaped by the pattern
    and `concurrency` workers take them; a send that starts late records its wait, and its
    latency counts from the intended time, so a stalled server shows in the percentiles.
    """

    def __init__(self, profile: Profile, *, clock: Callable[[], float] = time.perf_counter,
                 client_factory: ClientFactory | None = None,
                 rng: random.Random | None = None, recorder: Recorder | None = None):
        self.profile = profile.validate()
        self.recorder = recorder or Recorder()
        self.state = RunState.PENDING
        self.error: str | None = None
        self._keys = KeyRing(profile.resolved_keys(), profile.keys.header, profile.keys.scheme)
        self.clock = clock
        self._rng = rng or random.Random()
        if client_factory is None:
            client_factory = default_client_factory(profile)
        self._client_factory = client_factory
        self.mix = RequestMix(profile, self._rng)
        self.recorder.labels = labels_for(profile)
        self._t0: float | None = None
        self._t_end: float | None = None
        self.issued = 0  # requests started (retries not counted)
        self._done = 0  # requests whose last attempt has ended
        self._in_flight = 0
        self._level = 0
        self._level_raised = asyncio.Event()
        self._finished = asyncio.Event()
        self._stop_requested = False
        self._clients: list[Client] = []
        self._open_model = profile.load.mode == "rate"
        self.bursts = BurstDriver(self) if profile.load.mode == "burst" else None
        self._schedule: asyncio.Queue[float] = asyncio.Queue()
        self._asked = 0
        self._dropped = 0

    # --- what observers read -------------------------------------------------------------
    @property
    def elapsed(self) -> float:
        if self._t0 is None:
            return 0.0
        end = self._t_end if self._t_end is not None else self.clock()
        return end - self._t0

    @property
    def level(self) -> int:
        """Workers currently allowed to send (the traffic pattern's level)."""
        return self._level

    @property
    def completed_requests(self) -> int:
        return self._done

    def progress(self) -> float | None:
        """0..1 through the run, or None when it has no count or duration limit."""
        return run_progress(self.profile.limits, self.elapsed, self._done)

    def snapshot(self, exact: bool = True) -> Snapshot:
        """The recorder's snapshot now; `exact=False` for live views (histogram percentiles)."""
        snapshot = self.recorder.snapshot(self.elapsed, exact=exact)
        if self._open_model:
            snapshot = dataclasses.replace(snapshot, asked=self._asked, dropped=self._dropped)
        return snapshot

    @property
    def asked(self) -> int:
        """Sends the open model scheduled so far (0 in the closed model)."""
        return self._asked

    @property
    def dropped(self) -> int:
        """Scheduled sends skipped because too many were already waiting for a worker."""
        return self._dropped

    @property
    def asked_rps(self) -> float:
        """Sends per second the open model scheduled so far (0 in the closed model)."""
        return self._asked / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def running(self) -> bool:
        return self.state is RunState.RUNNING

    # --- control ---------------------------------------------------------------------------
    def stop(self) -> None:
        """End the run: in-flight requests are cancelled; everything recorded is kept."""
        self._stop_requested = True
        self._finished.set()

    async def run(self, t0: float | None = None) -> Snapshot:
        """Send the load until a limit or stop(); returns the final snapshot.

        `t0` is the clock reading the run counts from (default: now); worker processes of one
        run share their parent's, so their rows line up.
        """
        if self.state is not RunState.PENDING:
            raise RuntimeError("a Run can only be run once")
        self._t0 = self.clock() if t0 is None else t0
        self.state = RunState.RUNNING
        self._set_level(self._target_level())
        if self.bursts is not None:
            workers = [asyncio.ensure_future(self._drive_bursts())]
        else:
            workers = [asyncio.ensure_future(self._worker(i))
                       for i in range(self.profile.load.concurrency)]
        if self._open_model:
            workers.append(asyncio.ensure_future(self._dispatch()))
        try:
            await self._control()
        except asyncio.CancelledError:
            self._stop_requested = True
            raise
        except Exception as exc:  # a bug here must still end the run with its data kept
            self.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            self._t_end = self.clock()
            await self._shut_down(workers)
            if self.error:
                self.state = RunState.FAILED
            elif self._stop_requested:
                self.state = RunState.STOPPED
            else:
                self.state = RunState.COMPLETED
        return self.snapshot()

    async def _control(self) -> None:
        duration = self.profile.limits.duration
        while not self._finished.is_set():
            timeout = CONTROL_PERIOD_S
            if duration is not None:
                remaining = duration - (self.clock() - self._t0)
                if remaining <= 0:
                    return
                timeout = min(timeout, remaining)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), timeout)
            self._set_level(self._target_level())

    async def _shut_down(self, workers: list[asyncio.Future]) -> None:
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        closing = asyncio.gather(*(c.aclose() for c in self._clients), return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing, CLOSE_TIMEOUT_S)
        self._clients.clear()

    async def _drive_bursts(self) -> None:
        await self.bursts.drive()
        self._finished.set()  # the last burst is done (a duration or stop() may come first)

    def _target_level(self) -> int:
        load, limits = self.profile.load, self.profile.limits
        if self._open_model or self.bursts is not None:
            return load.concurrency  # all may work; the schedule decides when
        x = patterns.progress(self.elapsed, self._done, limits.duration, limits.total_requests)
        return patterns.level(load.pattern, x, load.concurrency)

    def _set_level(self, level: int) -> None:
        raised = level > self._level
        self._level = level
        if raised:
            self._level_raised.set()
            self._level_raised = asyncio.Event()

    # --- workers ---------------------------------------------------------------------------
    async def _worker(self, index: int) -> None:
        total = self.profile.limits.total_requests
        clients: dict[int, Client] = {}  # one per target this worker has sent to
        while True:
            if self._open_model:
                intended = await self._schedule.get()
            else:
                while index >= self._level:
                    await self._level_raised.wait()
                if total is not None and self.issued >= total:
                    return
                self.issued += 1
                intended = None
            plan = self.mix.plan()
            self._in_flight += 1
            try:
                await self.send_request(self.client_for(clients, plan.target), plan, intended)
            finally:
                self._in_flight -= 1
            self.request_done()

    def client_for(self, clients: dict[int, Client], target: int) -> Client:
        """A worker's client for a target, made on first use."""
        client = clients.get(target)
        if client is None:
            client = clients[target] = self._client_factory(self.mix.targets[target])
            self._clients.append(client)
        return client

    def request_done(self) -> None:
        self._done += 1
        total = self.profile.limits.total_requests
        if total is not None and self._done >= total:
            self._finished.set()

    async def _dispatch(self) -> None:
        """Open model: put each send's intended time on the schedule, at the pattern's rate."""
        load, limits = self.profile.load, self.profile.limits
        total, clock, t0 = limits.total_requests, self.clock, self._t0
        backlog = max(BACKLOG_PER_WORKER * load.concurrency, int(load.rate * BACKLOG_SECONDS))
        intended = t0
        while total is None or self.issued < total:
            delay = intended - clock()
            if delay > 0:
                await asyncio.sleep(delay)
            self.issued += 1
            self._asked += 1
            if self._schedule.qsize() >= backlog:
                self._dropped += 1
                self.request_done()
            else:
                self._schedule.put_nowait(intended)
            x = patterns.progress(intended - t0, self._done, limits.duration, total)
            intended += 1.0 / patterns.rate(load.pattern, x, load.rate)

    async def send_request(self, client: Client, plan: Plan, intended: float | None) -> None:
        """One request: its attempts, each recorded, with backoff between them."""
        retry = self.profile.retry
        key_index, key_headers = self._keys.next()
        headers = {**plan.headers, **key_headers} if key_headers else plan.headers
        backoff: Backoff | None = None  # made on the first retry: most requests need none
        method, url, content = plan.method, plan.url, plan.content
        t0, clock, record = self._t0, self.clock, self.recorder.add
        for attempt in range(1, retry.retries + 2):
            start = clock()
            # A retry is sent when its backoff ends, so only a first attempt can be late.
            planned = intended if intended is not None and attempt == 1 else start
            outcome = await client.send(method, url, headers, content)
            end = clock()
            record(planned - t0, end - planned, outcome.status, outcome.nbytes, attempt,
                   key_index, outcome.error, start - planned, plan.request, plan.target)
            if attempt > retry.retries or not is_retryable(outcome):
                return
            if backoff is None:
                backoff = Backoff(retry.backoff, retry.base, retry.cap, self._rng)
            await asyncio.sleep(backoff.delay(attempt))
