"""`loadgui run` and `loadgui serve` keep every run; `runs list` and `compare` see them."""

import json
import os
import subprocess
import sys
import time

import httpx

from loadgui.service.app import create_service_app
from loadgui.service.registry import RunRegistry
from loadgui.store import RunStore
from mock_server.threaded_server import ThreadedServer

CLI = [sys.executable, "-m", "loadgui"]


def loadgui(home, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LOADGUI_HOME": str(home)})


def test_two_cli_runs_are_listed_and_compared_with_a_gate(quiet_mock, tmp_path):
    for total in ("100", "150"):
        r = loadgui(tmp_path, "run", "--base-url", quiet_mock.url, "-e", "/test", "-n", total,
                    "-c", "4", "--no-live-plot")
        assert r.returncode == 0, r.stderr
        assert "loadgui: saved as run " in r.stderr
    listed = json.loads(loadgui(tmp_path, "runs", "list", "--json").stdout)
    assert sorted(run["requests"] for run in listed) == [100, 150]
    compared = loadgui(tmp_path, "compare", "previous", "latest", "--json")
    assert compared.returncode == 0, compared.stderr
    assert "overall" in json.loads(compared.stdout)
    # Two runs never have the very same rate: one way round, it dropped.
    ways = [loadgui(tmp_path, "compare", a, b, "--max-rps-drop", "0%")
            for a, b in (("previous", "latest"), ("latest", "previous"))]
    assert sorted(way.returncode for way in ways) == [0, 1]
    crossed = next(way for way in ways if way.returncode == 1)
    assert len(crossed.stderr.strip().splitlines()) == 1 and "rps" in crossed.stderr.lower()
    skipped = loadgui(tmp_path, "run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "5",
                      "--no-live-plot", "--no-save")
    assert skipped.returncode == 0 and "saved as run" not in skipped.stderr
    assert len(json.loads(loadgui(tmp_path, "runs", "list", "--json").stdout)) == 2


def test_a_run_through_the_service_is_saved(quiet_mock, tmp_path, monkeypatch):
    monkeypatch.setenv("LOADGUI_HOME", str(tmp_path))
    server = ThreadedServer(create_service_app(RunRegistry()), lifespan="on")
    server.start()
    try:
        with httpx.Client(base_url=server.url, trust_env=False, timeout=10) as client:
            run_id = client.post("/trigger", json={
                "target": {"base_url": quiet_mock.url, "endpoint": "/test"},
                "limits": {"total_requests": 40}}).json()["request_id"]
            deadline = time.monotonic() + 20
            while client.get(f"/status/{run_id}").json()["status"] == "running":
                assert time.monotonic() < deadline
                time.sleep(0.05)
    finally:
        server.stop(timeout=15.0)  # the lifespan's end waits for the saves
    (info,) = RunStore.open(tmp_path).list_runs()
    assert info.requests == 40
