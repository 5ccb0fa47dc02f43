"""Per-key accounting and quarantine: refused keys leave the rotation, limited ones rest."""

import numpy as np
import pytest

from loadgui.engine import RunState
from loadgui.engine.load.keys import KeyRing
from tests.engine.virtual_time import VirtualTime
from tests.retries.retry_run_helpers import run_virtual, script_profile


def test_a_refused_key_is_quarantined_and_skipped(server):
    url, calls = server
    calls.reset()
    p = script_profile(url, "/by-key", total=7, retries=0,
                       keys=["bad-0000", "good-1111", "good-2222"], quarantine_after=1)
    r = run_virtual(p)
    assert r.state is RunState.COMPLETED
    assert calls.keys == ["bad-0000"] + ["good-1111", "good-2222"] * 3
    report = r.report()
    assert [(k.key, k.attempts, k.successes, k.unauthorized, k.last_status)
            for k in report.keys] == [(0, 1, 0, 1, 401), (1, 3, 3, 0, 200), (2, 3, 3, 0, 200)]
    assert report.keys[0].resting and report.keys[0].resting_until is None
    assert not report.keys[1].resting
    (rest,) = report.key_rests
    first_end = r.recorder.columns()["t_start"][0] + r.recorder.columns()["latency"][0]
    assert rest.key == 0 and rest.end is None and rest.start == pytest.approx(first_end)
    assert rest.reason == "answered 401: refused, out for the rest of the run"
    as_json = report.to_dict()
    assert as_json["keys"][0] == {
        "key": 0, "attempts": 1, "successes": 0, "status_401": 1, "status_403": 0,
        "status_429": 0, "latency_ms": as_json["keys"][0]["latency_ms"], "last_status": 401,
        "resting": True, "resting_until_s": None}
    assert as_json["key_rests"][0]["end_s"] is None
    assert "bad-0000" not in str(as_json)


def test_when_every_key_is_refused_the_run_fails_saying_so(server):
    url, calls = server
    calls.reset()
    p = script_profile(url, "/by-key", total=50, retries=0, quarantine_after=2,
                       keys=["bad-a", "bad-b", "forbidden-c"])
    r = run_virtual(p)
    assert r.state is RunState.FAILED
    assert r.reason.startswith("every API key was refused (401/403): keys 0, 1, 2")
    assert len(calls.keys) == 6  # two answers each, then no more sends
    report = r.report()
    assert [k.forbidden for k in report.keys] == [0, 0, 2]
    assert len(report.key_rests) == 3


def test_a_rate_limited_key_rests_then_comes_back(server):
    url, calls = server
    calls.reset()
    p = script_profile(url, "/by-key", total=3, retries=0, keys=["limited-x", "good-y"],
                       quarantine_after=1, quarantine_rest=5.0)
    r = run_virtual(p)
    report = r.report()
    assert calls.keys == ["limited-x", "good-y", "good-y"]
    (rest,) = report.key_rests
    assert rest.end == pytest.approx(rest.start + 5.0, abs=1e-9)
    assert report.keys[0].rate_limited == 1 and report.keys[0].resting  # the run was short
    assert report.keys[0].resting_until == rest.end


def test_when_every_key_rests_the_workers_wait_for_the_first_back(server):
    url, calls = server
    calls.reset()
    time = VirtualTime()
    p = script_profile(url, "/by-key", total=4, retries=0, quarantine_after=1,
                       quarantine_rest=5.0, keys=["limited-1", "limited-2"])
    r = run_virtual(p, time)
    assert r.state is RunState.COMPLETED
    assert calls.keys == ["limited-1", "limited-2", "limited-1", "limited-2"]
    cols = r.recorder.columns()
    rests = r.report().key_rests
    # The third request goes when key 0's rest ends, exactly; the fourth when key 1's does.
    np.testing.assert_allclose(cols["t_start"][2:], [rests[0].end, rests[1].end], rtol=0,
                               atol=1e-9)
    assert [rest.key for rest in rests] == [0, 1, 0, 1]
    # No spinning: the worker slept once per wait, beside the control loop's 0.1 s ticks.
    assert sum(1 for s in time.sleeps if s != 0.1 and s > 0) <= 4


def test_a_retry_of_a_key_put_to_rest_goes_with_another_key(server):
    url, calls = server
    calls.reset()
    p = script_profile(url, "/by-key", total=1, retries=2, backoff=0.01, quarantine_after=1,
                       keys=["limited-1", "good-2"])
    r = run_virtual(p)
    assert calls.keys == ["limited-1", "good-2"]
    assert r.recorder.columns()["key"].tolist() == [0, 1]
    assert r.report().request_figures.final_successes == 1


def test_without_quarantine_the_rotation_never_skips():
    now = [0.0]
    ring = KeyRing(["a", "b"], clock=lambda: now[0])
    for _ in range(5):
        ring.observe(0, 401)
    assert [ring.next()[0] for _ in range(4)] == [0, 1, 0, 1]
    assert ring.wait() == 0.0 and ring.rests(0.0) == ()


def test_other_answers_break_a_run_of_refusals_but_no_answer_does_not():
    now = [10.0]
    ring = KeyRing(["a", "b"], quarantine_after=3, rest=2.0, clock=lambda: now[0])
    for status in (429, 429, 200, 429, 0, 429):
        ring.observe(0, status)
    assert not ring.resting(0)
    ring.observe(0, 429)
    assert ring.resting(0) and ring.wait() == 0.0
    assert [ring.next()[0] for _ in range(3)] == [1, 1, 1]
    now[0] = 12.0
    assert not ring.resting(0) and ring.rests(10.0)[0].end == 2.0
