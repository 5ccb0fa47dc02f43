"""`loadgui serve`: refusals as one line and exit 2; a real process stopped by Ctrl+C."""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from loadgui.commands.common import OneLineParser
from loadgui.commands.serve import TOKEN_ENV, add_serve_arguments, run_serve

REPO_ROOT = Path(__file__).resolve().parents[2]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = OneLineParser(prog="loadgui serve")
    add_serve_arguments(parser)
    return parser.parse_args(argv)


@pytest.fixture(autouse=True)
def no_token_in_environment(monkeypatch) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "myhost.example"])
def test_a_non_loopback_bind_without_token_is_refused(capsys, host) -> None:
    assert run_serve(parse(["--host", host, "--port", "0"])) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("loadgui: error: ")
    assert "--token" in err


def test_an_empty_token_is_refused(capsys) -> None:
    assert run_serve(parse(["--token", " ", "--port", "0"])) == 2
    assert capsys.readouterr().err == "loadgui: error: --token must not be empty\n"


def test_a_port_in_use_is_one_line_and_exit_2(capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        assert run_serve(parse(["--port", str(port)])) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"port {port}" in err and "in use" in err


def test_flags_parse_with_defaults_and_the_token_from_the_environment(monkeypatch) -> None:
    args = parse([])
    assert (args.host, args.port, args.token, args.max_runs, args.history, args.profile) == (
        "127.0.0.1", 8181, None, 4, 100, None)
    monkeypatch.setenv(TOKEN_ENV, "from-env")
    assert parse(["--max-runs", "2"]).token == "from-env"


@pytest.mark.parametrize("argv", [["--max-runs", "0"], ["--port", "70000"], ["--history", "x"]])
def test_bad_flags_are_usage_errors(capsys, argv) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize(("content", "words"), [
    (None, "cannot read profile"),
    ("{not json", "not valid JSON"),
    ('{"load": {"concurrency": 0}}', "concurrency"),
    ('{"limits": {}}', "limits.total_requests or limits.duration"),
])
def test_a_bad_profile_is_one_line_and_exit_2(capsys, tmp_path, content, words) -> None:
    path = tmp_path / "default.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    assert run_serve(parse(["--port", "0", "--profile", str(path)])) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"loadgui: error: --profile {path}: ")
    assert words in err


def imported_after(statement: str) -> list[str]:
    """The names of the modules a fresh interpreter has loaded after `statement`."""
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=30, cwd=REPO_ROOT, check=True)
    return result.stdout.split()


def test_the_service_imports_no_command_mock_server_or_qt_module() -> None:
    loaded = imported_after("import loadgui.service.app, loadgui.service.registry, "
                            "loadgui.service.models, loadgui.service.profiles")

    assert "loadgui.service.app" in loaded
    assert [name for name in loaded if name.startswith((
        "loadgui.commands", "mock_server", "PySide6", "shiboken6", "qasync", "pyqtgraph",
        "loadgui.ui"))] == []


def test_the_serve_command_imports_nothing_heavy_until_it_serves() -> None:
    loaded = imported_after("import loadgui.commands.serve")

    assert [name for name in loaded if name.startswith((
        "PySide6", "qasync", "pyqtgraph", "loadgui.ui", "fastapi", "uvicorn", "numpy"))] == []
    # Only the light address helpers of the mock server, not the server itself.
    assert {name for name in loaded if name.startswith("mock_server")} <= {
        "mock_server", "mock_server.addresses"}


def test_serve_in_a_process_answers_http_and_exits_0_on_ctrl_c(quiet_mock, slow_mock,
                                                               tmp_path) -> None:
    default = tmp_path / "default.json"
    default.write_text(json.dumps({"target": {"base_url": slow_mock.url},
                                   "load": {"concurrency": 2}, "limits": {"duration": 30}}))
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    env.pop(TOKEN_ENV, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "loadgui", "serve", "--port", "0", "--max-runs", "2",
         "--profile", str(default)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT, env=env)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 20)
        assert ready, "no ready line within 20 s"
        line = process.stdout.readline()
        assert line.startswith("loadgui: serving on http://127.0.0.1:"), line
        url = line.split()[3]
        with httpx.Client(base_url=url, trust_env=False, timeout=10.0) as client:
            short = client.post("/trigger", json={  # two worker processes: a ProcessRun
                "target": {"base_url": quiet_mock.url},
                "load": {"concurrency": 2, "processes": 2},
                "limits": {"total_requests": 20}}).json()["request_id"]
            failing = client.post("/trigger", json={  # nothing listens on port 9 (discard)
                "target": {"base_url": "http://127.0.0.1:9"}, "retry": {"retries": 0},
                "load": {"concurrency": 1}, "limits": {"total_requests": 3}}).json()
            statuses = {}
            deadline = time.monotonic() + 10
            for run_id in (short, failing["request_id"]):
                while (status := client.get(f"/status/{run_id}").json())["status"] == "running":
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
                statuses[run_id] = status
            assert statuses[short]["status"] == "completed"
            assert statuses[short]["successful_responses"] == 20
            assert statuses[failing["request_id"]]["status"] == "failed"
            reason = statuses[failing["request_id"]]["reason"]
            long = client.post("/trigger", json={
                "target": {"base_url": slow_mock.url}, "load": {"concurrency": 2},
                "limits": {"duration": 30}})
            assert long.status_code == 202
            assert client.post("/trigger").status_code == 202  # runs the --profile
            assert client.post("/trigger").status_code == 429  # --max-runs 2

        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out == ""
    assert err == (f"loadgui: run {failing['request_id']} failed: {reason}\n"
                   "loadgui: stopped\n")
