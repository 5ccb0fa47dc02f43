"""Comparing two runs: deltas, verdicts against the noise band, groups, profiles, gates."""

from __future__ import annotations

import math

import pytest
from store_helpers import synthetic_columns

from loadgui.commands.runs_cmd import parse_fraction
from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report import Report
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.profile import Load, Profile
from loadgui.store import Gates, compare_reports, profile_changes
from loadgui.store.compare import METRICS, delta
from loadgui.store.redact import stored_profile


def report(n: int = 4000, *, names: tuple[str, ...] = ("a", "b"), **options) -> Report:
    recorder = Recorder()
    recorder.labels = {"request": list(names), "target": ["http://127.0.0.1:1"]}
    recorder.extend(synthetic_columns(n, requests=len(names), **options), ["", "boom"])
    return report_of_rows(recorder, 10.0)


def test_slower_run_is_worse_on_latency_and_same_on_throughput():
    diff = compare_reports(report(latency_s=0.020), report(latency_s=0.030))
    overall = diff.overall
    assert overall.metric("rps").verdict == "same"
    for name in ("p50", "p90", "p95", "p99"):
        m = overall.metric(name)
        assert m.verdict == "worse" and 0.35 < m.change < 0.65, (name, m)
    assert overall.metric("p50").a == pytest.approx(
        report(latency_s=0.020).latency.p50 * 1000)
    assert diff.verdict == "worse"
    assert [s.name for s in diff.requests] == ["a", "b"]
    assert all(s.metric("p99").verdict == "worse" for s in diff.requests)


def test_changes_inside_the_noise_band_are_the_same():
    a = report(seed=1)
    b = report(seed=2)  # the same distribution, other draws: a few per cent apart at most
    diff = compare_reports(a, b, noise=0.05)
    assert {m.metric.name: m.verdict for m in diff.overall.metrics
            if m.metric.name != "max"} == {
        "rps": "same", "p50": "same", "p90": "same", "p95": "same", "p99": "same",
        "error_rate": "same"}
    strict = compare_reports(a, b, noise=0.0)
    assert any(m.verdict != "same" for m in strict.overall.metrics)


def test_more_throughput_is_better_and_more_errors_worse():
    a = report(4000)
    b = report(6000, error_share=0.1)
    overall = compare_reports(a, b).overall
    assert overall.metric("rps").verdict == "better"
    assert overall.metric("rps").change == pytest.approx(0.5)
    assert overall.metric("error_rate").verdict == "worse"
    assert overall.metric("error_rate").change is None  # from zero: no percentage
    assert compare_reports(a, b).verdict == "mixed"


def test_a_tiny_error_rate_change_is_the_same():
    rps = next(m for m in METRICS if m.name == "error_rate")
    assert delta(rps, 0.0, 0.0005, 0.05).verdict == "same"
    assert delta(rps, 0.0, 0.002, 0.05).verdict == "worse"


def test_a_run_with_no_success_compares_as_unknown():
    a = report()
    b = report(error_share=1.0)
    p99 = compare_reports(a, b).overall.metric("p99")
    assert math.isnan(p99.b) and p99.verdict == "n/a" and p99.change is None
    assert compare_reports(a, b).overall.to_dict()["metrics"]["p99"]["b"] is None


def test_requests_in_only_one_run_are_listed_as_such():
    diff = compare_reports(report(names=("a", "b")), report(names=("a", "c")))
    only = {(s.name, s.in_a, s.in_b) for s in diff.requests}
    assert only == {("a", True, True), ("b", True, False), ("c", False, True)}


def test_profile_changes_name_each_field():
    a = stored_profile(Profile(load=Load(concurrency=10)).validated())
    b_draft = Profile(load=Load(concurrency=50, pattern="linear")).draft()
    b_draft.target.headers = {"X-Trace": "1"}
    b = stored_profile(b_draft.validated())
    texts = [c.text() for c in profile_changes(a, b)]
    assert texts == ["load.concurrency: 10 → 50", "load.pattern: constant → linear",
                     "target.headers.X-Trace: (none) → 1"]
    assert profile_changes(a, a) == ()


def test_gates_fail_with_one_line_each():
    diff = compare_reports(report(latency_s=0.02), report(3000, latency_s=0.03,
                                                          error_share=0.05))
    crossed = Gates(max_p99_regression=0.10, max_rps_drop=0.10,
                    max_error_rate_increase=0.01).failures(diff)
    assert len(crossed) == 3 and all("\n" not in line for line in crossed)
    assert crossed[0].startswith("p99 latency rose ") and "--max-p99-regression 10.0%" in crossed[0]
    assert crossed[1].startswith("throughput fell 25.0%")
    assert crossed[2].startswith("error rate rose ")
    assert Gates(max_p99_regression=2.0, max_rps_drop=0.5,
                 max_error_rate_increase=0.2).failures(diff) == []


def test_a_p99_gate_cannot_pass_without_successes():
    diff = compare_reports(report(), report(error_share=1.0))
    assert Gates(max_p99_regression=0.1).failures(diff) == [
        "cannot check --max-p99-regression: run B has no successful request to time"]


@pytest.mark.parametrize(("text", "value"), [("10%", 0.1), ("0.1", 0.1), (" 2.5 % ", 0.025),
                                             ("0", 0.0)])
def test_fractions_read_as_percent_or_fraction(text, value):
    assert parse_fraction(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["ten", "-5%", "", "inf"])
def test_bad_fractions_are_refused(text):
    with pytest.raises(ValueError):
        parse_fraction(text)
