"""Run timing with an injected clock and sleep: exact values, not wall-clock bounds."""

import asyncio

import numpy as np
import pytest
from virtual_time import VirtualTime

from loadgui.engine import Run, RunState
from loadgui.profile import Profile


def profile(url: str, endpoint: str = "/ok", **settings) -> Profile:
    p = Profile()
    p.target.base_url, p.target.endpoint = url, endpoint
    p.retry.retries = settings.pop("retries", 0)
    p.retry.backoff = "fixed"
    p.retry.base = p.retry.cap = settings.pop("backoff", 0.25)
    p.load.concurrency = settings.pop("concurrency", 1)
    if "rate" in settings:
        p.load.mode, p.load.rate = "rate", settings.pop("rate")
    p.limits.total_requests = settings.pop("total", None)
    p.limits.duration = settings.pop("duration", None)
    assert not settings
    return p


def run(p: Profile, time: VirtualTime) -> Run:
    r = Run(p, clock=time.clock, sleep=time.sleep)
    asyncio.run(r.run())
    return r


def test_a_run_ends_exactly_at_its_duration(live):
    url, _ = live
    r = run(profile(url, duration=0.55, concurrency=2), VirtualTime())
    assert r.state is RunState.COMPLETED
    assert r.elapsed == pytest.approx(0.55, abs=1e-9)
    report = r.report()
    assert report.elapsed == r.elapsed and report.requests == report.successes > 0


def test_retries_wait_exactly_their_backoff(live):
    url, seen = live
    seen.flaky_calls = 0
    time = VirtualTime()
    r = run(profile(url, "/flaky?n=2", total=1, retries=3, backoff=0.25), time)
    cols = r.recorder.columns()
    assert cols["status"].tolist() == [503, 503, 200]
    # Each retry starts exactly its backoff after the attempt before it ended. (How long an
    # attempt took in virtual time depends on how many other sleepers woke meanwhile.)
    ends = cols["t_start"] + cols["latency"]
    np.testing.assert_allclose(cols["t_start"][1:] - ends[:-1], [0.25, 0.25], rtol=0,
                               atol=1e-9)


def test_the_schedule_sends_at_exact_intended_times(live):
    url, _ = live
    r = run(profile(url, rate=200, total=40, concurrency=4), VirtualTime())
    cols = r.recorder.columns()
    np.testing.assert_allclose(np.sort(cols["t_start"]), np.arange(40) / 200, rtol=0,
                               atol=1e-9)
    report = r.report()
    assert report.generator.asked == 40 and report.requests == 40


def test_a_timer_that_fires_early_never_sends_before_the_intended_time(live):
    """uvloop wakes a sleep up to ~1 ms early; a send must still wait for its time, so no
    wait and no latency is ever negative (it killed the histogram before)."""
    url, _ = live
    time = VirtualTime(early=0.0015)
    r = run(profile(url, rate=100, total=30, concurrency=2), time)
    cols = r.recorder.columns()
    assert (cols["wait"] >= 0).all() and (cols["latency"] >= 0).all()
    assert r.state is RunState.COMPLETED and r.report().requests == 30
    # the dispatcher slept again for what was left, rather than sending early
    assert any(0 < s <= time.early for s in time.sleeps)
