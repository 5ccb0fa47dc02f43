"""Worker processes carry their key rests and Retry-After waits to the parent's report."""

import asyncio

from loadgui.engine import RunState
from loadgui.engine.load.processes import ProcessRun
from tests.retries.retry_run_helpers import script_profile


def test_each_process_reports_its_rests_and_waits(server):
    url, calls = server
    calls.reset()
    p = script_profile(url, "/by-key", total=20, retries=0, concurrency=2,
                       keys=["bad-0", "good-1"], quarantine_after=1)
    p.load.processes = 2
    r = ProcessRun(p)
    report = asyncio.run(r.run())
    assert r.state is RunState.COMPLETED, r.reason
    # Each process rotates the keys on its own, so each refuses key 0 once.
    assert [rest.key for rest in report.key_rests] == [0, 0]
    assert all(rest.end is None for rest in report.key_rests)
    assert calls.keys.count("bad-0") == 2 and calls.keys.count("good-1") == 18
    assert report.keys[0].unauthorized == 2 and report.keys[0].resting


def test_every_key_refused_in_a_process_fails_the_run(server):
    url, calls = server
    calls.reset()
    p = script_profile(url, "/by-key", total=20, retries=0, concurrency=2, keys=["bad-0"],
                       quarantine_after=1)
    p.load.processes = 2
    r = ProcessRun(p)
    asyncio.run(r.run())
    assert r.state is RunState.FAILED
    assert r.reason.startswith("every API key was refused (401/403): keys 0")


def test_retry_after_waits_are_summed_over_processes(server):
    url, calls = server
    calls.reset()
    # Always 429: each request's one retry waits as Retry-After says.
    p = script_profile(url, "/script?codes=429&ra=0", total=4, retries=1, concurrency=2)
    p.load.processes = 2
    r = ProcessRun(p)
    report = asyncio.run(r.run())
    assert r.state is RunState.COMPLETED, r.reason
    f = report.request_figures
    assert (f.requests, f.attempts, f.retry_after_waits, f.final_successes) == (4, 8, 4, 0)
