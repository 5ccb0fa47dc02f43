"""`loadgui runs ...`, `loadgui compare` and `loadgui report` on runs saved as `loadgui run`
saves them."""

from __future__ import annotations

import json
import re

import pytest
from store_helpers import synthetic_columns
from test_store_faults import save_synthetic

from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.profile import Profile
from loadgui.store import RunStore


@pytest.fixture
def two_runs(store, real_run):
    """Two real runs of one profile, saved as `loadgui run --profile smoke.json` would."""
    saved = []
    for requests in (150, 250):
        handle = real_run(requests=requests, mix=True)
        saved.append(store.save_run(handle.profile, handle.report(), handle.recorder,
                                    name="smoke", source="cli"))
    return saved


def test_list_json_lists_both_runs(cli, two_runs):
    code, out, err = cli("runs", "list", "--json")
    assert code == 0 and err == ""
    listed = json.loads(out)
    assert [r["id"] for r in listed] == [two_runs[1].id, two_runs[0].id]
    assert [r["requests"] for r in listed] == [250, 150]
    assert listed[0]["status"] == "completed" and listed[0]["latency_ms"]["p99"] > 0


def test_list_text_has_a_line_per_run(cli, two_runs):
    code, out, _ = cli("runs", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3 and lines[0].split()[:3] == ["id", "started", "name"]
    assert re.match(r"\s+2\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+smoke\s+completed\s+250 ", lines[1])


def test_an_empty_store_says_so(cli, home):
    code, out, _ = cli("runs", "list")
    assert code == 0 and out.startswith("no stored runs yet")
    assert json.loads(cli("runs", "list", "--json")[1]) == []


def test_compare_previous_latest_json_gives_the_deltas(cli, two_runs):
    code, out, err = cli("compare", "previous", "latest", "--json")
    assert code == 0, err
    diff = json.loads(out)
    assert (diff["a"]["id"], diff["b"]["id"]) == (two_runs[0].id, two_runs[1].id)
    metrics = diff["overall"]["metrics"]
    assert set(metrics) == {"rps", "p50", "p90", "p95", "p99", "max", "error_rate"}
    for figures in metrics.values():
        assert set(figures) == {"a", "b", "delta", "change_pct", "verdict"}
    assert {s["name"] for s in diff["requests"]} == {"ping", "test"}
    assert diff["same_profile"] is False
    assert diff["profile_changes"] == [{"field": "limits.total_requests", "a": 150, "b": 250,
                                        "in_a": True, "in_b": True}]
    assert diff["gates_failed"] == []


def test_compare_text(cli, two_runs):
    code, out, _ = cli("compare", "1", "2")
    assert code == 0
    assert out.startswith("B run 2 (smoke, ") and "against A run 1" in out
    assert "  requests/s " in out and "  p99 ms " in out
    assert "request ping" in out and "limits.total_requests: 150 → 250" in out


def save_report(store: RunStore, name: str, **options) -> None:
    """A run with two requests of made-up attempts (exact latencies, for exact gates)."""
    columns = synthetic_columns(4000, requests=2, **options)
    recorder = Recorder()
    recorder.labels = {"request": ["a", "b"], "target": ["http://127.0.0.1:1"]}
    recorder.extend(columns, ["", "boom"])
    store.save_columns(Profile(), report_of_rows(recorder, 10.0), columns, ["", "boom"],
                       name=name, labels=recorder.labels)


def test_a_crossed_gate_exits_1_with_a_one_line_reason(cli, store):
    save_report(store, "api", latency_s=0.020)
    save_report(store, "api", latency_s=0.030)
    code, out, err = cli("compare", "api~1", "api", "--max-p99-regression", "10%")
    assert code == 1 and out
    assert err.count("\n") == 1
    assert re.fullmatch(r"loadgui: error: p99 latency rose \d+\.\d% \([\d.]+ ms → [\d.]+ ms\), "
                        r"above --max-p99-regression 10\.0%\n", err), err
    assert cli("compare", "api~1", "api", "--max-p99-regression", "90%")[0] == 0
    code, out, err = cli("compare", "previous", "latest", "--json", "--max-rps-drop", "0.1",
                         "--max-p99-regression", "10%")
    assert code == 1 and json.loads(out)["gates_failed"] and err.count("\n") == 1


def test_error_rate_gate(cli, store):
    save_report(store, "api")
    save_report(store, "api", error_share=0.05)
    code, _, err = cli("compare", "previous", "latest", "--max-error-rate-increase", "0.01")
    assert code == 1 and err.startswith("loadgui: error: error rate rose ")


@pytest.mark.parametrize(("argv", "message"), [
    (("compare", "latest", "nope"), "no stored run matches 'nope'"),
    (("compare", "1", "2", "--max-p99-regression", "lots"), "expected a percentage"),
    (("runs", "show", "77"), "no stored run has id 77"),
    (("runs", "rm", "latest~5"), "needs 6 finished runs"),
    (("runs", "import", "/nonexistent.loadgui-run"), "does not exist"),
    (("runs", "limits", "--max-size", "huge"), "not a size"),
    (("report", "nope"), "no stored run matches"),
])
def test_bad_input_is_one_line_and_exit_2(cli, store, argv, message):
    save_synthetic(store, 100)
    save_synthetic(store, 100)
    code, out, err = cli(*argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


def test_show_rm_export_import(cli, two_runs, tmp_path):
    code, out, _ = cli("runs", "show", "latest")
    assert code == 0 and out.startswith("run 2: smoke (completed)")
    assert "loadgui run completed after" in out and "2 API key(s)" in out
    shown = json.loads(cli("runs", "show", "1", "--json")[1])
    assert shown["report"]["requests"] == 150 and shown["rows_readable"] == 150
    assert shown["profile"]["keys"]["keys"] == []

    code, _, err = cli("runs", "export", "1", str(tmp_path / "shared"))
    assert code == 0 and err == f"loadgui: wrote {tmp_path / 'shared.loadgui-run'}\n"
    code, _, err = cli("runs", "import", str(tmp_path / "shared.loadgui-run"))
    assert code == 2 and "already" in err
    assert cli("runs", "rm", "1")[0] == 0
    assert [r["id"] for r in json.loads(cli("runs", "list", "--json")[1])] == [2]
    code, _, err = cli("runs", "import", str(tmp_path / "shared.loadgui-run"))
    assert code == 0 and "as run 3 (smoke)" in err
    again = json.loads(cli("runs", "show", "3", "--json")[1])
    assert again["report"] == shown["report"] and again["rows_readable"] == 150
    assert again["run"]["source"] == "import"


def test_import_refuses_a_file_that_is_not_a_run(cli, store, tmp_path):
    bad = tmp_path / "bad.loadgui-run"
    bad.write_text("hello")
    code, _, err = cli("runs", "import", str(bad))
    assert code == 2 and "is not a .loadgui-run file" in err


def test_limits_show_and_set(cli, store):
    for _ in range(3):
        save_synthetic(store, 100)
    code, out, _ = cli("runs", "limits")
    assert code == 0 and out.startswith("keeping at most 200 runs and 2 GB")
    code, out, err = cli("runs", "limits", "--max-runs", "1")
    assert code == 0 and err.count("removed run") == 2 and "at most 1 runs" in out


def test_report_writes_one_offline_file(cli, two_runs, tmp_path):
    path = tmp_path / "r.html"
    code, _, err = cli("report", "latest", "-o", str(path), "--compare", "previous")
    assert code == 0 and err == f"loadgui: wrote {path}\n"
    html = path.read_text(encoding="utf-8")
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    target = two_runs[1].target.rsplit("/", 1)[0]
    assert urls and all(url.startswith(target) for url in urls), urls
    assert "Comparison" in html and "<script" not in html and "src=" not in html


def test_a_damaged_catalog_is_noted_and_the_runs_still_listed(cli, store, home):
    save_synthetic(store, 100, name="one")
    save_synthetic(store, 100, name="two")
    (home / "catalog.sqlite").write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        (home / f"catalog.sqlite{suffix}").unlink(missing_ok=True)
    code, out, err = cli("runs", "list", "--json")
    assert code == 0 and [r["name"] for r in json.loads(out)] == ["two", "one"]
    assert err.startswith("loadgui: note: the run catalog was damaged (")


def test_a_newer_store_is_one_line_and_exit_1(cli, store, home):
    import sqlite3

    with sqlite3.connect(home / "catalog.sqlite") as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    code, out, err = cli("runs", "list")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "written by a newer loadgui" in err
