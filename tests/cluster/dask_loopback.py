"""Real Dask clusters on loopback for the cluster tests: a scheduler and `loadgui worker`
processes, each in a process group of its own as on separate machines, each stopped by its
PID afterwards, with bounded waits."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

START_TIMEOUT_S = 30.0
LOADGUI = [sys.executable, "-m", "loadgui"]


@dataclass
class LoopbackCluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]

    def wait_for_workers(self, count: int = 2) -> None:
        from distributed import Client

        with Client(self.address, timeout=10) as client:
            client.wait_for_workers(count, timeout=START_TIMEOUT_S)


def _stop(process: subprocess.Popen[bytes], timeout: float = 5.0) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGCONT)  # a test may have frozen one
            os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout)


@contextlib.contextmanager
def loopback(folder: Path, scheduler: list[str], worker: list[str], workers: int = 2,
             scheduler_env: dict[str, str] | None = None) -> Iterator[LoopbackCluster]:
    """Start `scheduler` (given --scheduler-file) and `workers` times `worker` followed by
    the scheduler's address; yield once every worker has joined; stop them all."""
    scheduler_file = folder / "scheduler.json"
    started: list[subprocess.Popen[bytes]] = []
    with contextlib.ExitStack() as logs:
        def start(command: list[str], name: str,
                  env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
            log: IO[bytes] = logs.enter_context(open(folder / f"{name}.log", "wb"))
            started.append(subprocess.Popen(command, env={**os.environ, **(env or {})},
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True))
            return started[-1]

        first = start([*scheduler, "--scheduler-file", str(scheduler_file)], "scheduler",
                      scheduler_env)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not scheduler_file.exists() or not scheduler_file.read_text().strip():
                assert first.poll() is None, "the scheduler exited"
                assert time.monotonic() < deadline, "the scheduler did not start"
                time.sleep(0.05)
            address = json.loads(scheduler_file.read_text())["address"]
            for number in range(1, workers + 1):
                start([*worker, address], f"worker-{number}")
            cluster = LoopbackCluster(address, first, started[1:])
            cluster.wait_for_workers(workers)
            yield cluster
        finally:
            for process in reversed(started):  # workers first: orphaned ones linger ~8 s
                _stop(process)
