"""Runs spread over worker processes, merged into one recorder, against a real server."""

import asyncio
import os
import signal
import time

import numpy as np
import pytest

from loadgui.engine import RunState, make_run
from loadgui.engine.load.processes import ProcessRun
from loadgui.engine.load.run import Run
from loadgui.engine.load.senders import split_profile
from loadgui.profile import Profile, ProfileError


def profile(url: str, endpoint: str = "/test", **load) -> Profile:
    p = Profile()
    p.target.base_url = url
    p.target.endpoint = endpoint
    p.retry.retries = 0
    p.load.processes = load.pop("processes", 2)
    p.load.concurrency = load.pop("concurrency", 8)
    p.limits.total_requests = load.pop("total", None)
    p.limits.duration = load.pop("duration", None)
    for name, value in load.items():
        setattr(p.load, name, value)
    return p


def test_split_divides_concurrency_rate_and_count():
    p = profile("http://127.0.0.1:1", processes=3, concurrency=10, total=100, mode="rate",
                rate=90.0)
    parts = split_profile(p.validate(), 3)
    assert [x.load.concurrency for x in parts] == [4, 3, 3]
    assert [x.limits.total_requests for x in parts] == [34, 33, 33]
    assert [x.load.rate for x in parts] == [30.0] * 3
    assert all(x.load.processes == 1 for x in parts)


def test_make_run_picks_processes_only_when_asked():
    assert isinstance(make_run(profile("http://127.0.0.1:1", processes=1)), Run)
    assert isinstance(make_run(profile("http://127.0.0.1:1", processes=2)), ProcessRun)
    with pytest.raises(ProfileError, match="processes must be between 1 and 256"):
        profile("http://127.0.0.1:1", processes=0).validate()


def test_two_processes_record_every_request_in_completion_order(quiet_mock):
    r = ProcessRun(profile(quiet_mock.url, total=600))
    s = asyncio.run(r.run())
    assert r.state is RunState.COMPLETED and r.reason is None
    assert s.requests == 600 and s.successes == 600
    cols = r.recorder.columns()
    ends = cols["t_start"] + cols["latency"]
    assert (np.diff(ends) >= 0).all()
    assert s.series.requests.sum() == 600
    assert not any(p.is_alive() for p in r.processes)


def test_stop_reaches_every_process_within_a_second(quiet_mock):
    r = ProcessRun(profile(quiet_mock.url))

    async def go():
        task = asyncio.ensure_future(r.run())
        while r.report().requests < 200:
            await asyncio.sleep(0.05)
        started = time.perf_counter()
        r.stop()
        await task
        return time.perf_counter() - started

    took = asyncio.run(go())
    assert took < 1.0
    assert r.state is RunState.STOPPED and len(r.recorder) >= 200
    assert not any(p.is_alive() for p in r.processes)


def test_a_crashed_process_is_reported_and_the_run_keeps_its_data(quiet_mock):
    r = ProcessRun(profile(quiet_mock.url, duration=2.0))

    async def go():
        task = asyncio.ensure_future(r.run())
        while r.report().requests < 100:
            await asyncio.sleep(0.05)
        os.kill(r.processes[0].pid, signal.SIGKILL)
        await task

    asyncio.run(go())
    assert r.state is RunState.FAILED
    assert "worker process 1 of 2 (pid " in r.reason and "exited unexpectedly" in r.reason
    assert len(r.recorder) >= 100
    assert r.elapsed >= 1.9  # the other process ran to the end
