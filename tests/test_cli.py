"""`loadgui run` and `loadgui-mock` as a user runs them: real processes, real servers."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

CLI = [sys.executable, "-m", "loadgui"]


def loadgui(*args: str, timeout: float = 60, env: dict | None = None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def assert_one_line_error(result, fragment: str, code: int = 2):
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in lines[0]


def test_run_against_the_mock_writes_one_row_per_attempt(quiet_mock, tmp_path):
    out = tmp_path / "out.csv"
    r = loadgui("run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "500", "-c", "20",
                "--export-csv", str(out))
    assert r.returncode == 0, r.stderr
    assert "loadgui run completed" in r.stdout and "successes" in r.stdout
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 500
    assert list(rows[0])[:3] == ["timestamp", "latency", "status"]
    assert {row["status"] for row in rows} == {"200"}


def test_retries_add_rows_and_json_summary_matches_the_csv(mock_factory, tmp_path):
    server = mock_factory(min_latency=0, max_latency=0.001, error_rate=0.3)
    out = tmp_path / "out.csv"
    r = loadgui("run", "--base-url", server.url, "-e", "test", "-n", "200", "-c", "10",
                "--backoff-base", "0.001", "--backoff-cap", "0.01", "--json",
                "--export-csv", str(out))
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert summary["requests"] == len(rows) > 200
    assert summary["retries"] == sum(row["attempt"] != "1" for row in rows)
    assert summary["status_counts"]["500"] == sum(row["status"] == "500" for row in rows)
    assert set(summary["latency_ms"]) >= {"mean", "p50", "p90", "p99", "p99_9", "max"}
    assert summary["state"] == "completed"


def test_mock_flag_starts_the_embedded_server(tmp_path):
    profile = tmp_path / "saved.json"
    r = loadgui("run", "--mock", "-n", "50", "-c", "5", "--json", "--save-profile",
                str(profile), env={"MIN_LATENCY": "0", "MAX_LATENCY": "0", "ERROR_RATE": "0"})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["successes"] == 50
    saved = json.loads(profile.read_text())
    assert saved["limits"]["total_requests"] == 50 and saved["target"]["endpoint"] == "/test"


def test_connection_refused_everywhere_fails_the_run_with_its_reason_and_exit_1():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = loadgui("run", "--base-url", f"http://127.0.0.1:{port}", "-e", "/x", "-n", "10",
                "--retries", "0", "--json")
    assert_one_line_error(r, f"the run failed: all 10 attempts failed without a response: "
                          f"connection refused (127.0.0.1:{port}) × 10", code=1)
    summary = json.loads(r.stdout)
    assert summary["state"] == "failed" and summary["reason"] in r.stderr
    assert summary["error_rate"] == 1.0 and summary["error_counts"] == {"connect": 10}
    assert summary["errors"][0]["count"] == 10


def test_unwritable_csv_still_prints_the_summary(quiet_mock, tmp_path):
    r = loadgui("run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "5",
                "--export-csv", str(tmp_path / "no" / "such" / "dir.csv"))
    assert "loadgui run completed" in r.stdout
    assert_one_line_error(r, "cannot write CSV", code=1)


def test_thresholds_fail_the_run_for_ci(mock_factory):
    server = mock_factory(min_latency=0, max_latency=0, error_rate=1.0)
    r = loadgui("run", "--base-url", server.url, "-e", "/test", "-n", "5", "--retries", "0",
                "--max-error-rate", "0.1")
    assert_one_line_error(r, "error rate 100.00% is above --max-error-rate", code=1)


@pytest.mark.parametrize(("args", "message"), [
    (["--base-url", "localhost:8000", "-e", "/t"], "must start with http:// or https://"),
    (["--base-url", "http://[::1", "-e", "/t"], "cannot be parsed"),
    (["-e", "/t", "-c", "0"], "concurrency must be between 1 and 10000, got 0"),
    (["-e", "/t", "-c", "-5"], "concurrency must be between"),
    (["-e", "/t", "--duration", "-1"], "duration must be a positive number"),
    (["-e", "/t", "--backoff-base", "5", "--backoff-cap", "1"], "must not be below"),
    (["-e", "/t", "-f", "/nonexistent/keys.txt"], "cannot read API key file"),
    (["-e", "/t", "-c", "many"], "invalid int value"),
    (["-n", "5"], "an endpoint is required"),
    (["--profile", "/nonexistent.json"], "cannot read profile"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    assert_one_line_error(loadgui("run", *args), message)


def test_empty_key_file_and_bad_profiles(tmp_path):
    keys = tmp_path / "keys.txt"
    keys.write_text("\n# nothing\n")
    assert_one_line_error(loadgui("run", "-e", "/t", "-f", str(keys)), "holds no keys")
    for text, message in [("{oops", "not valid JSON"), ('{"extra": 1}', "unknown field"),
                          ('{"version": 9}', "newer than this loadgui")]:
        path = tmp_path / "p.json"
        path.write_text(text)
        assert_one_line_error(loadgui("run", "--profile", str(path)), message)


def test_mock_port_in_use_is_one_line(quiet_mock):
    r = subprocess.run([sys.executable, "-m", "mock_server", "--port", str(quiet_mock.port)],
                       capture_output=True, text=True, timeout=30)
    assert_one_line_error(r, "already in use")


def test_ctrl_c_stops_the_run_and_still_reports(quiet_mock, tmp_path):
    out = tmp_path / "partial.csv"
    proc = subprocess.Popen([*CLI, "run", "--base-url", quiet_mock.url, "-e", "/test", "-c",
                             "4", "--json", "--export-csv", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    summary = json.loads(stdout)
    assert summary["state"] == "stopped" and summary["requests"] > 0
    with open(out, newline="") as f:
        assert len(list(csv.DictReader(f))) == summary["requests"]


def test_engine_and_cli_never_import_qt():
    code = ("import sys, loadgui.engine, loadgui.commands.main, loadgui.commands.run; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', "
            "'pyqtgraph')]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_rate_mode_reports_asked_and_service_time(quiet_mock):
    r = loadgui("run", "--base-url", quiet_mock.url, "-e", "/test", "--rate", "100", "-c", "5",
                "-n", "60", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["requests"] == 60 and summary["generator"]["asked"] == 60
    assert 50 < summary["generator"]["asked_rps"] < 130
    assert summary["service_ms"]["p50"] is not None


def test_fast_client_flag_runs_through_the_same_engine(quiet_mock, tmp_path):
    out = tmp_path / "fast.csv"
    r = loadgui("run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "400", "-c", "8",
                "--client", "fast", "--json", "--export-csv", str(out))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["status_counts"] == {"200": 400}
    assert len(out.read_text().splitlines()) == 401


def test_processes_flag_spreads_the_run_and_merges_it(quiet_mock, tmp_path):
    out = tmp_path / "two.csv"
    r = loadgui("run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "300", "-c", "6",
                "--processes", "2", "--json", "--export-csv", str(out))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["successes"] == 300
    assert len(out.read_text().splitlines()) == 301
    bad = loadgui("run", "-e", "/t", "--processes", "many")
    assert_one_line_error(bad, "expected a whole number or auto")


def test_several_targets_and_bursts_from_the_command_line(quiet_mock, mock_factory):
    other = mock_factory(min_latency=0, max_latency=0, error_rate=0)
    r = loadgui("run", "--base-url", f"{quiet_mock.url},{other.url}", "-e", "/test",
                "--burst", "30", "--burst-interval", "0.2", "-n", "60", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert [t["requests"] for t in summary["breakdowns"]["target"]] == [30, 30]
    assert [b["size"] for b in summary["bursts"]] == [30, 30]
    table = loadgui("run", "--base-url", f"{quiet_mock.url},{other.url}", "-e", "/test",
                    "-n", "20", "-c", "2")
    assert "target" in table.stdout and other.url in table.stdout
    bad = loadgui("run", "-e", "/t", "--burst", "10", "--processes", "2")
    assert_one_line_error(bad, "burst mode runs in one process")
