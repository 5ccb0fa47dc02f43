"""Burst mode: N requests released together, against a real server."""

import asyncio
import re
import signal
import subprocess
import sys

import numpy as np
import pytest

from loadgui.engine import Run, RunState
from loadgui.profile import Profile


@pytest.fixture(scope="module")
def mock_process():
    """The mock server in its own process (50 ms a response): a server thread in this process
    would take the GIL from the client mid-release and widen the spread it measures."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "--port", "0", "--min-latency", "0.05",
         "--max-latency", "0.05", "--error-rate", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert url, line
        yield url.group(0)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)  # also closes its stdout pipe


def burst_profile(url: str, n: int, client: str = "fast", **load) -> Profile:
    p = Profile()
    p.target.base_url, p.target.endpoint, p.target.client = url, "/test", client
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
def test_one_burst_leaves_within_a_few_milliseconds(mock_process, client, spread):
    url = mock_process
    r = Run(burst_profile(url, 100, client))
    s = asyncio.run(r.run())
    assert r.state is RunState.COMPLETED
    assert s.requests == 100 and s.successes == 100
    (burst,) = r.report().bursts
    assert burst.size == 100
    assert burst.send_spread < spread  # measured spread of the recorded send times
    sent = r.recorder.columns()["t_start"]
    assert np.ptp(sent) == pytest.approx(burst.send_spread)
    assert 0.05 <= burst.first_done <= burst.median_done <= burst.last_done


def test_bursts_repeat_every_interval_until_the_count(mock_process):
    url = mock_process
    p = burst_profile(url, 20, burst_interval=0.3).draft()
    p.limits.total_requests = 50
    r = Run(p)
    asyncio.run(r.run())
    sizes = [b.size for b in r.report().bursts]
    assert sizes == [20, 20, 10] and len(r.recorder) == 50
    starts = [b.start for b in r.report().bursts]
    assert np.diff(starts) == pytest.approx([0.3, 0.3], abs=0.05)
