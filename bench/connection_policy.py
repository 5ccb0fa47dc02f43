"""The 002 finding, reproduced: with a fresh connection per request, 4 server workers rescue
the tail latency of small requests mixed with large uploads; 1 worker cannot.

`python bench/connection_policy.py [SECONDS]` (default 4 s a run) starts `loadgui-mock
--workers 1`, then `--workers 4` (each by PID, stopped after), runs the example "Small and
large requests, new connections" against each for SECONDS, and prints the small requests'
p95 for both and their ratio. The same two runs with keep-alive connections follow, for
reference. Load goes to 127.0.0.1 only. Asserts nothing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loadgui.engine import make_run  # noqa: E402
from loadgui.engine.stats.figures import GroupFigures  # noqa: E402
from loadgui.engine.stats.report import Report  # noqa: E402
from loadgui.profile import Profile  # noqa: E402
from mock_server.instance_process import port_from_ready_line  # noqa: E402

VARIANT = ROOT / "resources" / "profiles" / "small-and-large-requests-new-connections.json"
MOCK = Path(sys.executable).with_name("loadgui-mock")
WORKER_COUNTS = (1, 4)
POLICIES = ("new", "keep-alive")
# After the first answer, the other workers may still be importing the app (2 shared cores).
WORKER_SETTLE_S = 2.0


def start_mock(workers: int) -> tuple[subprocess.Popen[str], str]:
    """loadgui-mock with `workers` uvicorn workers on a free port, and its URL."""
    command = [str(MOCK), "--host", "127.0.0.1", "--port", "0", "--workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                               start_new_session=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    port = port_from_ready_line(line)
    if port is None:
        stop(process)
        raise SystemExit(f"loadgui-mock did not start: {line.strip() or 'no output'}")
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(url, process)
    time.sleep(WORKER_SETTLE_S)
    return process, url


def wait_until_answering(url: str, process: subprocess.Popen[str]) -> None:
    """The ready line comes before uvicorn's workers have started: wait for an answer."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/ping", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    stop(process)
    raise SystemExit("loadgui-mock did not answer /ping within 30 s")


def stop(process: subprocess.Popen[str]) -> None:
    """SIGINT to the mock's process group (its uvicorn workers too), by its PID."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def run_variant(url: str, policy: str, seconds: float) -> Report:
    profile = Profile.read(VARIANT).draft()
    profile.target.base_url = url
    profile.target.connection = policy
    profile.limits.total_requests = None
    profile.limits.duration = seconds
    return asyncio.run(make_run(profile.validated()).run())


def group(report: Report, name: str) -> GroupFigures:
    return next(g for g in report.breakdowns["request"] if g.name == name)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0
    results: dict[tuple[str, int], float] = {}
    print(f"{'connection':<11} {'workers':>7} {'small':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'large':>6} {'connect p50 ms':>15} {'errors':>7}")
    for policy in POLICIES:
        for workers in WORKER_COUNTS:
            process, url = start_mock(workers)
            try:
                report = run_variant(url, policy, seconds)
            finally:
                stop(process)
            small, large = group(report, "small"), group(report, "large")
            results[policy, workers] = small.latency.p95
            connect = report.connect.p50 * 1000 if report.connect is not None else 0.0
            print(f"{policy:<11} {workers:>7} {small.requests:>7} "
                  f"{small.latency.p50 * 1000:>7.1f} {small.latency.p95 * 1000:>7.1f} "
                  f"{small.latency.p99 * 1000:>7.1f} {large.requests:>6} {connect:>15.2f} "
                  f"{report.failures + report.exceptions:>7}", flush=True)
    for policy in POLICIES:
        ratio = results[policy, 1] / results[policy, 4]
        print(f"{policy}: small-request p95 with 1 worker / with 4 workers = {ratio:.2f}")


if __name__ == "__main__":
    main()
