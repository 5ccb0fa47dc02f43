"""`loadgui run` with checks: a bad check is one stderr line and exit 2; the JSON summary
carries each check's passes and fails, and the CSV (checks_failed) the failed-check bit mask."""

import csv
import json
import os
import subprocess
import sys

CLI = [sys.executable, "-m", "loadgui"]


def loadgui(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ))


def test_a_bad_check_in_a_profile_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"requests": [
        {"name": "a", "path": "/a"},
        {"name": "b", "path": "/b", "checks": [{"status": "2xx"}, {"json_path": "a..b"}]}]}))
    result = loadgui("run", "--profile", str(path), "--base-url", "http://127.0.0.1:1",
                     "-n", "1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line == ("loadgui: error: requests[1].checks[1].json_path: 'a..b' is not a valid "
                    "JMESPath expression: unexpected '.' at column 2")


def test_checks_reach_the_json_summary_and_the_csv(quiet_mock, tmp_path):
    path, out = tmp_path / "p.json", tmp_path / "out.csv"
    path.write_text(json.dumps({"target": {"endpoint": "/test", "client": "fast", "checks": [
        {"status": "2xx"}, {"name": "not ok", "json_path": "ok", "json_equals": False}]}}))
    result = loadgui("run", "--profile", str(path), "--base-url", quiet_mock.url, "-n", "40",
                     "-c", "4", "--json", "--export-csv", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["checks"] == [
        {"request": "/test", "name": "status 2xx", "passes": 40, "fails": 0},
        {"request": "/test", "name": "not ok", "passes": 0, "fails": 40}]
    assert summary["error_counts"] == {"check": 40}
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 40 and {row["checks_failed"] for row in rows} == {"2"}
