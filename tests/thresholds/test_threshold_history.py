"""Pass or fail against thresholds in the run history: `loadgui runs list` and the window."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest
from threshold_history_helpers import save_run_with

from loadgui.store import RunStore
from loadgui.threshold_verdicts import Verdict, stored_verdicts
from loadgui.ui.history_rows import COLUMNS, THRESHOLDS_COLUMN
from loadgui.ui.history_view import HistoryView


@pytest.fixture
def store(tmp_path, monkeypatch) -> RunStore:
    home = tmp_path / "home"
    monkeypatch.setenv("LOADGUI_HOME", str(home))
    return RunStore.open(home)


@pytest.fixture
def three_runs(store):
    """Run 1 without thresholds, run 2 passing both, run 3 failing one of two."""
    return (save_run_with(store, "plain", []),
            save_run_with(store, "fast", ["p95 < 50ms", "requests >= 20"]),
            save_run_with(store, "slow", ["p95 < 50ms", "requests >= 20"], latency=0.2))


def test_verdicts_are_read_from_the_stored_reports(store, three_runs):
    plain, fast, slow = three_runs
    verdicts = stored_verdicts(store)
    assert plain.id not in verdicts
    assert verdicts[fast.id] == Verdict(2, ())
    assert verdicts[slow.id] == Verdict(2, ("p95 < 50ms",))
    assert (verdicts[fast.id].text(), verdicts[slow.id].text()) == ("✓ 2/2", "✗ 1/2")
    assert verdicts[slow.id].tooltip() == "failed: p95 < 50ms"


def test_runs_list_shows_pass_or_fail(store, three_runs):
    plain, fast, slow = three_runs
    env = {**os.environ, "LOADGUI_HOME": str(store.home)}

    def runs_list(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "loadgui", "runs", "list", *args],
                              capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    listed = {run["id"]: run["thresholds"] for run in json.loads(runs_list("--json"))}
    assert listed == {plain.id: None, fast.id: {"passed": True, "total": 2, "failed": []},
                      slow.id: {"passed": False, "total": 2, "failed": ["p95 < 50ms"]}}
    lines = runs_list().splitlines()
    assert lines[0].split()[-1] == "thresholds"
    by_id = {int(line.split()[0]): line for line in lines[1:]}
    assert by_id[slow.id].rstrip().endswith("✗ 1/2")
    assert by_id[fast.id].rstrip().endswith("✓ 2/2")
    assert by_id[plain.id].rstrip().endswith("–")


def test_runs_show_prints_each_threshold_verdict(store, three_runs, capsys):
    from loadgui.commands.main import main

    _, _, slow = three_runs
    assert main(["runs", "show", str(slow.id)]) == 0
    out = capsys.readouterr().out
    assert "thresholds   1 of 2 passed" in out
    assert "✗ FAIL  p95 < 50ms" in out


def test_the_history_list_has_a_thresholds_column(qtbot, store, three_runs):
    plain, fast, slow = three_runs
    view = HistoryView()
    qtbot.addWidget(view)
    assert COLUMNS[THRESHOLDS_COLUMN] == "Thresholds"
    view.show_runs(store.list_runs(), stored_verdicts(store))

    def column() -> dict[int, str]:
        items = [view.list.topLevelItem(i) for i in range(view.list.topLevelItemCount())]
        return {int(item.text(0)): item.text(THRESHOLDS_COLUMN) for item in items}

    assert column() == {plain.id: "", fast.id: "✓ 2/2", slow.id: "✗ 1/2"}
    slow_item = next(view.list.topLevelItem(i) for i in range(3)
                     if view.list.topLevelItem(i).text(0) == str(slow.id))
    assert slow_item.toolTip(THRESHOLDS_COLUMN) == "failed: p95 < 50ms"
    assert slow_item.foreground(THRESHOLDS_COLUMN).color().name() == "#ef4444"
    view.show_verdicts({})
    assert set(column().values()) == {""}


def test_the_history_reads_verdicts_off_the_gui_thread_when_listing(qtbot, store, three_runs):
    view = HistoryView()
    qtbot.addWidget(view)

    async def listed() -> dict[int, Verdict]:
        view.show_runs(store.list_runs())  # no verdicts given: read in a worker thread
        for _ in range(500):
            if view.verdicts:
                break
            await asyncio.sleep(0.01)
        return view.verdicts

    verdicts = asyncio.run(listed())
    assert verdicts == stored_verdicts(store) and len(verdicts) == 2
    texts = {view.list.topLevelItem(i).text(THRESHOLDS_COLUMN) for i in range(3)}
    assert texts == {"", "✓ 2/2", "✗ 1/2"}
