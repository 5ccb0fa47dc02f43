"""One profile run three ways — `loadgui run --json`, `loadgui serve`'s /status and the
window's JSON export — gives the same report object with the same figures."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import httpx
from window_helpers import run_to_end

from loadgui.service.app import create_service_app
from loadgui.service.registry import RunRegistry
from mock_server.threaded_server import ThreadedServer

TOTAL = 200


def shape(value: Any) -> Any:
    """The keys of a JSON value, recursively (lists by their first item)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value and isinstance(value[0], dict) else []
    return None


def via_cli(path: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, "-m", "loadgui", "run", "--profile", path,
                             "--json"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def via_service(profile: dict[str, Any]) -> dict[str, Any]:
    server = ThreadedServer(create_service_app(RunRegistry()), lifespan="on")
    server.start()
    try:
        with httpx.Client(base_url=server.url, trust_env=False, timeout=10) as client:
            run_id = client.post("/trigger", json=profile).json()["request_id"]
            deadline = time.monotonic() + 30
            while (status := client.get(f"/status/{run_id}").json())["status"] == "running":
                assert time.monotonic() < deadline
                time.sleep(0.05)
            return status["report"]
    finally:
        server.stop(timeout=15.0)


def via_window(window: Any, qtbot: Any, path: str, tmp_path: Any) -> dict[str, Any]:
    window.load_profile(path)
    run_to_end(window, qtbot)
    out = tmp_path / "window.json"
    task = window.export_json(out)
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() is True
    return json.loads(out.read_text())


def test_cli_service_and_window_give_the_same_report(window, qtbot, quiet_mock, tmp_path):
    profile = {"target": {"base_url": quiet_mock.url, "endpoint": "/test"},
               "load": {"concurrency": 4}, "retry": {"retries": 0},
               "limits": {"total_requests": TOTAL}}
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile))
    reports = {"cli": via_cli(str(path)), "service": via_service(profile),
               "window": via_window(window, qtbot, str(path), tmp_path)}
    shapes = {name: shape(report) for name, report in reports.items()}
    assert shapes["cli"] == shapes["service"] == shapes["window"]
    for name, report in reports.items():
        assert report["schema_version"] == 2 and report["final"] is True, name
        assert report["state"] == "completed", name
        assert (report["requests"], report["successes"]) == (TOTAL, TOTAL), name
        assert report["status_counts"] == {"200": TOTAL}, name
        assert sum(report["series"]["requests"]) == TOTAL, name
        latency = report["latency_ms"]
        assert 0 < latency["min"] <= latency["p50"] <= latency["p99"] <= latency["max"], name
