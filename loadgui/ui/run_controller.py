"""Owns the current Run on the qasync loop and pulls snapshots from it at a fixed rate."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, QTimer, Signal

from loadgui.engine import RunState, Snapshot
from loadgui.engine.load.processes import ProcessRun, make_run
from loadgui.engine.load.run import Run
from loadgui.profile import Profile

REFRESH_HZ = 10


class RunController(QObject):
    """`snapshot` fires REFRESH_HZ times a second while running (never per request);
    `finished(state)` fires once when the run ends for any reason, after a final snapshot."""

    started = Signal()
    snapshot = Signal(object)
    finished = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.run: Run | ProcessRun | None = None
        self._task: asyncio.Task | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // REFRESH_HZ)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, profile: Profile) -> Run | ProcessRun:
        if self.running:
            raise RuntimeError("a run is already going")
        self.run = make_run(profile)
        self._task = asyncio.ensure_future(self.run.run())
        self._task.add_done_callback(self._done)
        self._timer.start()
        self.started.emit()
        return self.run

    def stop(self) -> None:
        if self.run is not None:
            self.run.stop()

    async def wait(self) -> None:
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    def latest(self) -> Snapshot | None:
        return self.run.snapshot() if self.run is not None else None

    def _tick(self) -> None:
        if self.run is not None:
            self.snapshot.emit(self.run.snapshot(exact=False))

    def _done(self, task: asyncio.Task) -> None:
        self._timer.stop()
        if not task.cancelled() and task.exception() is not None and self.run.error is None:
            self.run.error = str(task.exception())
        self.snapshot.emit(self.run.snapshot())
        state = self.run.state if self.run.state is not RunState.RUNNING else RunState.FAILED
        self.finished.emit(str(state))
