"""The runner against real uvicorn servers on loopback, through real httpx."""

import asyncio
import socket
import time

import numpy as np
import pytest

from loadgui.engine import ErrorKind, Run, RunState
from loadgui.profile import Profile


def profile(url: str, endpoint: str = "/ok", **limits) -> Profile:
    p = Profile()
    p.target.base_url = url
    p.target.endpoint = endpoint
    p.load.concurrency = limits.pop("concurrency", 4)
    p.retry.retries = limits.pop("retries", 0)
    p.retry.base = p.retry.cap = 0.01
    p.limits.total_requests = limits.pop("total", None)
    p.limits.duration = limits.pop("duration", None)
    assert not limits
    return p


def run(p: Profile, stop_after: float | None = None) -> tuple[Run, float]:
    r = Run(p)

    async def go():
        if stop_after is not None:
            asyncio.get_running_loop().call_later(stop_after, r.stop)
        return await r.run()

    started = time.perf_counter()
    asyncio.run(go())
    return r, time.perf_counter() - started


def test_stops_at_the_total_request_count(live):
    url, _ = live
    r, _ = run(profile(url, total=137, concurrency=10))
    s = r.report()
    assert r.state is RunState.COMPLETED
    assert s.requests == 137 and s.successes == 137 and s.status_counts == {200: 137}
    assert r.progress() == 1.0


def test_stops_when_the_duration_has_elapsed(live):
    url, _ = live
    r, took = run(profile(url, "/slow?s=0.05", duration=0.6, concurrency=3))
    assert r.state is RunState.COMPLETED
    assert 0.6 <= took < 1.6
    assert 0.6 <= r.elapsed < 0.8
    assert 12 <= r.report().requests <= 40


def test_stop_cancels_in_flight_requests_within_a_second_and_keeps_data(live):
    url, seen = live
    seen.hang_calls = 0
    r = Run(profile(url, "/hang-after?n=25", concurrency=5))

    async def go():
        task = asyncio.ensure_future(r.run())
        while r.completed_requests < 25:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)  # the next five requests now hang on the server
        t = time.perf_counter()
        r.stop()
        await task
        return time.perf_counter() - t

    took = asyncio.run(go())
    assert took < 1.0
    assert r.state is RunState.STOPPED
    report = r.report()
    # The five hanging attempts are recorded once each, as cancelled, not dropped.
    assert (report.requests, report.successes, report.cancelled) == (30, 25, 5)
    assert report.error_counts == {"cancelled": 5}
    assert report.errors[0].message == "still in flight when the run ended"


def test_run_without_limits_goes_until_stop(live):
    url, _ = live
    r, took = run(profile(url, concurrency=2), stop_after=0.5)
    assert r.state is RunState.STOPPED and 0.5 <= took < 1.5
    assert r.report().requests > 10
    assert r.progress() is None


def test_retries_are_recorded_as_attempts_with_backoff(live):
    url, seen = live
    seen.flaky_calls = 0
    r, _ = run(profile(url, "/flaky?n=2", total=1, concurrency=1, retries=3))
    cols = r.recorder.columns()
    assert cols["attempt"].tolist() == [1, 2, 3]
    assert cols["status"].tolist() == [503, 503, 200]
    s = r.report()
    assert (s.attempts, s.retries, s.successes, s.failures) == (3, 2, 1, 2)
    assert s.requests == 1
    gaps = np.diff(cols["t_start"])
    assert (gaps >= 0.01).all()  # each retry waited its backoff


def test_retries_stop_after_the_limit_and_4xx_is_not_retried(live):
    url, _ = live
    r, _ = run(profile(url, "/status/500", total=2, concurrency=1, retries=2))
    assert r.report().attempts == 6 and r.report().requests == 2
    r, _ = run(profile(url, "/status/429", total=1, concurrency=1, retries=2))
    assert r.report().attempts == 3
    r, _ = run(profile(url, "/status/404", total=3, concurrency=1, retries=2))
    assert r.report().attempts == 3 and r.report().failures == 3


def test_keys_rotate_round_robin_per_request(live):
    url, seen = live
    seen.auth.clear()
    p = profile(url, total=7, concurrency=1)
    p.keys.keys = ["alpha", "beta", "gamma"]
    r, _ = run(p)
    assert seen.auth == ["Bearer alpha", "Bearer beta", "Bearer gamma"] * 2 + ["Bearer alpha"]
    assert r.recorder.columns()["key"].tolist() == [0, 1, 2, 0, 1, 2, 0]


def test_key_header_and_scheme_are_configurable(live, tmp_path):
    url, seen = live
    seen.custom.clear()
    keys = tmp_path / "keys.txt"
    keys.write_text("# staging keys\nk-one\n\n  k-two  \n")
    p = profile(url, total=4, concurrency=1)
    p.keys.file, p.keys.header, p.keys.scheme = str(keys), "X-Api-Key", ""
    run(p)
    assert seen.custom == ["k-one", "k-two", "k-one", "k-two"]


def test_method_headers_and_body_are_sent(live):
    url, seen = live
    seen.bodies.clear()
    seen.methods.clear()
    p = profile(url, total=2, concurrency=1)
    p.target.method, p.target.body = "POST", '{"a": 1}'
    p.target.headers = {"Content-Type": "application/json"}
    run(p)
    assert seen.methods == ["POST", "POST"] and seen.bodies == [b'{"a": 1}'] * 2


def test_bytes_received_are_counted(live):
    url, _ = live
    r, _ = run(profile(url, "/size/12345", total=3, concurrency=1))
    assert r.recorder.columns()["bytes"].tolist() == [12345] * 3


def test_connection_refused_everywhere_fails_the_run_with_the_reason():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    r, took = run(profile(f"http://127.0.0.1:{port}", total=20, concurrency=4))
    s = r.report()
    assert r.state is RunState.FAILED and took < 5
    assert r.reason == (f"all 20 attempts failed without a response: connection refused "
                        f"(127.0.0.1:{port}) × 20 — is the server running?")
    assert s.requests == 20 and s.exceptions == 20 and s.error_rate == 1.0
    assert s.error_counts == {"connect": 20}
    assert set(r.recorder.columns()["error"].tolist()) == {ErrorKind.CONNECT}


def test_timeouts_are_recorded_as_timeout_errors(live):
    url, _ = live
    p = profile(url, "/slow?s=5", total=2, concurrency=2)
    p.target.timeout = 0.2
    r, took = run(p)
    assert took < 2 and r.report().error_counts == {"timeout": 2}


def test_linear_pattern_ramps_the_active_workers(live):
    url, _ = live
    p = profile(url, "/slow?s=0.02", duration=1.0, concurrency=20)
    p.load.pattern = "linear"
    levels = []
    r = Run(p)

    async def go():
        task = asyncio.ensure_future(r.run())
        while not task.done():
            levels.append(r.level)
            await asyncio.sleep(0.1)
        await task

    asyncio.run(go())
    assert levels[0] <= 3 and max(levels) >= 12  # sampled every 0.1 s of a 1 s ramp to 20
    assert levels == sorted(levels)


def test_a_run_runs_once(live):
    url, _ = live
    r, _ = run(profile(url, total=1))
    with pytest.raises(RuntimeError):
        asyncio.run(r.run())
