"""The plots render the report: short runs and bursts in tenths of a second, the throughput
plot's extra lines, the latency histogram, the crosshair, the empty state and the palette."""

from __future__ import annotations

import csv
import math

import numpy as np
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget
from window_helpers import run_report

from loadgui.engine.stats.units import ms_text
from loadgui.profile import RequestSpec
from loadgui.ui.results_view import LATENCY_TAB


def full_rates(series, counts: np.ndarray) -> np.ndarray:
    """Per second over the intervals at least half as long as the longest (the plot's rule)."""
    widths = np.diff(series.t, prepend=0.0)
    full = widths >= 0.5 * widths.max()
    return counts[full] / widths[full]


def test_before_the_first_run_the_plots_say_press_start(idle_window, qtbot):
    d = idle_window.dashboard
    empty = d.findChild(QLabel, "emptyState")
    assert d.pages.currentWidget() is empty and empty.isVisible()
    assert empty.text().startswith("Press Start")
    assert all(plot.buttonsHidden for plot in d.plots)  # no pyqtgraph "A" on hover
    d.clear(5.0)
    assert d.pages.currentWidget() is d.view


def test_a_burst_is_plotted_in_tenths_with_its_figures_in_the_summary(window, qtbot, set_mock):
    w = window
    set_mock(w, latency_ms=80)
    w.form.mode.setCurrentText("burst")
    w.form.concurrency.setValue(100)
    w.form.retries.setValue(0)
    report = run_report(w, qtbot, 20_000)
    assert report.state == "completed" and report.requests == 100
    fine = report.fine_series
    assert fine is not None and np.allclose(np.diff(fine.t)[:-1], 0.1)
    total = w.dashboard.total_curve.yData
    assert np.array_equal(total, full_rates(fine, fine.requests))
    # 100 responses within a few tenths of a second: hundreds a second, not "1/s". Most may
    # land in the run's last, short interval (told by the tail note below, not plotted),
    # so the peak is read from the fine series itself, every interval included.
    widths = np.diff(fine.t, prepend=0.0)
    assert (fine.requests / widths).max() >= 250
    assert w.dashboard.requests_plot.viewRange()[0][1] <= 1.0  # the axis fits the short run
    # A last interval too short for a rate (the burst's last responses) is told, not dropped.
    sliver = widths[-1] < 0.5 * widths.max() and fine.requests[-1] > 0
    note = w.dashboard.tail_note
    assert note.isVisible() == sliver
    if sliver:
        assert note.textItem.toPlainText().startswith(
            f"+{int(fine.requests[-1])} responses as the run ended")
    table = w.results.bursts
    assert table.isVisible() and table.rowCount() == 1
    burst = report.bursts[0]
    assert [table.value(c) for c in ("Size", "Send spread ms", "First done ms",
                                     "Median done ms", "Last done ms")] == [
        "100", ms_text(burst.send_spread), ms_text(burst.first_done),
        ms_text(burst.median_done), ms_text(burst.last_done)]


def test_the_throughput_plot_shows_asked_and_achieved_rates_and_what_is_in_flight(window,
                                                                                   qtbot):
    w = window
    w.form.mode.setCurrentText("rate")
    w.form.rate.setValue(400)
    w.form.total_requests.setValue(200)
    report = run_report(w, qtbot, 20_000)
    d = w.dashboard
    s = report.fine_series
    assert np.array_equal(d.asked_curve.yData, full_rates(s, s.asked_rps * np.diff(
        s.t, prepend=0.0)))
    assert np.array_equal(d.total_curve.yData, full_rates(s, s.requests))
    assert np.array_equal(d.level_curve.yData, s.in_flight)
    names = [label.text for _, label in d.status_plot.legend.items]
    assert names[0] == "total" and names[-2:] == ["asked", "in flight"]
    # A closed-model run draws its workers (the pattern's level) instead.
    w.form.mode.setCurrentText("concurrency")
    w.form.pattern.setCurrentText("linear")
    w.form.concurrency.setValue(8)
    report = run_report(w, qtbot, 20_000)
    assert np.array_equal(d.level_curve.yData, report.fine_series.level)
    assert [label.text for _, label in d.status_plot.legend.items][-1] == "workers"
    assert d.level_axis.view.viewRange()[1][1] >= report.fine_series.level.max()


def test_the_latency_histogram_draws_the_reports_buckets_on_a_log_axis(window, qtbot,
                                                                      set_mock):
    w = window
    set_mock(w, latency_ms=5)
    w.form.total_requests.setValue(200)
    report = run_report(w, qtbot, 20_000)
    w.results.tabs.setCurrentIndex(LATENCY_TAB)
    h = w.findChild(QWidget, "latencyHistogram")
    assert h is w.histogram and h.isVisible()
    assert h.counts.sum() == report.successes == 200
    assert np.allclose(h.latencies_ms, [v * 1000 for v, _ in report.histogram])
    major, _ = h.plot.getAxis("bottom")._tickLevels
    assert ("10 ms" in [label for _, label in major]
            or "100 ms" in [label for _, label in major])  # a log axis, read in ms
    p50 = h.marks["p50"]
    assert math.isclose(p50.value(), math.log10(report.latency.p50 * 1000))
    assert p50.label.format == f"p50 {ms_text(report.latency.p50)} ms"
    low, high = h.plot.viewRange()[0]
    assert low <= math.log10(report.latency.min * 1000)  # every bucket in sight
    assert math.log10(report.latency.max * 1000) <= high


def test_the_crosshair_readout_shows_only_while_pointing_and_never_over_a_curve(window,
                                                                               qtbot):
    w = window
    w.form.total_requests.setValue(300)
    w.form.concurrency.setValue(5)
    report = run_report(w, qtbot, 20_000)
    d = w.dashboard
    readout = d.findChild(QLabel, "crosshairReadout")
    assert not readout.isVisible()
    viewport = d.view.viewport()
    box = d.latency_plot.getViewBox()
    middle = d.view.mapFromScene(box.mapViewToScene(box.viewRect().center()))

    def point_at_the_plots() -> None:
        for dx in (8, 0):  # pyqtgraph takes a move at most every ~17 ms
            qtbot.wait(40)
            QTest.mouseMove(viewport, middle - QPoint(dx, 0))

    point_at_the_plots()
    qtbot.waitUntil(readout.isVisible, timeout=2_000)
    assert readout.text().startswith("t ") and "requests" in readout.text()
    assert readout.mapTo(d, QPoint(0, readout.height())).y() <= d.pages.mapTo(d, QPoint()).y()
    assert not d.title.geometry().intersects(readout.geometry())
    assert all(line.isVisible() for line in d.crosshair.lines)
    QTest.mouseMove(w.form.viewport(), QPoint(10, 10))  # the pointer leaves the plots
    qtbot.waitUntil(lambda: not readout.isVisible(), timeout=2_000)
    assert not any(line.isVisible() for line in d.crosshair.lines)
    # Shown again, then a new run: cleared, not left with the last run's numbers.
    point_at_the_plots()
    qtbot.waitUntil(readout.isVisible, timeout=2_000)
    w.start_run()
    assert not readout.isVisible() and readout.text() == ""
    qtbot.waitUntil(lambda: not w.controller.running, timeout=10_000)
    assert report.final


def test_the_plots_follow_a_switch_to_a_dark_palette(idle_window, qtbot):
    w = idle_window
    app = QApplication.instance()
    light = app.palette()
    dark = QPalette(light)
    for role, color in ((QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#eeeeee"),
                        (QPalette.ColorRole.Window, "#2b2b2b")):
        dark.setColor(role, QColor(color))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: w.dashboard.view.backgroundBrush().color().name() == "#1e1e1e",
                        timeout=2_000)
        assert w.histogram.plot_widget.backgroundBrush().color().name() == "#1e1e1e"
        assert w.dashboard.latency_plot.getAxis("left").textPen().color().name() == "#eeeeee"
    finally:
        app.setPalette(light)
    qtbot.waitUntil(lambda: w.dashboard.view.backgroundBrush().color() == light.color(
        QPalette.ColorRole.Base), timeout=2_000)


def test_request_mix_and_targets_break_down_in_the_summary_and_plots(window, qtbot, quiet_mock,
                                                                      tmp_path):
    w = window
    w.form.requests.set_specs([RequestSpec(name="small", path="/test", weight=3),
                               RequestSpec(name="large", method="POST", path="/test",
                                           body_size=50_000, weight=1)])
    w.form.extra_urls.setPlainText(quiet_mock.url)
    w.form.total_requests.setValue(200)
    assert w.start_button.isEnabled(), w.why_not_start()
    assert run_report(w, qtbot, 20_000).state == "completed"
    scopes = [w.summary.item(r, 0).text() for r in range(w.summary.rowCount())]
    assert scopes == ["All", "request: small", "request: large", f"target: {w.mock.url}",
                      f"target: {quiet_mock.url}"]
    # Scope rows count attempts (Sends); the report counts requests for the whole run only.
    assert w.summary.item(1, 1).text() == "–"
    counts = [int(w.summary.item(r, 2).text().replace(",", "")) for r in (1, 2)]
    # The report has no status codes per request or target: the cell says so, not "–".
    codes = w.summary.item(1, w.summary.columnCount() - 1)
    assert codes.text() == "" and "does not break status codes down" in codes.toolTip()
    assert sum(counts) == 200 and counts[0] > counts[1]
    combo = w.findChild(QComboBox, "dashboardScope")
    assert combo.isVisible() and combo.count() == 5
    report = w.controller.handle.report()
    assert counts == [g.requests for g in report.breakdowns["request"]]
    assert w.dashboard.title.text() == (f"{report.requests:,} requests  ·  "
                                        f"{report.rps:,.1f}/s overall")
    all_top = w.dashboard.requests_plot.viewRange()[1][1]
    combo.setCurrentText("request: large")
    large = next(g for g in report.breakdowns["request"] if g.name == "large")
    # The scope's own figures: its requests and rate, from the report's breakdown group,
    # and axes fitted to its own curves.
    assert w.dashboard.title.text() == (f"request: large  ·  {large.requests:,} requests  ·  "
                                        f"{large.rps:,.1f}/s")
    assert w.dashboard.requests_curve.getData()[1][-1] == large.requests
    large_top = w.dashboard.requests_plot.viewRange()[1][1]
    assert large.requests <= large_top < all_top
    assert large_top <= 2.2 * large.requests + 1  # nice steps: at most twice, plus headroom
    task = w.export_csv(tmp_path / "mix.csv")
    qtbot.waitUntil(task.done, timeout=5_000)
    with open(tmp_path / "mix.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["request"] for r in rows} == {"small", "large"}
    assert {r["target"] for r in rows} == {w.mock.url, quiet_mock.url}
