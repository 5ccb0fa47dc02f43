"""Fixtures for mock_server tests: real servers on 127.0.0.1, real httpx clients."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest

# pyproject's pytest `pythonpath = ["."]` puts the repo root first, so `mock_server` is the
# package even though this folder shares its name.
from mock_server.cluster import EmbeddedCluster
from mock_server.embedded import EmbeddedMockServer
from mock_server.settings import ClusterSettings, MockSettings

REPO_ROOT = Path(__file__).resolve().parents[2]

_SETTINGS_VARS = {"MIN_LATENCY", "MAX_LATENCY", "ERROR_RATE", "MAX_BODY_BYTES", "INSTANCE_ID"}
INSTANT = {"min_latency": 0.0, "max_latency": 0.0, "error_rate": 0.0}


class ServerFactory(Protocol):
    def __call__(self, **settings: Any) -> EmbeddedMockServer: ...


@pytest.fixture
def make_server(mock_factory: ServerFactory) -> ServerFactory:
    """Start EmbeddedMockServers (instant and error-free unless told); all stopped afterwards."""
    return lambda **settings: mock_factory(**{**INSTANT, **settings})


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=10.0) as http:
        yield http


@pytest.fixture
def free_port() -> Callable[[], int]:
    """A port on 127.0.0.1 that was free a moment ago."""

    def pick() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    return pick


def subprocess_env(**extra: str) -> dict[str, str]:
    """The current environment with the repo importable and no mock settings leaking in."""
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


class CliFactory(Protocol):
    def __call__(self, *args: str, **env: str) -> subprocess.Popen[str]: ...


@pytest.fixture
def start_cli() -> Iterator[CliFactory]:
    """Start `python -m mock_server ARGS` (text pipes); anything still running is killed after."""
    processes: list[subprocess.Popen[str]] = []

    def start(*args: str, **env: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "mock_server", *args],
            cwd=REPO_ROOT,
            env=subprocess_env(**env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def process_gone(pid: int) -> bool:
    """True once pid has exited (a zombie waiting for its reaper counts as exited)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in {"Z", "X"}


@pytest.fixture
def all_gone() -> Callable[[list[int], float], bool]:
    """all_gone(pids, within): wait up to `within` seconds for every pid to exit."""

    def wait(pids: list[int], within: float = 10.0) -> bool:
        deadline = time.monotonic() + within
        while not all(process_gone(pid) for pid in pids):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    return wait


class ClusterFactory(Protocol):
    def __call__(self, cluster: ClusterSettings, **settings: Any) -> EmbeddedCluster: ...


@pytest.fixture
def make_cluster() -> Iterator[ClusterFactory]:
    """Start EmbeddedClusters (instant, error-free instances unless told); stopped afterwards,
    and the test fails if any instance process survives the stop."""
    started: list[EmbeddedCluster] = []

    def make(cluster: ClusterSettings, **settings: Any) -> EmbeddedCluster:
        server = EmbeddedCluster(MockSettings(**{**INSTANT, **settings}), cluster)
        server.start()
        started.append(server)
        return server

    yield make
    for server in started:
        pids = server.pids()
        server.stop()
        assert all(process_gone(pid) for pid in pids), "instance processes survived stop()"


@pytest.fixture
def wait_until() -> Callable[..., None]:
    """wait_until(condition, within=10.0): poll until condition() is true, else fail."""

    def wait(condition: Callable[[], object], within: float = 10.0, what: str = "") -> None:
        deadline = time.monotonic() + within
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"not true within {within} s: {what or condition}")
            time.sleep(0.05)

    return wait
