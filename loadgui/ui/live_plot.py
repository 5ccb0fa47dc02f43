"""`loadgui run --live-plot`: the run's Dashboard in a small window while it goes.

The window only watches: it asks the RunHandle for a report ten times a second and plots it.
The run ends as it would headless (its limits, Ctrl+C, SIGTERM), and then the window closes;
closing the window first stops the run, which still ends with its report.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import qasync  # type: ignore[import-untyped]  # no stubs or py.typed
from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from loadgui.engine import Report, RunHandle
from loadgui.engine.stats.units import ms_text
from loadgui.ui.app import make_application
from loadgui.ui.dashboard import Dashboard
from loadgui.ui.run_status import load_text

REFRESH_MS = 100  # the dashboard's rate, as in the window: ten reports a second
WINDOW_SIZE = (960, 720)


@dataclass(frozen=True)
class LiveResult:
    report: Report  # the run's final report
    closed_early: bool  # the window was closed before the run ended (the run was stopped)
    reports_shown: int  # how many reports the dashboard plotted


class LivePlotWindow(QMainWindow):
    """A Dashboard fed by `run.report()` every REFRESH_MS; closing it stops the run."""

    def __init__(self, run: RunHandle, title: str, expected_duration: float | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("livePlot")
        self.setWindowTitle(f"loadgui run — {title}")
        self.resize(*WINDOW_SIZE)
        self.run = run
        self.dashboard = Dashboard()
        self.dashboard.clear(expected_duration)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 6, 8, 0)
        layout.addWidget(self.dashboard)
        self.setCentralWidget(page)
        self.figures = QLabel("starting…")
        self.figures.setObjectName("livePlotFigures")
        self.statusBar().addWidget(self.figures, 1)
        self.reports_shown = 0
        self.closed_early = False
        self._ended = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.show()
        self._timer.start()

    def refresh(self) -> None:
        self.show_report(self.run.report())

    def show_report(self, report: Report) -> None:
        self.dashboard.show_report(report)
        self.figures.setText(figures_text(report))
        self.reports_shown += 1

    def end(self, report: Report) -> None:
        """The run has ended: show its final report and close without stopping anything."""
        self._ended = True
        self._timer.stop()
        self.show_report(report)
        self.close()
        self.dashboard.cleanup()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._ended:
            self.closed_early = True
            self.figures.setText("stopping…")
            self.run.stop()
        event.accept()


def figures_text(r: Report) -> str:
    """The status line: where the run is and its headline figures."""
    progress = "" if r.progress is None or r.final else f"  ·  {r.progress:.0%}"
    return (f"{r.state}  ·  {r.elapsed:.1f} s{progress}  ·  {load_text(r)}  ·  "
            f"p50 {ms_text(r.latency.p50, '-')} ms  ·  p99 {ms_text(r.latency.p99, '-')} ms  ·  "
            f"errors {r.error_rate * 100:.1f} %")


async def watch(window: LivePlotWindow, drive: Callable[[], Awaitable[Report]]) -> Report:
    """Show the window, run `drive()` (which runs the run to its end) and end the window."""
    window.start()
    report: Report | None = None
    try:
        report = await drive()
        return report
    finally:
        window.end(report if report is not None else window.run.report())


def run_live(run: RunHandle, drive: Callable[[], Awaitable[Report]], *, title: str,
             expected_duration: float | None = None) -> LiveResult:
    """Run `drive()` on a qasync loop while a LivePlotWindow watches `run`.

    The one place `loadgui run` makes a Qt event loop: a QApplication (made here if there is
    none) runs asyncio and the window together until the run has ended.
    """
    app = QApplication.instance() or make_application([sys.argv[0] if sys.argv else "loadgui"])
    assert isinstance(app, QApplication)
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # the run ends the loop, not the window
    window = LivePlotWindow(run, title, expected_duration)
    loop = qasync.QEventLoop(app)
    try:
        asyncio.set_event_loop(loop)
        with loop:
            report: Report = loop.run_until_complete(watch(window, drive))
    finally:
        asyncio.set_event_loop(None)
        app.setQuitOnLastWindowClosed(quit_on_close)
    return LiveResult(report, window.closed_early, window.reports_shown)
