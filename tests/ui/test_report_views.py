"""Every view renders the run's Report: the same figures as `report.to_dict()`, failures in
plain sight. Real runs against real servers on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTabWidget,
)
from window_helpers import click_start, closed_port, find, run_to_end, set_limits

from loadgui.engine import Report
from loadgui.engine.stats.key_totals import KeyFigures
from loadgui.engine.stats.units import ms_text
from loadgui.ui.results_view import FAILURES_TAB, SUMMARY_TAB
from loadgui.ui.run_banner import banner_text


def test_refused_port_fails_with_banner_and_one_failures_row(window, qtbot):
    w = window
    port = closed_port()
    w.form.base_url.setText(f"http://127.0.0.1:{port}")
    set_limits(w, 40)
    assert run_to_end(w, qtbot) == "failed"
    report: Report = w.controller.handle.report()
    assert report.state == "failed" and report.requests == 40

    assert find(w, QLabel, "runStateLabel").text() == "failed"
    banner = find(w, QFrame, "runBanner")
    text = find(w, QLabel, "runBannerText").text()
    assert banner.isVisible()
    assert text == f"Failed: {report.reason}"
    assert text.startswith("Failed: all 40 attempts failed without a response: "
                           f"connection refused (127.0.0.1:{port}) × 40")
    assert w.findChild(QMessageBox, "errorDialog") is None  # no modal box any more

    failures = find(w, QTableWidget, "failuresTable")
    assert failures.rowCount() == 1
    assert w.failures.value("Kind") == "connect"
    assert w.failures.value("Message") == f"connection refused (127.0.0.1:{port})"
    assert w.failures.value("Status") == "–"
    assert int(w.failures.value("Count")) == report.requests == len(w.controller.handle.recorder)
    assert w.summary.value("Exceptions") == "40" and w.summary.value("p99 ms") == "–"
    # A run of a few tenths of a second is plotted in 0.1 s intervals: 100 % errors in
    # each with a response, and gaps (not 0 %) in those without one; a lone value is a dot.
    errors = w.dashboard.error_curve.yData
    assert len(errors) == len(report.fine_series.t) >= 1
    shown = errors[np.isfinite(errors)]
    assert len(shown) >= 1 and (shown == 100.0).all()
    assert np.isnan(errors[report.fine_series.requests == 0]).all()
    if len(shown) == 1:  # no line to draw: a dot
        dots = w.dashboard.dots[w.dashboard.error_curve]
        assert [float(v) for v in dots.data["y"]] == [100.0]

    tabs = find(w, QTabWidget, "resultTabs")
    assert tabs.currentIndex() == SUMMARY_TAB and tabs.tabText(FAILURES_TAB) == "Failures (40)"
    button = find(w, QPushButton, "showFailuresButton")
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert tabs.currentWidget() is failures

    # A new run starts clean: no banner, no failure rows left from the last one.
    w.form.base_url.setText(w.mock.url)
    set_limits(w, 20)
    assert run_to_end(w, qtbot) == "completed"
    assert not banner.isVisible() and failures.rowCount() == 0
    assert find(w, QLabel, "runStateLabel").text() == "completed"


def test_summary_table_and_status_bar_show_the_final_reports_figures(window, qtbot, set_mock):
    w = window
    set_mock(w, latency_ms=2, error_rate=0.1)
    set_limits(w, 300, concurrency=10)
    assert run_to_end(w, qtbot) == "completed"
    report: Report = w.controller.handle.report()
    assert report.final and w.controller.last is report  # the last report shown is the final
    d = report.to_dict()

    def number(column: str) -> float:
        return float(w.summary.value(column).replace(",", ""))

    for column, key in (("Requests", "requests"), ("Successes", "successes"),
                        ("Failures", "failures"), ("Exceptions", "exceptions")):
        assert number(column) == d[key], column
    assert d["requests"] == 300 and d["failures"] > 0
    assert number("Error %") == pytest.approx(d["error_rate"] * 100, abs=0.005)
    assert number("Req/s") == pytest.approx(d["rps"], abs=0.051)  # 0.05 rounds either way
    for column, key, seconds in (("Avg ms", "mean", report.latency.mean),
                                 ("p50 ms", "p50", report.latency.p50),
                                 ("p90 ms", "p90", report.latency.p90),
                                 ("p99 ms", "p99", report.latency.p99),
                                 ("Max ms", "max", report.latency.max)):
        assert w.summary.value(column) == ms_text(seconds), column
        assert number(column) == pytest.approx(d["latency_ms"][key], abs=0.5), column
    assert w.summary.value("Status codes") == "  ".join(
        f"{code}: {n:,}" for code, n in d["status_counts"].items())

    figures = find(w, QLabel, "figuresLabel").text()
    assert f"{d['requests']:,} requests" in figures
    assert f"p99 {ms_text(report.latency.p99)} ms" in figures
    assert f"errors {d['error_rate'] * 100:.1f}%" in figures
    assert not find(w, QFrame, "runBanner").isVisible()  # 10 % failing: no banner
    assert w.failures.rowCount() == 1 and w.failures.value("Status") == "500"
    assert int(w.failures.value("Count")) == d["failures"]


def test_mostly_failing_run_says_so_in_the_banner(window, qtbot, set_mock):
    w = window
    set_mock(w, error_rate=0.8)
    set_limits(w, 100)
    assert run_to_end(w, qtbot) == "completed"
    report: Report = w.controller.handle.report()
    assert report.error_rate >= 0.5
    text = find(w, QLabel, "runBannerText").text()
    assert find(w, QFrame, "runBanner").isVisible()
    assert text == (f"{report.error_rate * 100:.0f} % of 100 attempts failed, most often "
                    f"HTTP 500 × {report.failures}")
    assert find(w, QFrame, "runBanner").property("severity") == "error"
    # Stopped and mostly failing: both, in one sentence.
    stopped = dataclasses.replace(report, state="stopped",
                                  reason="stopped before reaching its limits")
    assert banner_text(stopped) == f"Stopped before reaching its limits; {text}"
    assert banner_text(dataclasses.replace(report, failures=0, successes=100)) is None


def test_the_banner_says_when_every_api_key_rests(window, qtbot, set_mock):
    w = window
    set_mock(w, error_rate=0.0)
    set_limits(w, 20)
    assert run_to_end(w, qtbot) == "completed"
    done: Report = w.controller.handle.report()
    running = dataclasses.replace(done, state="running", keys=(
        KeyFigures(0, resting=True, resting_until=12.25),
        KeyFigures(1, resting=True, resting_until=30.0)))
    assert banner_text(running) == ("Every API key is resting after 401/403/429 answers "
                                    "(quarantine): sending resumes at 12.2 s")
    one_left = dataclasses.replace(running, keys=(KeyFigures(0, resting=True), KeyFigures(1)))
    assert banner_text(one_left) is None  # the rotation goes on with key 1
    w.results.banner.show_report(running)
    assert find(w, QFrame, "runBanner").isVisible()
    assert find(w, QFrame, "runBanner").property("severity") == "warning"


def test_reports_come_thirty_times_a_second_then_one_final_then_finished(window, qtbot):
    w = window
    set_limits(w, 0, concurrency=20)
    w.form.duration.setValue(1.5)
    events: list[tuple[str, object]] = []
    w.controller.report.connect(lambda r: events.append(("report", r)))
    w.controller.finished.connect(lambda state: events.append(("finished", state)))
    started = time.perf_counter()
    assert run_to_end(w, qtbot) == "completed"
    wall = time.perf_counter() - started
    reports = [r for kind, r in events if kind == "report"]
    assert events[-1] == ("finished", "completed") and events[-2][0] == "report"
    final = reports[-1]
    assert final.final and not any(r.final for r in reports[:-1])
    assert final.requests > 3 * len(reports)  # not one signal per request
    # 30 Hz while it runs (a busy machine may skip ticks), then the final one
    assert 25 <= len(reports) <= 30 * wall + 2
    elapsed = [r.elapsed for r in reports]
    assert elapsed == sorted(elapsed) and final.progress == 1.0
    assert find(w, QLabel, "elapsedLabel").text() == f"{final.elapsed:.1f} s"


def test_stopped_run_shows_why_in_the_banner(window, qtbot, set_mock):
    w = window
    set_mock(w, latency_ms=20)
    set_limits(w, 0)
    w.form.duration.setValue(0)
    click_start(w, qtbot)
    qtbot.waitUntil(lambda: w.controller.handle.report().requests > 20, timeout=10_000)
    assert not find(w, QFrame, "runBanner").isVisible()  # all is well while it runs
    with qtbot.waitSignal(w.runFinished, timeout=2_000):
        w.stop_run()
    assert find(w, QLabel, "runStateLabel").text() == "stopped"
    assert find(w, QFrame, "runBanner").isVisible()
    assert find(w, QLabel, "runBannerText").text() == "Stopped before reaching its limits"
    assert find(w, QFrame, "runBanner").property("severity") == "warning"
    assert not math.isnan(w.controller.handle.report().latency.p99)


def test_headlines_name_attempts_apart_when_requests_were_retried():
    from loadgui.engine.stats.recorder import Recorder
    from loadgui.engine.stats.report_build import report_of_rows
    from loadgui.ui.run_status import load_text

    r = Recorder()
    r.add(0.0, 0.5, 503, 0, 1, -1, 0, final=0)  # retried...
    r.add(1.0, 0.5, 200, 0, 2, -1, 0, req_latency=1.5)  # ...and answered
    r.add(0.0, 0.5, 200, 0, 1, -1, 0)
    report = report_of_rows(r, 2.0)
    assert (report.requests, report.attempts) == (2, 3)
    assert load_text(report) == "2 requests (3 attempts)  ·  2 attempts/s"
    single = report_of_rows(r, 2.0)
    assert load_text(dataclasses.replace(single, attempts=2)) == "2 requests  ·  1/s"


def test_the_summary_tab_says_how_retries_amplified_the_load(qtbot):
    from loadgui.engine.stats.recorder import Recorder
    from loadgui.engine.stats.report_build import report_of_rows
    from loadgui.ui.retry_line import RetryLine

    r = Recorder()
    r.add(0.0, 0.5, 503, 0, 1, -1, 0, final=0)  # retried...
    r.add(1.0, 0.5, 200, 0, 2, -1, 0, req_latency=1.5)  # ...and answered
    r.add(0.0, 0.25, 200, 0, 1, -1, 0, connect=0.002)
    line = RetryLine()
    qtbot.addWidget(line)
    line.show_report(report_of_rows(r, 2.0))
    assert not line.isHidden()
    assert line.text().startswith("1.500× attempts per request  ·  success 50.0% at the "
                                  "first attempt, 100.0% in the end  ·  request latency p50")
    assert "request latency p50 875 ms, p99 1,488 ms (backoff included)" in line.text()
    assert line.text().endswith("1 new connection: connect p50 2.0 ms, p99 2.0 ms")
    plain = Recorder()
    plain.add(0.0, 0.25, 200, 0, 1, -1, 0)
    line.show_report(report_of_rows(plain, 1.0))
    assert line.isHidden()
