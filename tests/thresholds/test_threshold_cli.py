"""`loadgui run` with thresholds, as CI runs it: a real process against the mock server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

CLI = [sys.executable, "-m", "loadgui"]
NOISE = ("loadgui: saved as run ", "loadgui: wrote JUnit XML to ")


def loadgui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "run", "--no-live-plot", *args], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "CI": "true"})


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.strip().splitlines() if not line.startswith(NOISE)]


def cases(path) -> dict[str, ET.Element]:
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    found = {case.get("name"): case for case in suite.findall("testcase")}
    assert suite.get("tests") == root.get("tests") == str(len(found))
    assert all(float(case.get("time")) >= 0 for case in found.values())
    return found


def test_a_failing_threshold_exits_1_and_writes_junit(mock_factory, tmp_path):
    server = mock_factory(min_latency=0.003, max_latency=0.004, error_rate=0)
    junit = tmp_path / "report.xml"
    r = loadgui("--base-url", server.url, "-e", "/test", "-n", "20", "-c", "2",
                "--threshold", "p95 < 1ms", "--threshold", "error_rate < 1%",
                "--junit", str(junit))
    assert r.returncode == 1, r.stderr
    (line,) = error_lines(r)
    assert line.startswith("loadgui: error: 1 of 2 thresholds failed: p95 < 1ms (p95 = ")
    assert "✗ FAIL  p95 < 1ms" in r.stdout and "✓ pass  error_rate < 1%" in r.stdout
    assert "thresholds   1 of 2 passed" in r.stdout
    found = cases(junit)
    assert set(found) == {"the run completes", "p95 < 1ms", "error_rate < 1%"}
    failure = found["p95 < 1ms"].find("failure")
    assert failure is not None and failure.get("message").startswith("p95 = ")
    assert found["error_rate < 1%"].find("failure") is None
    assert found["the run completes"].find("failure") is None
    assert ET.parse(junit).getroot().get("failures") == "1"


def test_passing_thresholds_exit_0_and_the_json_report_holds_them(quiet_mock, tmp_path):
    junit = tmp_path / "ok.xml"
    profile = tmp_path / "smoke.json"
    profile.write_text(json.dumps({"target": {"base_url": quiet_mock.url, "endpoint": "/test"},
                                   "thresholds": ["p99 < 10s"]}))
    r = loadgui("--profile", str(profile), "-n", "10", "-c", "2", "--json",
                "--threshold", "requests >= 10", "--max-error-rate", "0.5",
                "--junit", str(junit))
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert [(t["expression"], t["passed"]) for t in report["thresholds"]] == [
        ("p99 < 10s", True), ("requests >= 10", True), ("error_rate <= 0.5", True)]
    found = cases(junit)
    assert found["requests >= 10"].find("failure") is None
    assert found["requests >= 10"].findtext("system-out") == "requests = 10 (limit >= 10)"
    assert ET.parse(junit).getroot().get("failures") == "0"


def test_the_shorthands_keep_their_own_message(mock_factory):
    server = mock_factory(min_latency=0, max_latency=0, error_rate=1.0)
    r = loadgui("--base-url", server.url, "-e", "/test", "-n", "5", "--retries", "0",
                "--max-error-rate", "0.1", "--max-p99-ms", "5000")
    assert r.returncode == 1
    assert error_lines(r) == ["loadgui: error: error rate 100.00% is above --max-error-rate "
                              "10.00%; p99 latency unknown (no successful request) is above "
                              "--max-p99-ms 5000"]


def test_a_bad_threshold_is_one_line_and_exit_2_before_any_load(tmp_path):
    r = loadgui("--base-url", "http://127.0.0.1:9", "-e", "/test", "-n", "5",
                "--threshold", "p97 < 1s")
    assert r.returncode == 2
    assert error_lines(r) == ["loadgui: error: --threshold 'p97 < 1s': 'p97' is not a figure "
                              "thresholds know; use p50, p90, p95, p99, p99.9, avg, min, max, "
                              "error_rate, checks, rps, requests, failures"]
    profile = tmp_path / "bad.json"
    profile.write_text(json.dumps({"thresholds": ["p95 < 1s", "rps > 5ms"]}))
    r = loadgui("--profile", str(profile), "--base-url", "http://127.0.0.1:9", "-n", "5")
    assert r.returncode == 2
    assert error_lines(r) == ["loadgui: error: thresholds[1]: 'rps > 5ms': rps takes /s or "
                              "none, not 'ms'"]
    r = loadgui("-e", "/t", "--max-p99-ms", "-3")
    assert (r.returncode, error_lines(r)) == (2, ["loadgui: error: --max-p99-ms must be 0 or "
                                                  "more, got -3"])


def test_a_failed_run_still_writes_junit_with_the_run_failing(tmp_path):
    junit = tmp_path / "failed.xml"
    r = loadgui("--base-url", "http://127.0.0.1:9", "-e", "/test", "-n", "3", "--retries",
                "0", "--threshold", "error_rate < 1%", "--junit", str(junit))
    assert r.returncode == 1
    found = cases(junit)
    run = found["the run completes"].find("failure")
    assert run is not None and run.get("message").startswith("the run failed: ")
    assert found["error_rate < 1%"].find("failure") is not None
