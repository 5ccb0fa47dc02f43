"""Owns the current run on the qasync loop and passes its Report on at a fixed rate."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QObject, QTimer, Signal

from loadgui.engine import FINISHED, Report, RunHandle, RunState, make_run
from loadgui.profile import Profile
from loadgui.ui.run_history import keep_in_history

REFRESH_HZ = 30  # redraws a second: smooth to the eye, and cheap (see bench/window_load.py)
log = logging.getLogger(__name__)


class RunController(QObject):
    """`report` fires REFRESH_HZ times a second while running (never per request) with the
    run's live Report, then once more with the final one; `finished(state)` follows it."""

    started = Signal()
    report = Signal(object)  # a Report
    finished = Signal(str)  # completed, stopped or failed
    saved = Signal(int)  # the ended run's id in the run store

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.handle: RunHandle | None = None
        self.last: Report | None = None  # the Report emitted last
        self._task: asyncio.Task[Report] | None = None
        self._saving: asyncio.Task[int | None] | None = None
        self.name: str | None = None  # what the run history calls the run
        self._stored_profile: Profile | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(round(1000 / REFRESH_HZ))
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, profile: Profile, name: str | None = None,
              stored_profile: Profile | None = None) -> RunHandle:
        """Run `profile`; the run history keeps it under `name`, as `stored_profile` if
        given (the profile as a file would keep it)."""
        if self.running:
            raise RuntimeError("a run is already going")
        self.handle = make_run(profile)
        self.name = name
        self._stored_profile = stored_profile
        self.last = None
        self._task = asyncio.ensure_future(self.handle.run())
        self._task.add_done_callback(self._done)
        self._timer.start()
        self.started.emit()  # a listener may name the run (Run again: its history's name)
        # Saved as it goes: rows stored leave memory, so a long run's memory stays flat.
        self._saving = asyncio.ensure_future(
            keep_in_history(self.handle, self._task, self.name, stored_profile))
        self._saving.add_done_callback(self._was_saved)
        return self.handle

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.stop()

    async def wait(self) -> None:
        """Until the run has ended and been saved."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        if self._saving is not None:
            await asyncio.gather(self._saving, return_exceptions=True)

    def _tick(self) -> None:
        if self.handle is not None and self.running:
            self._emit(self.handle.report())

    def _emit(self, report: Report) -> None:
        self.last = report
        self.report.emit(report)

    def _done(self, task: asyncio.Task[Report]) -> None:
        self._timer.stop()
        handle = self.handle
        assert handle is not None
        if not task.cancelled() and task.exception() is not None:
            # RunHandle.run() ends every run with a state; this is a bug worth a log line.
            log.error("the run raised", exc_info=task.exception())
        self._emit(handle.report())
        state = handle.state if handle.state in FINISHED else RunState.FAILED
        self.finished.emit(str(state))

    def _was_saved(self, task: asyncio.Task[int | None]) -> None:
        if not task.cancelled() and task.exception() is None and task.result() is not None:
            self.saved.emit(task.result())
