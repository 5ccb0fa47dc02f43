"""A run spread over senders (worker processes, cluster shares): the profile split into
shares; on a sender's side its share run and streamed in batches; on the parent's side each
sender's last counters and watermark, their sums, the merge of their batches, and the
report's time held to the slowest one."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from loadgui.engine.load.cluster_merge import BatchMerge
from loadgui.engine.load.handle import RunCore
from loadgui.engine.load.run import CONTROL_PERIOD_S, Run
from loadgui.engine.stats.key_totals import KeyRest
from loadgui.engine.stats.recorder import Batch, Recorder
from loadgui.profile import Profile

# Rows a worker (process or cluster share) holds before those its parent has are dropped.
WORKER_HOLD_ROWS = 200_000
BATCH_PERIOD_S = 0.1  # how often a worker sends its parent what it recorded
COUNTERS = ("asked", "dropped", "done", "level", "in_flight")


def rows_batch(run: Run, sent: int) -> tuple[tuple[Any, ...], int]:
    """The ("rows", ...) message of the rows recorded since row `sent`, and the new count."""
    # Taken before the rows: anything recorded later ends after this moment.
    watermark = run.elapsed
    base, columns = run.recorder.held()
    count = base + len(columns["t_start"])
    rows = {name: col[sent - base:].copy() for name, col in columns.items()}
    counters = {"asked": run.asked, "dropped": run.dropped, "done": run.completed_requests,
                "level": run.level, "in_flight": run.in_flight}
    return ("rows", watermark, rows, list(run.recorder.messages), counters,
            run.gauges.latest_lag), count


def split_profile(profile: Profile, count: int) -> list[Profile]:
    """Shares of one validated profile: concurrency, rate and request count divided as
    evenly as can be (shares are not validated again)."""

    def share(total: int, i: int) -> int:
        return total // count + (1 if i < total % count else 0)

    total = profile.limits.total_requests
    parts = []
    for i in range(count):
        requests = share(total, i) if total is not None else None
        if requests == 0:
            continue
        rate = profile.load.rate / count if profile.load.mode == "rate" else profile.load.rate
        parts.append(profile.share(share(profile.load.concurrency, i), rate, requests))
    return parts


def worker_recorder() -> Recorder:
    return Recorder(hold=WORKER_HOLD_ROWS)


def worker_loop_factory() -> Callable[[], asyncio.AbstractEventLoop]:
    """The loop a worker runs its share on: uvloop's when installed, unless LOADGUI_UVLOOP=0
    asks for plain asyncio."""
    if os.environ.get("LOADGUI_UVLOOP", "1") != "0":
        with contextlib.suppress(ImportError):
            import uvloop

            return uvloop.new_event_loop
    return asyncio.new_event_loop


async def stream_share(run: Run, post: Callable[[tuple[Any, ...]], None],
                       stopping: Callable[[], bool]) -> None:
    """Run a worker's share (its start already set), posting every BATCH_PERIOD_S the rows
    recorded since the last batch, then the retry facts when they changed; stop the run once
    `stopping()`; post ("done", its own failure or None) at the end."""
    task = asyncio.ensure_future(run.run())
    sent, facts = 0, retry_facts(run)

    def gather() -> None:
        nonlocal sent, facts
        message, sent = rows_batch(run, sent)
        post(message)
        forget_sent(run, sent)
        last, facts = facts, retry_facts(run)
        if facts != last:  # key rests and Retry-After waits: sent when they change
            post(facts)

    while not task.done():
        await asyncio.wait({task}, timeout=BATCH_PERIOD_S)
        if stopping():
            run.stop()
        gather()
    with contextlib.suppress(Exception):
        await task
    gather()
    # A share stopped by its parent is not a failure; only its own failure is reported.
    post(("done", run.failure))


def sent_rows_gone(upto: int) -> Iterator[Batch]:
    raise RuntimeError("a worker's rows went to its parent; read them there")


def forget_sent(run: Run, sent: int) -> None:
    """A worker's rows below `sent` are with its parent: past the recorder's `hold`, they
    leave memory (the totals and series are folded first, a second's rows at a time)."""
    run.recorder.release(sent, sent_rows_gone)


def retry_facts(run: Run) -> tuple[Any, ...]:
    """The ("retry_facts", ...) message: what the rows don't say of retries and keys."""
    return ("retry_facts", run.report_key_rests(), run.retry_after_waits)


class Sender:
    """The parent's view of one sender, as its batches report it."""

    def __init__(self, index: int):
        self.index = index
        self.watermark = 0.0  # its clock when it took its last batch: nothing earlier follows
        self.counters = dict.fromkeys(COUNTERS, 0)
        self.lag = 0.0
        self.requests = 0
        self.finished = False
        self.reason: str | None = None
        # Each sender rotates the keys on its own: its rests are its own (times since t0).
        self.key_rests: tuple[KeyRest, ...] = ()
        self.retry_after_waits = 0

    def take_retry_facts(self, message: tuple[Any, ...]) -> None:
        _, self.key_rests, self.retry_after_waits = message


class SpreadRun(RunCore):
    """RunCore for a run whose rows arrive in batches from several senders.

    Subclasses make `_all_done` when the run starts, hand each message to `_take` and call
    `_settle` after it; `_control` samples the gauges until every sender has finished.
    """

    def __init__(self, profile: Profile, *, clock: Callable[[], float] = time.perf_counter):
        super().__init__(profile, clock=clock)
        self._merge = BatchMerge(self.recorder)
        self._all_done: asyncio.Future[None] | None = None

    def _senders(self) -> Sequence[Sender]:
        raise NotImplementedError

    def _count(self, name: str) -> int:
        return sum(sender.counters[name] for sender in self._senders())

    def _done(self) -> int:
        return self._count("done")

    def _load_facts(self) -> dict[str, Any]:
        senders = self._senders()
        rests = sorted((rest for s in senders for rest in s.key_rests),
                       key=lambda rest: (rest.start, rest.key))
        return {**{name: self._count(name) for name in ("asked", "dropped", "level",
                                                         "in_flight")},
                "key_rests": tuple(rests),
                "retry_after_waits": sum(s.retry_after_waits for s in senders)}

    def _take(self, sender: Sender, message: tuple[Any, ...]) -> None:
        """A batch of rows or the retry facts from `sender` (any other message is not its)."""
        kind = message[0]
        if kind == "rows":
            _, watermark, rows, messages, counters, lag = message
            self._merge.add(rows, messages)
            sender.watermark, sender.counters, sender.lag = watermark, counters, lag
            sender.requests += len(rows["t_start"])
        elif kind == "retry_facts":
            sender.take_retry_facts(message)

    def _settle(self) -> None:
        """Merge what every live sender's watermark has passed; the run is done when every
        sender has finished."""
        senders = self._senders()
        live = [s.watermark for s in senders if not s.finished]
        self._merge.flush(min(live, default=math.inf))
        if all(s.finished for s in senders) and self._all_done is not None \
                and not self._all_done.done():
            self._all_done.set_result(None)

    async def _control(self) -> None:
        assert self._all_done is not None and self._t0 is not None
        while not self._all_done.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._all_done), CONTROL_PERIOD_S)
            now = self.clock()
            self._tick(now)
            self.gauges.sample(now - self._t0, self._count("level"), self._count("in_flight"),
                               self._count("asked"),
                               max((s.lag for s in self._senders()), default=0.0))

    def _tick(self, now: float) -> None:
        """Called every CONTROL_PERIOD_S while the run goes on, before the gauges sample."""

    def _report_elapsed(self) -> float:
        # While running, intervals close only up to what every live sender has reported.
        if self._t_end is not None:
            return self.elapsed
        live = [s.watermark for s in self._senders() if not s.finished]
        return min(self.elapsed, min(live, default=self.elapsed))
