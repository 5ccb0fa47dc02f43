"""Requests beside attempts: amplification, success rates, retries per request, exactly."""

import pytest

from loadgui.engine import ErrorKind, RunState
from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report_build import report_of_rows
from tests.retries.retry_run_helpers import run_virtual, script_profile


def test_amplification_is_attempts_over_requests_exactly(server):
    url, calls = server
    calls.reset()
    # One worker, so the script's answers fall to requests in order:
    # r1 503 200 | r2 200 | r3 503 503 200 | r4 200 | r5 503 200
    r = run_virtual(script_profile(url, "/script?codes=503,200,200,503,503,200,200",
                                   total=5, backoff=0.01))
    assert r.state is RunState.COMPLETED
    report = r.report()
    f = report.request_figures
    assert (report.requests, report.attempts, report.retries) == (5, 9, 4)
    assert f.requests == 5 and f.attempts == 9
    assert f.amplification == 9 / 5
    assert f.retries_per_request == {0: 2, 1: 2, 2: 1}
    assert f.first_attempt_successes == 2 and f.first_attempt_success_rate == 2 / 5
    assert f.final_successes == 5 and f.final_success_rate == 1.0
    assert f.awaiting_retry == 0
    assert report.successes == 5 and report.failures == 4
    assert report.error_rate == 4 / 9  # per attempt
    assert f.latency.count == 5 and not f.latency.approximate
    as_json = report.to_dict()
    assert as_json["schema_version"] == 2
    assert (as_json["requests"], as_json["attempts"]) == (5, 9)
    assert as_json["request_figures"]["amplification"] == 1.8
    assert as_json["request_figures"]["retries_per_request"] == {"0": 2, "1": 2, "2": 1}


def test_a_request_out_of_retries_fails_in_the_end(server):
    url, calls = server
    calls.reset()
    # retries=1: r1 503 503 (gives up) | r2 200
    r = run_virtual(script_profile(url, "/script?codes=503,503,200", total=2, retries=1,
                                   backoff=0.01))
    f = r.report().request_figures
    assert r.recorder.columns()["final"].tolist() == [0, 1, 1]
    assert (f.requests, f.attempts, f.final_successes) == (2, 3, 1)
    assert f.final_success_rate == 0.5 and f.first_attempt_success_rate == 0.5
    assert f.retries_per_request == {0: 1, 1: 1}


def test_an_attempt_cancelled_at_the_end_is_its_requests_final_one(server):
    url, _ = server
    p = script_profile(url, "/hang", total=None, retries=2)
    p.limits.duration = 0.3
    r = run_virtual(p)
    cols = r.recorder.columns()
    assert cols["error"].tolist() == [ErrorKind.CANCELLED] and cols["final"].tolist() == [1]
    assert cols["req_latency"][0] == pytest.approx(cols["latency"][0], abs=1e-6)
    f = r.report().request_figures
    assert (f.requests, f.attempts, f.awaiting_retry, f.final_successes) == (1, 1, 0, 0)


def test_a_request_whose_retry_the_end_cut_off_is_counted_as_awaiting_it(server):
    url, calls = server
    calls.reset()
    p = script_profile(url, "/script?codes=503", total=None, retries=3, backoff=10.0)
    p.limits.duration = 1.0
    r = run_virtual(p)
    assert r.recorder.columns()["final"].tolist() == [0]
    f = r.report().request_figures
    assert (f.requests, f.attempts, f.awaiting_retry, f.final_success_rate) == (1, 1, 1, 0.0)
    assert f.retries_per_request == {0: 1}


def test_the_live_report_agrees_with_the_final_one():
    """Live: from folded counts and a histogram; final: exact; the counts are the same."""
    recorder = Recorder()
    rows = [(0.0, 0.1, 503, 1, 0), (0.2, 0.1, 200, 2, 1), (0.5, 0.1, 200, 1, 1),
            (1.0, 0.1, 503, 1, 0)]  # the last request is waiting to retry
    for t, latency, status, attempt, final in rows:
        recorder.add(t, latency, status, 0, attempt, -1, 0, final=final,
                     req_latency=0.3 if attempt == 2 else latency)
    live = report_of_rows(recorder, 1.2, final=False).request_figures
    final = report_of_rows(recorder, 1.2).request_figures
    for f in (live, final):
        assert (f.requests, f.attempts, f.final_successes, f.awaiting_retry) == (3, 4, 2, 1)
        assert f.retries_per_request == {0: 2, 1: 1}
    assert live.latency.approximate and not final.latency.approximate
    assert final.latency.max == pytest.approx(0.3)
    assert live.latency.max == pytest.approx(0.3)


def test_no_request_no_figures():
    assert report_of_rows(Recorder(), 0.0).request_figures is None
