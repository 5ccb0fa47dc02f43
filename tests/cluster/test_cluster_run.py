"""Runs on a real Dask cluster on loopback (tests/cluster/conftest.py): a scheduler and two
`loadgui worker` processes, driven through `--cluster` and the run surface."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import re
import signal
import time
from typing import Any

import numpy as np

from loadgui.commands.main import main
from loadgui.engine import Report, RunState, make_run
from loadgui.engine.load.cluster_run import ClusterRun
from loadgui.profile import Profile


def profile(cluster: str, url: str, **load: object) -> Profile:
    p = Profile()
    p.target.base_url = url
    p.retry.retries = 0
    p.load.cluster = cluster
    p.load.cluster_workers = 2
    p.load.concurrency = int(load.pop("concurrency", 8))  # type: ignore[call-overload]
    p.limits.total_requests = load.pop("total", None)  # type: ignore[assignment]
    p.limits.duration = load.pop("duration", None)  # type: ignore[assignment]
    return p


def lost_at(reason: str | None) -> float:
    """When the reason says a worker was lost, in seconds into the run."""
    match = re.search(r"was lost ([0-9.]+) s into the run", reason or "")
    assert match, reason
    return float(match.group(1))


def worker_pid(report: Report, index: int) -> int:
    pid = report.workers[index].pid
    assert pid is not None
    return pid


async def until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


def run_and_signal(run: Any, worker: int, sig: signal.Signals, signalled: list[int]) -> float:
    """Run `run` to its end; once both workers have sent and 100 requests are in, send `sig`
    to worker `worker`'s process (its pid appended to `signalled` first, so a caller can
    undo it whatever happens). The run's elapsed time when the signal was sent."""

    async def go() -> float:
        task = asyncio.ensure_future(run.run())
        await until(lambda: run.report().requests > 100 and len(run.report().workers) == 2)
        signalled.append(worker_pid(run.report(), worker))
        os.kill(signalled[-1], sig)
        at: float = run.elapsed
        await task
        return at

    return asyncio.run(go())


def test_the_shipped_configuration_reaches_scheduler_and_workers(loopback_cluster):
    from distributed import Client

    def settings() -> tuple[str | None, int]:
        import dask.config

        return (os.environ.get("MALLOC_TRIM_THRESHOLD_"),
                dask.config.get("distributed.scheduler.allowed-failures"))

    with Client(loopback_cluster.address, timeout=10) as client:
        on_workers = client.run(settings)
        scheduler = client.run_on_scheduler(settings)
        threads = [w["nthreads"] for w in client.scheduler_info()["workers"].values()]
    assert list(on_workers.values()) == [(None, 0), (None, 0)]  # no MALLOC_TRIM_THRESHOLD_
    assert scheduler[1] == 0
    assert threads == [1, 1]


def test_cli_run_records_every_attempt_once_from_both_workers(loopback_cluster, quiet_mock,
                                                             tmp_path, capsys):
    out = tmp_path / "rows.csv"
    code = main(["run", "--cluster", loopback_cluster.address, "--cluster-workers", "2",
                 "--base-url", quiet_mock.url, "-e", "/test", "-n", "3000", "-c", "8",
                 "--retries", "0", "--traffic-pattern", "constant", "--json",
                 "--export-csv", str(out)])
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0, report["reason"]
    assert report["state"] == "completed" and report["requests"] == 3000
    with out.open() as f:
        assert sum(1 for _ in csv.reader(f)) - 1 == report["requests"]
    workers = report["workers"]
    assert len(workers) == 2 and all(w["requests"] > 0 for w in workers)
    assert sum(w["requests"] for w in workers) == 3000
    assert {w["state"] for w in workers} == {"done"}
    assert all(w["name"].startswith(f"cluster worker {i + 1} on ") for i, w in enumerate(workers))
    # Each worker's clock offset, measured at start, is known to within a few milliseconds.
    assert all(0 < w["clock_uncertainty_ms"] < 50 for w in workers)


def test_live_reports_during_the_run_and_stop_within_a_second(loopback_cluster, quiet_mock):
    run = make_run(profile(loopback_cluster.address, quiet_mock.url))
    assert isinstance(run, ClusterRun)
    live: list[Report] = []

    async def go() -> float:
        task = asyncio.ensure_future(run.run())
        await until(lambda: run.report().requests > 0)
        for _ in range(5):
            live.append(run.report())
            await asyncio.sleep(0.1)
        started = time.perf_counter()
        run.stop()
        await task
        return time.perf_counter() - started

    took = asyncio.run(go())
    assert took <= 1.0
    assert all(r.state == "running" and not r.final for r in live)
    assert live[-1].requests > live[0].requests > 0
    final = run.report()
    assert run.state is RunState.STOPPED and final.requests == len(run.recorder)
    assert all(w.state == "done" and w.requests > 0 for w in final.workers)
    cols = run.recorder.columns()
    assert (np.diff(cols["t_start"] + cols["latency"]) >= 0).all()  # completion order
    assert run.clock_uncertainty is not None and 0 < run.clock_uncertainty < 0.05


def test_unanswered_targets_fail_the_cluster_run_as_they_fail_a_local_one(loopback_cluster):
    run = make_run(profile(loopback_cluster.address, "http://127.0.0.1:9", duration=0.5))
    report = asyncio.run(run.run())
    assert report.state == "failed" and report.requests > 0
    assert report.reason is not None and "failed without a response" in report.reason
    assert "is the server running?" in report.reason


def test_a_frozen_worker_is_declared_lost_after_the_silence_limit(loopback_cluster,
                                                                   quiet_mock):
    run = ClusterRun(profile(loopback_cluster.address, quiet_mock.url, duration=3.0),
                     silence_limit=1.0)
    frozen: list[int] = []
    try:
        frozen_at = run_and_signal(run, 0, signal.SIGSTOP, frozen)
    finally:
        if frozen:
            os.kill(frozen[0], signal.SIGCONT)
    report = run.report()
    lost, other = report.workers
    assert report.state == "failed" and lost.state == "lost" and other.state == "done"
    assert report.reason == lost.reason
    assert lost.reason is not None and f"pid {frozen[0]}) was lost " in lost.reason
    assert "it sent nothing for 1 s" in lost.reason and "is kept" in lost.reason
    # Its last batch came up to 0.1 s before it froze; the rule is checked every 0.1 s.
    assert 0.8 <= lost_at(lost.reason) - frozen_at <= 1.5
    assert lost.requests > 0 and report.requests == lost.requests + other.requests
    assert run.elapsed >= 2.9  # the other worker went on to the end


def test_a_killed_worker_is_reported_and_the_run_keeps_its_data(loopback_cluster, quiet_mock):
    loopback_cluster.wait_for_workers(2)  # e.g. after a worker was frozen
    run = make_run(profile(loopback_cluster.address, quiet_mock.url, duration=2.5))
    killed: list[int] = []
    killed_at = run_and_signal(run, 1, signal.SIGKILL, killed)
    report = run.report()
    other, lost = report.workers
    assert run.state is RunState.FAILED and lost.state == "lost" and other.state == "done"
    assert report.reason is not None and f"pid {killed[0]}) was lost" in report.reason
    assert "Dask worker stopped answering" in report.reason and "is kept" in report.reason
    assert lost_at(report.reason) - killed_at < 0.5  # the OS tells at once: no silence wait
    assert lost.requests > 0 and report.requests == len(run.recorder) > lost.requests
    assert run.elapsed >= 2.4


def test_cluster_shares_carry_their_key_rests_and_retry_after_waits(loopback_cluster):
    from tests.retries.retry_server import serve_script

    with serve_script() as (url, calls):
        p = profile(loopback_cluster.address, url, concurrency=2, total=20)
        p.target.endpoint = "/by-key"
        p.keys.keys = ["bad-0", "good-1"]
        p.keys.quarantine_after = 1
        report = asyncio.run(ClusterRun(p).run())
        assert report.state == "completed", report.reason
        # Each share rotates the keys on its own, so each refuses key 0 once.
        assert [rest.key for rest in report.key_rests] == [0, 0]
        assert calls.keys.count("bad-0") == 2

        calls.reset()
        p = profile(loopback_cluster.address, url, concurrency=2, total=4)
        p.target.endpoint = "/script?codes=429&ra=0"
        p.retry.retries = 1
        report = asyncio.run(ClusterRun(p).run())
        assert report.request_figures is not None
        assert report.request_figures.retry_after_waits == 4
