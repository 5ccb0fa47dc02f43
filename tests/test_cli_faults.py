"""`loadgui run` against the faults that used to hang it, pass a CI gate or lose the run."""

import csv
import json
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest

from loadgui.commands.main import main
from tests.cli_process import CLI, finish, start


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers (a dead backend behind a live socket)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.mark.parametrize(("args", "message"), [
    (["--client", "fast", "--base-url", "HTTPS://127.0.0.1:9", "-e", "/", "-n", "5"],
     "the fast client speaks plain http:// only; use --client httpx for https"),
    (["--client", "fast", "--base-url", "http://127.0.0.1 :9", "-e", "/", "-n", "5"],
     "base URL"),
    (["--base-url", f"http://{'a' * 64}.example:9", "-e", "/", "-n", "5"], "63"),
    (["-e", "/t", "-H", "Bad Header: x"], "header"),
])
def test_inputs_that_used_to_hang_a_worker_are_refused_up_front(capsys, args, message):
    started = time.perf_counter()
    assert main(["run", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert time.perf_counter() - started < 5


def test_a_server_that_never_answers_fails_the_gate_with_every_attempt_counted(silent_server,
                                                                               capsys):
    started = time.perf_counter()
    code = main(["run", "--base-url", silent_server, "-e", "/", "--duration", "1", "-c", "5",
                 "--timeout", "10", "--retries", "0", "--max-error-rate", "0.01", "--json"])
    took = time.perf_counter() - started
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert code == 1 and took < 1 + 10 + 1
    assert report["state"] == "failed" and report["requests"] == 5
    assert report["cancelled"] == 5 and report["error_rate"] == 1.0
    assert "all 5 attempts failed without a response" in err


def interrupted(args: list[str], sig: signal.Signals, after: float) -> tuple[int, str, str]:
    """`loadgui ARGS` sent `sig` `after` seconds from its start: (exit code, stdout, stderr)."""
    proc = start([*CLI, *args])
    try:
        time.sleep(after)
        proc.send_signal(sig)
    finally:
        stdout, stderr = finish(proc, timeout=20)
    return proc.returncode, stdout, stderr


@pytest.mark.parametrize(("sig", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_stops_the_run_and_still_writes_report_and_csv(quiet_mock, tmp_path,
                                                                         sig, exit_code):
    out = tmp_path / "partial.csv"
    code, stdout, stderr = interrupted(["run", "--base-url", quiet_mock.url, "-e", "/test", "-c",
                                        "4", "--json", "--export-csv", str(out)], sig, 2.0)
    assert code == exit_code, stderr
    assert "Traceback" not in stderr
    report = json.loads(stdout)
    assert report["state"] == "stopped" and report["requests"] > 0
    with open(out, newline="") as f:
        assert len(list(csv.DictReader(f))) == report["attempts"]


def test_fast_client_in_two_processes_under_uvloop_records_every_attempt(quiet_mock, tmp_path):
    out = tmp_path / "fast.csv"
    r = subprocess.run([*CLI, "run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "2000",
                        "-c", "8", "--client", "fast", "--processes", "2", "--json",
                        "--export-csv", str(out)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["requests"] == report["successes"] == 2000
    assert [w["requests"] for w in report["workers"]] == [1000, 1000]
    assert len(out.read_text().splitlines()) == 2001


def test_rate_mode_in_uvloop_worker_processes_ends_cleanly(quiet_mock):
    """uvloop's timers fire up to ~1 ms early; a send must never start before its time,
    and the run must never die in its own summary (it ended in a traceback)."""
    r = subprocess.run([*CLI, "run", "--base-url", quiet_mock.url, "-e", "/test", "--rate",
                        "2000", "-c", "20", "-n", "2000", "--client", "fast", "--processes",
                        "2", "--traffic-pattern", "constant", "--json"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["state"] == "completed" and report["requests"] == 2000
    assert report["generator"]["asked"] == 2000 and report["latency_ms"]["min"] >= 0


def test_ctrl_c_while_still_starting_exits_130_without_a_traceback(quiet_mock):
    # 0.4 s: still importing, or spawning the worker processes
    code, _, stderr = interrupted(["run", "--base-url", quiet_mock.url, "-e", "/test",
                                   "--processes", "2", "-c", "4", "--duration", "20"],
                                  signal.SIGINT, 0.4)
    assert code == 130, stderr
    assert "Traceback" not in stderr


def test_a_closed_pipe_still_writes_the_csv(quiet_mock, tmp_path):
    out = tmp_path / "piped.csv"
    proc = subprocess.Popen([*CLI, "run", "--base-url", quiet_mock.url, "-e", "/test", "-n",
                             "50", "--no-live-plot", "--export-csv", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.close()  # as `| head -0` does
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
    assert len(out.read_text().splitlines()) == 51
