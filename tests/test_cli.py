"""`loadgui run` and `loadgui-mock` as a user runs them: real processes, real servers."""

import csv
import json
import subprocess
import sys
import time

import pytest

from tests.cli_process import CLI, loadgui


def assert_one_line_error(result, fragment: str, code: int = 2):
    assert result.returncode == code, result.stderr
    # A run that ended (exit 1) is also kept in the run history, and says so.
    lines = [line for line in result.stderr.strip().splitlines()
             if not line.startswith("loadgui: saved as run ")]
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
    assert summary["attempts"] == len(rows) > 200 and summary["requests"] == 200
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


def test_engine_and_cli_never_import_qt():
    code = ("import sys, loadgui.engine, loadgui.commands.main, loadgui.commands.run; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', "
            "'pyqtgraph')]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_rate_mode_reports_asked_and_service_time(quiet_mock):
    # constant: the CLI's default pattern (linear) would start at 1 request/s.
    r = loadgui("run", "--base-url", quiet_mock.url, "-e", "/test", "--rate", "100", "-c", "5",
                "-n", "60", "--traffic-pattern", "constant", "--json")
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


def test_traffic_pattern_defaults_to_linear_and_a_profile_keeps_its_own(quiet_mock, tmp_path):
    def saved_pattern(*args: str) -> str:
        path = tmp_path / "saved.json"
        r = loadgui("run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "1", "--json",
                    "--save-profile", str(path), *args)
        assert r.returncode == 0, r.stderr
        return json.loads(path.read_text())["load"]["pattern"]

    assert saved_pattern() == "linear"
    assert saved_pattern("--traffic-pattern", "constant") == "constant"
    profile = tmp_path / "step.json"
    profile.write_text(json.dumps({"version": 1, "load": {"pattern": "step"}}))
    assert saved_pattern("--profile", str(profile)) == "step"
    assert saved_pattern("--profile", str(profile), "--traffic-pattern", "sin") == "sin"
    constant = tmp_path / "constant.json"
    constant.write_text(json.dumps({"version": 1}))  # no pattern: the profile default
    assert saved_pattern("--profile", str(constant)) == "constant"


QUIET = {"MIN_LATENCY": "0", "MAX_LATENCY": "0", "ERROR_RATE": "0"}


def test_base_url_mock_starts_the_embedded_server(tmp_path):
    saved = tmp_path / "saved.json"
    r = loadgui("run", "--base-url", "mock", "-n", "30", "-c", "3", "--json",
                "--save-profile", str(saved), env=QUIET)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["successes"] == 30 and report["target"].startswith("http://127.0.0.1:")
    assert report["target"].endswith("/test")  # the mock's endpoint, the profile default
    assert "loadgui: mock server on http://127.0.0.1:" in r.stderr
    assert json.loads(saved.read_text())["target"]["base_url"] == "mock"  # saved as given


def test_a_profile_aimed_at_mock_starts_the_embedded_server(tmp_path):
    profile = tmp_path / "mock.json"
    profile.write_text(json.dumps({
        "version": 1, "target": {"base_url": "mock", "endpoint": "/ping"},
        "limits": {"total_requests": 25}}))
    r = loadgui("run", "--profile", str(profile), "-c", "2", "--json", env=QUIET)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["successes"] == 25 and report["target"].endswith("/ping")
    assert report["target"].startswith("http://127.0.0.1:")


@pytest.mark.parametrize("url", ["Mock", "mock:8000", "mocks", "http://mock:8000x"])
def test_only_the_word_mock_is_a_symbolic_target(url):
    assert_one_line_error(loadgui("run", "--base-url", url, "-e", "/t", "-n", "1"), "base URL")


@pytest.fixture
def users_server():
    """A small API of its own for the README's example: GET /users, API keys required."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from mock_server.threaded_server import ThreadedServer

    keys = {"key-one": 0, "key-two": 0, "key-three": 0}

    async def users(request: Request) -> JSONResponse:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or key not in keys:
            return JSONResponse({"detail": "unknown API key"}, status_code=401)
        keys[key] += 1
        return JSONResponse([{"id": 1, "name": "Ada"}, {"id": 2, "name": "Grace"}])

    with ThreadedServer(Starlette(routes=[Route("/users", users)])) as server:
        server.keys = keys
        yield server


def test_the_readme_example_command_runs_as_written(users_server, tmp_path):
    (tmp_path / "api_keys.txt").write_text("# staging keys\nkey-one\nkey-two\n\nkey-three\n")
    command = (f"run -f api_keys.txt -n 2000 -c 100 --traffic-pattern linear -e /users "
               f"--base-url {users_server.url} --retries 5 --backoff-method jitter "
               f"--backoff-base 0.5 --backoff-cap 20 --duration 60 --export-csv data.csv "
               f"--no-live-plot").split()
    started = time.monotonic()
    r = subprocess.run([*CLI, *command], capture_output=True, text=True, timeout=90,
                       cwd=tmp_path)
    took = time.monotonic() - started
    assert r.returncode == 0, r.stderr
    assert took < 45, f"2000 requests should end the run well before 60 s, took {took:.1f} s"
    assert "loadgui run completed" in r.stdout and "status       200: 2000" in r.stdout
    with open(tmp_path / "data.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2000 and {row["status"] for row in rows} == {"200"}
    assert {row["key_index"] for row in rows} == {"0", "1", "2"}  # rotated over the file
    assert sorted(users_server.keys.values()) == [666, 667, 667]
    assert "key-" not in r.stdout + r.stderr + (tmp_path / "data.csv").read_text()
