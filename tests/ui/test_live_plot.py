"""The --live-plot window on the tests' qasync loop: it plots the run's reports as they come,
ends with the run, and stops the run when it is closed first."""

from __future__ import annotations

import asyncio

from loadgui.engine import make_run
from loadgui.profile import Profile
from loadgui.ui.live_plot import LivePlotWindow, figures_text, watch


def live_window(url: str, duration: float, qtbot) -> LivePlotWindow:
    p = Profile()
    p.target.base_url, p.target.endpoint = url, "/test"
    p.load.concurrency = 4
    p.limits.duration = duration
    window = LivePlotWindow(make_run(p.validated()), "test", expected_duration=duration)
    qtbot.addWidget(window)
    return window


def test_the_window_plots_reports_until_the_run_ends(loop, qtbot, quiet_mock):
    window = live_window(quiet_mock.url, 1.0, qtbot)
    task = asyncio.ensure_future(watch(window, window.run.run))
    qtbot.waitUntil(lambda: window.reports_shown >= 3 and window.isVisible(), timeout=10_000)
    assert "running" in window.figures.text() and "requests" in window.figures.text()
    qtbot.waitUntil(task.done, timeout=15_000)
    report = task.result()
    assert report.state == "completed" and report.requests > 0
    assert 5 <= window.reports_shown <= 30  # about ten a second, and the final one
    assert not window.isVisible() and not window.closed_early
    assert window.figures.text() == figures_text(report)
    assert f"{report.requests:,} requests" in window.figures.text()


def test_closing_the_window_stops_the_run(loop, qtbot, quiet_mock):
    window = live_window(quiet_mock.url, 60.0, qtbot)
    task = asyncio.ensure_future(watch(window, window.run.run))
    qtbot.waitUntil(lambda: window.reports_shown >= 2, timeout=10_000)
    window.close()
    qtbot.waitUntil(task.done, timeout=10_000)
    report = task.result()
    assert window.closed_early
    assert report.state == "stopped" and report.final and report.elapsed < 30
