"""The open model (rate mode): sends at intended times, latency from the intended time."""

import asyncio

import pytest

from loadgui.engine import Run, RunState
from loadgui.engine.load.patterns import rate
from loadgui.profile import Profile


def rate_profile(url: str, endpoint: str, rps: float, concurrency: int, **limits) -> Profile:
    p = Profile()
    p.target.base_url, p.target.endpoint = url, endpoint
    p.load.mode, p.load.rate, p.load.concurrency = "rate", rps, concurrency
    p.retry.retries = 0
    p.limits.total_requests = limits.get("total")
    p.limits.duration = limits.get("duration")
    return p


def run(p: Profile) -> Run:
    r = Run(p)
    asyncio.run(r.run())
    return r


def test_sends_at_the_asked_rate(live):
    url, _ = live
    r = run(rate_profile(url, "/ok", 200, 20, duration=1.5))
    s = r.report()
    assert r.state is RunState.COMPLETED
    assert 270 <= s.requests <= 310 and s.generator.asked == pytest.approx(300, abs=3)
    assert s.generator.dropped == 0
    starts = r.recorder.columns()["t_start"]
    gaps = starts[1:] - starts[:-1]
    assert gaps.mean() == pytest.approx(1 / 200, rel=0.1)  # intended times are evenly spaced


def test_count_limit_in_rate_mode(live):
    url, _ = live
    r = run(rate_profile(url, "/ok", 100, 5, total=40))
    assert r.report().requests == 40 and r.state is RunState.COMPLETED
    assert 0.35 <= r.elapsed < 1.5


def test_a_server_stall_shows_in_corrected_latency_not_in_service_time(live):
    url, seen = live
    seen.first_call_at = None
    # One worker at 100/s; the server holds every response for 1 s, 0.5 s into the run.
    r = run(rate_profile(url, "/stall?after=0.5&s=1.0", 100, 1, duration=3.0))
    s = r.report()
    assert s.generator.dropped == 0 and s.requests >= 150
    assert s.latency.p99 > 0.8  # sends queued behind the stall count their wait
    assert s.latency.p90 > 0.2
    assert s.service.p90 < 0.05  # each request itself was quick
    assert s.generator.late_sends > 50
    waits = r.recorder.columns()["wait"]
    assert waits.max() > 0.8


def test_closed_model_has_no_wait_and_equal_service_time(live):
    url, _ = live
    p = rate_profile(url, "/ok", 1, 4, total=50)
    p.load.mode = "concurrency"
    s = run(p).report()
    assert s.generator.late_sends == 0 and s.generator.asked == 0
    assert s.service is None  # service time is a rate-mode figure


def test_rate_follows_the_pattern():
    assert rate("linear", 0, 100) == 1 and rate("linear", 1, 100) == 100
    assert rate("step", 0.1, 80) == 20 and rate("constant", 0.5, 0.5) == 0.5
