"""Burst mode: N requests released together, against a real server."""

import asyncio

import numpy as np
import pytest
from live_app import serve_live_app

from loadgui.engine import Run, RunState
from loadgui.profile import Profile


@pytest.fixture(scope="module")
def live():
    with serve_live_app() as (url, seen):
        yield url, seen


def burst_profile(url: str, n: int, client: str = "fast", **load) -> Profile:
    p = Profile()
    p.target.base_url, p.target.endpoint, p.target.client = url, "/slow?s=0.05", client
    p.target.method, p.target.body = "POST", '{"task": "solve"}'
    p.load.mode, p.load.concurrency = "burst", n
    for name, value in load.items():
        setattr(p.load, name, value)
    p.retry.retries = 0
    return p


# The fast client opens every connection before the release and costs ~0.05 ms a send; httpx
# opens its connection inside the first request and costs ~0.5 ms of CPU a send, so 100 of
# its sends leave over tens of milliseconds.
@pytest.mark.parametrize(("client", "spread"), [("fast", 0.02), ("httpx", 0.15)])
def test_one_burst_leaves_within_a_few_milliseconds(live, client, spread):
    url, _ = live
    r = Run(burst_profile(url, 100, client))
    s = asyncio.run(r.run())
    assert r.state is RunState.COMPLETED
    assert s.requests == 100 and s.successes == 100
    (burst,) = r.bursts.stats
    assert burst.size == 100
    assert burst.send_spread < spread  # measured spread of the recorded send times
    sent = r.recorder.columns()["t_start"]
    assert np.ptp(sent) == pytest.approx(burst.send_spread)
    assert 0.05 <= burst.first_done <= burst.median_done <= burst.last_done


def test_bursts_repeat_every_interval_until_the_count(live):
    url, _ = live
    r = Run(burst_profile(url, 20, burst_interval=0.3))
    r.profile.limits.total_requests = 50
    asyncio.run(r.run())
    sizes = [b.size for b in r.bursts.stats]
    assert sizes == [20, 20, 10] and len(r.recorder) == 50
    starts = [b.start for b in r.bursts.stats]
    assert np.diff(starts) == pytest.approx([0.3, 0.3], abs=0.05)
