"""The one run surface: RunHandle, and RunCore, what every kind of run shares.

In-process, multi-process (and later cluster) runs implement the same surface; views speak
only to it: `run()`, `stop()`, `state`, `reason`, `report()` and the `recorder` for exports.
A run that cannot go on ends FAILED with a reason a person can act on; none ends COMPLETED
with no attempt, or with no attempt ever answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import time
from collections.abc import Callable
from typing import Any, Protocol

from loadgui.engine.http.urls import display_url
from loadgui.engine.load.checks import check_names
from loadgui.engine.load.cluster_watch import ClusterWatch
from loadgui.engine.load.mix import labels_for
from loadgui.engine.stats.gauges import Gauges
from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report import Report
from loadgui.engine.stats.report_build import RunFacts, build_report
from loadgui.profile import Limits, Profile


class RunState(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"  # a count or duration limit was reached
    STOPPED = "stopped"  # stop() was called or the run was cancelled
    FAILED = "failed"  # it could not go on; `reason` says why


FINISHED = (RunState.COMPLETED, RunState.STOPPED, RunState.FAILED)


class RunHandle(Protocol):
    profile: Profile
    recorder: Recorder

    @property
    def state(self) -> RunState: ...

    @property
    def reason(self) -> str | None: ...

    @property
    def running(self) -> bool: ...

    async def run(self) -> Report: ...

    def stop(self) -> None: ...

    def report(self) -> Report: ...


def run_progress(limits: Limits, elapsed: float, done: int) -> float | None:
    """How far a run is toward its nearest limit (0..1), or None without limits."""
    parts = []
    if limits.duration:
        parts.append(elapsed / limits.duration)
    if limits.total_requests:
        parts.append(done / limits.total_requests)
    return min(1.0, max(parts)) if parts else None


class RunCore:
    """State, clock, recorder, gauges and the report; subclasses send the load in
    `_execute()`, setting `_t0` when sending starts and calling `fail()` when they can't."""

    def __init__(self, profile: Profile, *, clock: Callable[[], float] = time.perf_counter,
                 recorder: Recorder | None = None, top_level: bool = True):
        self.profile = profile.validated()
        self.recorder = recorder if recorder is not None else Recorder()  # an empty one is falsy
        self.recorder.labels = labels_for(self.profile)
        self._check_names = check_names(self.profile)
        self.gauges = Gauges()
        self.clock = clock
        self._state = RunState.PENDING
        self._failure: str | None = None
        self._stop_requested = False
        self._t0: float | None = None
        self._t_end: float | None = None
        self._final: Report | None = None
        # A share of a bigger run (in a worker process) neither watches the target's cluster
        # nor judges the outcome: its parent does, over every share.
        self._top_level = top_level
        self._cluster = ClusterWatch(self.profile.target.base_url) if top_level else None

    # --- the surface -------------------------------------------------------------------------
    @property
    def state(self) -> RunState:
        return self._state

    @property
    def reason(self) -> str | None:
        if self._state is RunState.STOPPED:
            return "stopped before reaching its limits"
        return self._failure if self._state is RunState.FAILED else None

    @property
    def running(self) -> bool:
        return self._state is RunState.RUNNING

    @property
    def failure(self) -> str | None:
        """Why the run cannot go on, as soon as it is known (before the state says so)."""
        return self._failure

    @property
    def elapsed(self) -> float:
        if self._t0 is None:
            return 0.0
        return (self._t_end if self._t_end is not None else self.clock()) - self._t0

    def progress(self) -> float | None:
        return run_progress(self.profile.limits, self.elapsed, self._done())

    def stop(self) -> None:
        """End the run: attempts in flight get a short grace, then are recorded cancelled."""
        self._stop_requested = True
        self._wake()

    def fail(self, reason: str, *, stop: bool = True) -> None:
        """Mark the run FAILED with `reason` (the first reason given is kept); with
        `stop=False` the rest of the run goes on (e.g. one worker process of several lost)."""
        if self._failure is None:
            self._failure = reason
        if stop:
            self._wake()

    async def run(self) -> Report:
        """Send the load until a limit, stop() or a failure; returns the final report."""
        if self._state is not RunState.PENDING:
            raise RuntimeError("a run can only be run once")
        self._state = RunState.RUNNING
        watch = asyncio.ensure_future(self._cluster.watch(self.clock, self._started_at)) \
            if self._cluster is not None else None
        try:
            await self._execute()
        except asyncio.CancelledError:
            self._stop_requested = True
            raise
        except Exception as exc:  # a bug must still end the run, with its data kept
            self.fail(f"internal error: {type(exc).__name__}: {exc}")
        finally:
            if self._t0 is not None and self._t_end is None:
                self._t_end = self.clock()
            if watch is not None:
                watch.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watch
            self._state = self._outcome()
        return self.report()

    def report(self) -> Report:
        """Live while running (histogram percentiles); final and exact once ended (cached)."""
        if self._final is not None:
            return self._final
        final = self._state in FINISHED
        facts = RunFacts(
            state=str(self._state if self._state is not RunState.PENDING else RunState.RUNNING),
            reason=self.reason, final=final, mode=self.profile.load.mode,
            client=self.profile.target.client, target=display_url(self.profile.url()),
            elapsed=self._report_elapsed(), progress=self.progress(),
            cluster=self._cluster.figures() if self._cluster is not None else None,
            thresholds=tuple(self.profile.thresholds), check_names=self._check_names,
            **self._facts())
        report = build_report(self.recorder, self.gauges, facts)
        if final:
            self._final = report
        return report

    # --- for subclasses ----------------------------------------------------------------------
    async def _execute(self) -> None:
        raise NotImplementedError

    def _wake(self) -> None:
        """Make `_execute` notice stop() or fail() now."""

    def _done(self) -> int:
        """Requests whose last attempt has ended."""
        return 0

    def _facts(self) -> dict[str, Any]:
        """asked, dropped, level, in_flight, bursts, workers: what only the subclass knows."""
        return {}

    def _report_elapsed(self) -> float:
        return self.elapsed

    def _started_at(self) -> float | None:
        return self._t0

    # --- the outcome -------------------------------------------------------------------------
    def _outcome(self) -> RunState:
        if self._failure is not None:
            return RunState.FAILED
        if self._stop_requested:
            return RunState.STOPPED
        if not self._top_level:
            return RunState.COMPLETED
        attempts = len(self.recorder)
        if attempts == 0:
            self._failure = "the run ended without sending a single request"
            return RunState.FAILED
        totals = self.recorder.totals()
        if totals.exceptions == attempts:
            self._failure = no_answer_reason(self.recorder)
            return RunState.FAILED
        return RunState.COMPLETED


def no_answer_reason(recorder: Recorder) -> str:
    """Why a run whose every attempt went unanswered failed, naming the commonest cause."""
    groups = recorder.totals().failures.groups(recorder.messages, recorder.labels)
    attempts = len(recorder)
    if not groups:
        return f"all {attempts:,} attempts failed without a response"
    top = groups[0]
    hint = " — is the server running?" if top.kind == "connect" else ""
    more = "" if top.count == attempts else f" (and {attempts - top.count:,} other failures)"
    return (f"all {attempts:,} attempts failed without a response: {top.message} "
            f"× {top.count:,}{more}{hint}")
