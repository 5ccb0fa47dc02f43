"""`loadgui-mock --instances/--workers` as real subprocesses: serve, stop, leave nothing behind."""

import json
import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from mock_server.__main__ import main

StartCli = Callable[..., subprocess.Popen[str]]


def children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def url_of(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "serving on http://127.0.0.1:" in line, process.communicate(timeout=10)
    return line.split("serving on ")[1].split()[0]


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["--instances", "0"], "min_instances"),
        (["--min-instances", "3", "--max-instances", "2"], "max_instances"),
        (["--instances", "2", "--workers", "2"], "--workers"),
        (["--cold-start", "1"], "--cold-start"),
        (["--instances", "2", "--cool-down", "-1"], "cool_down"),
        (["--workers", "0"], "--workers"),
    ],
)
def test_bad_cluster_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], mentions: str
) -> None:
    # In-process: the same main() as the subprocess tests in test_mock_cli.py, minus the start-up.
    assert main(["--port", "0", *args]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("loadgui-mock: error: ")
    assert mentions in captured.err
    assert captured.out == ""


def test_cluster_serves_and_ctrl_c_leaves_no_process(
    start_cli: StartCli, all_gone: Callable[..., bool]
) -> None:
    process = start_cli(
        "--port", "0", "--instances", "2", "--min-latency", "0", "--max-latency", "0"
    )
    url = url_of(process)
    with httpx.Client(trust_env=False, timeout=10) as client:
        ports = {client.get(f"{url}/ping").json()["port"] for _ in range(4)}
        report = client.get(f"{url}/_cluster").json()
    assert len(ports) == 2
    pids = [i["pid"] for i in report["instances"]]
    assert sorted(pids) == sorted(children_of(process.pid))
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Traceback" not in stderr
    assert all_gone(pids, 0.0)


def test_instances_exit_when_the_owning_process_is_killed(
    start_cli: StartCli, all_gone: Callable[..., bool]
) -> None:
    process = start_cli("--port", "0", "--instances", "2")
    url = url_of(process)
    with httpx.Client(trust_env=False, timeout=10) as client:
        pids = [i["pid"] for i in client.get(f"{url}/_cluster").json()["instances"]]
    process.kill()  # no chance to clean up: the instances notice their stdin closing
    process.communicate(timeout=10)
    assert all_gone(pids, 10.0)


def test_workers_serve_one_instance_and_ctrl_c_stops_them(
    start_cli: StartCli, all_gone: Callable[..., bool]
) -> None:
    process = start_cli("--port", "0", "--workers", "2", "--instance-id", "w")
    url = url_of(process)
    with httpx.Client(trust_env=False, timeout=10) as client:
        answer = client.get(f"{url}/ping")
    assert answer.status_code == 200
    assert answer.json()["port"] == int(url.rsplit(":", 1)[1])
    assert answer.headers["x-instance"].startswith("w-")
    workers = children_of(process.pid)
    assert len(workers) >= 2  # the workers, plus multiprocessing's resource tracker
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Traceback" not in stderr
    assert all_gone(workers, 5.0)


def test_cluster_report_is_json_with_policy(start_cli: StartCli) -> None:
    process = start_cli(
        "--port", "0", "--min-instances", "1", "--max-instances", "3", "--cold-start", "0.5"
    )
    url = url_of(process)
    with httpx.Client(trust_env=False, timeout=10) as client:
        report = json.loads(client.get(f"{url}/_cluster").text)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=20)
    assert process.returncode == 0
    assert report["policy"]["max_instances"] == 3
    assert report["policy"]["cold_start"] == 0.5
    assert len(report["instances"]) == 1
    assert os.getpid() not in [i["pid"] for i in report["instances"]]
