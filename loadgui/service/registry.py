"""RunRegistry: the runs a service started, at most K at once, the last N finished kept."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from loadgui.engine import FINISHED, Report, RunHandle, RunState, make_run
from loadgui.profile import Profile
from loadgui.service.defaults import DEFAULT_HISTORY, DEFAULT_MAX_RUNS

STOP_WAIT_S = 5.0
SHUTDOWN_WAIT_S = 10.0

logger = logging.getLogger("loadgui.service")


class RegistryFull(Exception):
    """As many runs as allowed are already running."""


class UnknownRun(KeyError):
    """No run has this id (never started, or dropped from the history)."""


@dataclass(eq=False)
class RunEntry:
    """One run the registry started: its id, its RunHandle and its background task."""

    id: str
    run: RunHandle
    created: datetime
    task: asyncio.Task[Report] | None = None
    finished_at: datetime | None = None
    # Set when the task ended in a way the run's own state does not tell: an exception that
    # escaped run() (FAILED) or a cancellation the run did not see (STOPPED).
    _override: tuple[RunState, str] | None = field(default=None, repr=False)

    @property
    def profile(self) -> Profile:
        return self.run.profile

    @property
    def finished(self) -> bool:
        return self.task is not None and self.task.done()

    @property
    def state(self) -> RunState:
        """The run's state; a run about to start counts as running."""
        if self._override is not None:
            return self._override[0]
        state = self.run.state
        return RunState.RUNNING if state is RunState.PENDING else state

    @property
    def status(self) -> str:
        """running, completed, stopped or failed."""
        return self.state.value

    @property
    def reason(self) -> str | None:
        """Why the run failed or was stopped; None while running and once completed."""
        if self._override is not None:
            return self._override[1]
        return self.run.reason if self.state in (RunState.FAILED, RunState.STOPPED) else None

    @property
    def error(self) -> str | None:
        """Why the run failed, or None."""
        return self.reason if self.state is RunState.FAILED else None

    def report(self) -> Report:
        """The run's report: live while it runs, final (and cached by the run) once ended."""
        report = self.run.report()
        if self._override is None:
            return report
        state, reason = self._override
        return dataclasses.replace(report, state=state.value, reason=reason)

    def _on_done(self, task: asyncio.Task[Report]) -> None:
        self.finished_at = datetime.now(UTC)
        if task.cancelled():
            if self.run.state not in FINISHED:
                self._override = (RunState.STOPPED, "cancelled when the service stopped")
        elif (exc := task.exception()) is not None:  # retrieved, so asyncio never logs it lost
            self._override = (RunState.FAILED, f"internal error: {type(exc).__name__}: {exc}")
        if self.state is RunState.FAILED:
            logger.warning("run %s failed: %s", self.id, self.reason or "no reason given")


class RunRegistry:
    """Starts runs as tasks on the running asyncio loop and keeps them for status queries.

    Call its methods from the loop that should run the load (e.g. a FastAPI handler's).
    At most `max_runs` run at once; of the finished ones, the `history` most recent are kept
    (with their recorded rows, for the CSV) and older ones are forgotten. A run that ends
    failed is logged as one WARNING on the `loadgui.service` logger, with its id and reason.
    """

    def __init__(self, max_runs: int = DEFAULT_MAX_RUNS, history: int = DEFAULT_HISTORY,
                 *, run_factory: Callable[[Profile], RunHandle] = make_run,
                 save_runs: bool = True):
        if max_runs < 1:
            raise ValueError(f"max_runs must be at least 1, got {max_runs}")
        if history < 0:
            raise ValueError(f"history must not be negative, got {history}")
        self.max_runs = max_runs
        self.history = history
        self._run_factory = run_factory
        self._entries: dict[str, RunEntry] = {}
        self._save_runs = save_runs
        # Each run kept in the run store while it goes, until saved with its final report.
        self._saving: dict[RunEntry, asyncio.Task[Any]] = {}

    @property
    def active(self) -> int:
        """Runs started and not yet ended."""
        return sum(1 for entry in self._entries.values() if not entry.finished)

    def start(self, profile: Profile) -> RunEntry:
        """Start a run of `profile` in the background and return its entry.

        Raises RegistryFull when `max_runs` are running, ProfileError for a bad profile.
        """
        if self.active >= self.max_runs:
            raise RegistryFull(f"{self.max_runs} runs are already running; stop one or wait "
                               "for one to finish")
        run = self._run_factory(profile)
        entry = RunEntry(id=str(uuid.uuid4()), run=run, created=datetime.now(UTC))
        entry.task = asyncio.get_running_loop().create_task(
            run.run(), name=f"loadgui-run-{entry.id}")
        entry.task.add_done_callback(entry._on_done)
        entry.task.add_done_callback(lambda _: self._forget_old())
        if self._save_runs:
            self._keep(entry)
        self._entries[entry.id] = entry
        return entry

    def get(self, run_id: str) -> RunEntry:
        try:
            return self._entries[run_id]
        except KeyError:
            raise UnknownRun(run_id) from None

    def runs(self) -> list[RunEntry]:
        """Every kept run, oldest first."""
        return list(self._entries.values())

    async def stop(self, run_id: str, wait: float = STOP_WAIT_S) -> RunEntry:
        """Ask a run to stop and wait up to `wait` seconds for it to end. Raises UnknownRun."""
        entry = self.get(run_id)
        entry.run.stop()
        if entry.task is not None and not entry.task.done():
            await asyncio.wait({entry.task}, timeout=wait)
        return entry

    async def shutdown(self, wait: float = SHUTDOWN_WAIT_S) -> None:
        """Stop every run; cancel those that have not ended within `wait` seconds."""
        tasks = {e.task for e in self._entries.values() if e.task is not None and not e.finished}
        for entry in self._entries.values():
            entry.run.stop()
        if not tasks:
            await self.saved()
            return
        _, late = await asyncio.wait(tasks, timeout=wait)
        for task in late:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*late, return_exceptions=True)
        await self.saved()

    def _keep(self, entry: RunEntry) -> None:
        """Keep the run in the run store while it goes (its rows about once a second, off
        the event loop; those stored leave memory once many are held), then its report."""
        from loadgui.store.live import keep_run

        assert entry.task is not None

        def warn(message: str) -> None:
            logger.warning("run %s was not saved in the run store: %s", entry.id, message)

        keeping = asyncio.get_running_loop().create_task(
            keep_run(entry.run, entry.task, name=f"serve {entry.id[:8]}", source="serve",
                     warn=warn, final_report=entry.report),
            name=f"loadgui-save-{entry.id}")
        self._saving[entry] = keeping
        keeping.add_done_callback(lambda _: self._saving.pop(entry, None))

    async def saved(self) -> None:
        """Wait until every ended run has been saved."""
        ending = [task for entry, task in self._saving.items() if entry.finished]
        if ending:
            await asyncio.gather(*ending, return_exceptions=True)

    def _forget_old(self) -> None:
        # A run whose own done-callback has not run yet has no finished_at: count it newest.
        latest = datetime.max.replace(tzinfo=UTC)
        finished = sorted((e for e in self._entries.values() if e.finished),
                          key=lambda e: e.finished_at or latest)
        for entry in finished[:max(0, len(finished) - self.history)]:
            del self._entries[entry.id]
