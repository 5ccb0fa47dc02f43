"""Thresholds evaluated on reports built from known rows: exact figures, pass and fail."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from loadgui.engine import ErrorKind, Recorder
from loadgui.engine.stats.check_totals import CheckFigures
from loadgui.engine.stats.gauges import Gauges
from loadgui.engine.stats.report_build import RunFacts, build_report, report_of_rows
from loadgui.engine.stats.thresholds import evaluate, value_text

LOGIN = [0.010, 0.020, 0.030, 0.040, 0.050, 0.060, 0.070, 0.080, 0.090, 0.100]
SEARCH = [0.200, 0.400]


def two_requests() -> Recorder:
    """login: 10 successes (10..100 ms) and 2 failures; search: 2 successes, 1 timeout."""
    r = Recorder()
    r.labels["request"] = ["login", "search"]
    for i, latency in enumerate(LOGIN):
        r.add(i * 0.1, latency, 200, 10, 1, -1, ErrorKind.NONE, request=0)
    r.add(1.0, 0.5, 500, 0, 1, -1, ErrorKind.NONE, request=0)
    r.add(1.1, 0.5, 503, 0, 1, -1, ErrorKind.NONE, request=0)
    for i, latency in enumerate(SEARCH):
        r.add(1.2 + i * 0.1, latency, 200, 10, 1, -1, ErrorKind.NONE, request=1)
    r.add(1.5, 2.0, 0, 0, 1, -1, ErrorKind.TIMEOUT, request=1)
    return r


def one_result(expression: str, report):
    (result,) = evaluate([expression], report)
    return result


def test_whole_run_figures_are_compared_exactly():
    report = report_of_rows(two_requests(), 5.0)
    everything = np.array(LOGIN + SEARCH)
    p95 = np.percentile(everything, 95) * 1000
    result = one_result("p95 < 300ms", report)
    assert result.value == pytest.approx(p95) and result.passed == (p95 < 300)
    assert result.detail == f"p95 = {p95:.0f} ms (limit < 300 ms)"
    failing = one_result("p95 < 1ms", report)
    assert not failing.passed and failing.value == pytest.approx(p95)
    assert one_result("error_rate < 20%", report).value == pytest.approx(3 / 15)
    assert not one_result("error_rate < 20%", report).passed  # 0.2 is not < 0.2
    assert one_result("error_rate <= 20%", report).passed
    assert one_result("rps >= 3", report).value == pytest.approx(15 / 5.0)
    assert one_result("rps >= 3", report).passed
    assert one_result("requests == 15", report).passed
    assert one_result("failures == 3", report).passed
    assert one_result("max < 1s", report).value == pytest.approx(400.0)
    assert one_result("min > 9ms", report).passed
    assert one_result("avg < 100ms", report).value == round(everything.mean() * 1000, 3)


def test_per_request_figures_come_from_the_request_breakdown():
    report = report_of_rows(two_requests(), 5.0)
    login = one_result("request:login p99 < 100ms", report)
    assert login.value == pytest.approx(np.percentile(LOGIN, 99) * 1000) and login.passed
    assert login.detail.startswith("p99 of request login = ")
    search = one_result("request:search error_rate < 10%", report)
    assert search.value == pytest.approx(1 / 3) and not search.passed
    assert one_result("request:search requests == 3", report).passed
    missing = one_result("request:nobody p95 < 1s", report)
    assert (missing.passed, missing.value) == (False, None)
    assert missing.detail == "no request named nobody in this run"


def test_one_request_uses_the_whole_run_and_a_target_is_checked_by_url():
    r = Recorder()
    for i, latency in enumerate(LOGIN):
        r.add(i * 0.1, latency, 200, 10, 1, -1, ErrorKind.NONE)
    report = dataclasses.replace(report_of_rows(r, 2.0), target="http://127.0.0.1:8000")
    assert one_result("request:/test p50 < 1s", report).value == pytest.approx(55.0)
    assert one_result("target:http://127.0.0.1:8000/ requests == 10", report).passed
    other = one_result("target:http://elsewhere p50 < 1s", report)
    assert not other.passed and other.detail == "no target http://elsewhere in this run"


def test_checks_are_the_pass_rate_over_every_check():
    report = dataclasses.replace(report_of_rows(two_requests(), 5.0), checks=(
        CheckFigures("login", "status 200", 98, 2), CheckFigures("search", "has id", 50, 0)))
    assert one_result("checks > 98%", report).value == pytest.approx(148 / 150)
    assert one_result("checks > 98%", report).passed
    login = one_result("request:login checks >= 99%", report)
    assert login.value == pytest.approx(0.98) and not login.passed
    assert login.detail == "checks of request login = 98.00 % (limit >= 99.00 %)"
    assert value_text(login) == "98.00 %"


def test_absent_figures_fail_and_say_why():
    empty = report_of_rows(Recorder(), 0.0, final=False, state="running")
    results = evaluate(["p95 < 1s", "error_rate < 1%", "checks > 99%", "rps > 1"], empty)
    assert [r.passed for r in results] == [False] * 4
    assert all(r.waiting for r in results)
    assert [r.detail for r in results] == [
        "p95: no successful response yet", "error_rate: no requests yet",
        "checks: no check has run yet", "rps: no time has passed yet"]
    assert value_text(results[0]) == ""


def test_build_report_evaluates_the_runs_thresholds_into_the_report_and_its_json():
    recorder = two_requests()
    report = build_report(recorder, Gauges(), RunFacts(
        state="completed", reason=None, final=True, mode="concurrency", client="", target="",
        elapsed=5.0, progress=None, thresholds=("p95 < 1ms", "requests > 10")))
    assert [(t.expression, t.passed) for t in report.thresholds] == [
        ("p95 < 1ms", False), ("requests > 10", True)]
    assert report.to_dict()["thresholds"][1] == {
        "expression": "requests > 10", "passed": True, "value": 15.0,
        "detail": "requests = 15 (limit > 10)"}
    assert value_text(report.thresholds[0]).endswith(" ms")
