"""The run history in the window: list, filter, open read-only, run again, compare, delete,
export and import; store calls off the GUI thread. Stored runs are made through the store's
own API (synthetic attempts) or by real runs against the embedded mock server."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QSpinBox

from loadgui.engine import Recorder
from loadgui.engine.stats.recorder import COLUMN_TYPES
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.profile import Limits, Load, Profile, RequestSpec, Target
from loadgui.store import RunInfo, RunStore
from loadgui.ui import history_store
from loadgui.ui.history_rows import COLUMNS, stored_caption

WAIT_MS = 15_000
MIX = [RequestSpec(name="ping", path="/ping", weight=3), RequestSpec(name="pong", path="/pong")]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("LOADGUI_HOME", str(path))
    return path


def attempts(n: int, latency_s: float, error_share: float, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    latency = rng.lognormal(np.log(latency_s), 0.3, n)
    end = np.sort(rng.uniform(0.05, 20.0, n))
    failed = rng.random(n) < error_share
    rows = {"t_start": np.maximum(end - latency, 0.0), "latency": latency,
            "status": np.where(failed, 500, 200).astype(np.int16),
            "bytes": np.full(n, 256, np.int64), "attempt": np.ones(n, np.uint8),
            "key": np.full(n, -1, np.int32), "request": (np.arange(n) % 2).astype(np.uint16),
            "message": failed.astype(np.uint16)}
    return {name: rows.get(name, np.zeros(n, dtype)) for name, dtype in COLUMN_TYPES.items()}


def store_run(name: str, *, url: str = "http://127.0.0.1:9", n: int = 4000,
              latency_s: float = 0.02, error_share: float = 0.0, seed: int = 1,
              concurrency: int = 7) -> RunInfo:
    """A finished run of a two-request profile, saved through the store's API."""
    profile = Profile(target=Target(base_url=url), load=Load(concurrency=concurrency),
                      limits=Limits(total_requests=n), requests=list(MIX))
    columns = attempts(n, latency_s, error_share, seed)
    recorder = Recorder(capacity=n)
    recorder.labels = {"request": ["ping", "pong"], "target": [url]}
    recorder.extend(columns, ["", "HTTP 500"])
    return RunStore.open().save_columns(profile, report_of_rows(recorder), columns,
                                        recorder.messages, name=name, labels=recorder.labels)


def shown_rows(window) -> list[list[str]]:
    tree = window.history.view.list
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [[item.text(c) for c in range(len(COLUMNS))] for item in items if not item.isHidden()]


def show_history(window, qtbot) -> None:
    window.window_actions.history_button.click()
    qtbot.waitUntil(lambda: not window.history._tasks, timeout=WAIT_MS)
    assert window.history.pages.currentWidget() is window.history.view


def select(window, *run_ids: int) -> None:
    window.history.view.select(list(run_ids))


def test_history_lists_runs_newest_first_and_filters(idle_window, home, qtbot) -> None:
    a = store_run("smoke", url="http://127.0.0.1:9001")
    b = store_run("checkout", url="http://127.0.0.1:9002", error_share=0.1)
    c = store_run("smoke", url="http://127.0.0.1:9001", latency_s=0.05)
    show_history(idle_window, qtbot)

    rows = shown_rows(idle_window)
    assert [row[0] for row in rows] == [str(c.id), str(b.id), str(a.id)]
    _, name, started, requests, rps, p99, errors, state, thresholds, target = rows[1]
    assert (name, target, requests) == ("checkout", "127.0.0.1:9002/test", "4,000")
    assert started == f"{b.started:%Y-%m-%d %H:%M}"
    assert rps == f"{b.rps:,.1f}" and float(p99) == pytest.approx(b.p99 * 1000, rel=0.01)
    assert errors == f"{b.error_rate * 100:.2f} %" and state == "✓ completed"
    assert thresholds == ""  # the run had none
    assert idle_window.history.view.count.text() == "3 runs"

    idle_window.history.view.filter.setText("CHECK")
    assert [row[1] for row in shown_rows(idle_window)] == ["checkout"]
    idle_window.history.view.filter.setText(":9001")  # the target
    assert [row[0] for row in shown_rows(idle_window)] == [str(c.id), str(a.id)]
    assert idle_window.history.view.count.text() == "2 of 3 runs"

    idle_window.window_actions.history.trigger()  # View > History again: back to the plots
    assert idle_window.history.pages.currentWidget() is idle_window.results


def test_open_shows_a_stored_run_read_only_with_its_profile(idle_window, home, qtbot) -> None:
    info = store_run("smoke", concurrency=13, error_share=0.05)
    show_history(idle_window, qtbot)
    w = idle_window
    tree = w.history.view.list
    item = tree.topLevelItem(0)
    with qtbot.waitSignal(w.history.changed, timeout=WAIT_MS):
        tree.itemDoubleClicked.emit(item, 0)
    qtbot.waitUntil(lambda: not w.history._tasks, timeout=WAIT_MS)

    assert w.history.pages.currentWidget() is w.results
    report = RunStore.open().open_run(info.id).report
    _, counts = w.dashboard.requests_curve.getData()
    assert int(counts[-1]) == report.requests == 4000
    assert w.summary.value("Requests") == "4,000"
    caption = stored_caption(info)
    assert caption == f"Stored run {info.id} ({info.started:%Y-%m-%d %H:%M})"
    assert w.history.bar.isVisible() and caption in w.history.bar.text.text()
    assert w.status.state.text() == caption
    assert w.start_button.text() == "▶  Run again" and w.start_button.isEnabled()
    assert not w.stop_button.isEnabled() and not w.controller.running
    assert w.form.concurrency.value() == 13 and w.form.requests.specs()[1].name == "pong"
    assert w.window_actions.export_html.isEnabled()
    assert w.window_actions.export_csv.isEnabled()  # the stored rows, read from the store


def test_store_calls_run_in_worker_threads(idle_window, home, qtbot, monkeypatch) -> None:
    info = store_run("smoke")
    threads: list[threading.Thread] = []

    def recording(function):
        def call(*args):
            threads.append(threading.current_thread())
            return function(*args)
        return call

    for name in ("list_runs", "open_run", "compare"):
        monkeypatch.setattr(history_store, name, recording(getattr(history_store, name)))
    show_history(idle_window, qtbot)
    idle_window.history.open_run(info.id)
    idle_window.history.compare_runs(info.id, info.id)
    qtbot.waitUntil(lambda: len(threads) == 3 and not idle_window.history._tasks,
                    timeout=WAIT_MS)
    assert threading.main_thread() not in threads


def test_run_again_starts_a_live_run_of_the_stored_profile(window, qtbot) -> None:
    info = store_run("again", url=window.mock.url, n=500)
    task = window.history.open_run(info.id)
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert task.result() and window.start_button.text() == "▶  Run again"
    window.form.total_requests.setValue(40)

    with qtbot.waitSignal(window.controller.saved, timeout=30_000) as saved:
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        assert window.start_button.text() == "▶  Start"  # a live run now
        assert not window.history.bar.isVisible()
        assert window.history.open_run(info.id) is None  # not over a live run
        assert "Stop it first" in window.statusBar().currentMessage()
    assert window.controller.handle.report().requests == 40
    qtbot.waitUntil(lambda: bool(window.history.runs) and window.history.runs[0].id
                    == saved.args[0], timeout=WAIT_MS)
    new = window.history.runs[0]
    assert shown_rows(window)[0][:2] == [str(new.id), "again"]  # listed once saved
    assert new.name == "again"  # the history keeps it with the run it was run again from
    assert window.history.previous().id == info.id
    assert window.window_actions.compare_last_button.isEnabled()


def test_compare_two_runs_overlays_them_and_colours_what_changed(idle_window, home,
                                                                 qtbot) -> None:
    a = store_run("smoke", latency_s=0.020, seed=1)
    b = store_run("smoke", latency_s=0.040, error_share=0.05, seed=2)
    show_history(idle_window, qtbot)
    view = idle_window.history.view
    select(idle_window, a.id, b.id)
    assert view.compare_button.isEnabled() and not view.open_button.isEnabled()
    view.compare_button.click()
    qtbot.waitUntil(lambda: idle_window.history.pages.currentWidget()
                    is idle_window.history.compare, timeout=WAIT_MS)

    compare = idle_window.history.compare
    assert compare.objectName() == "compareView"
    for key in ("rate", "latency", "errors"):
        for run in (0, 1):
            x, y = compare.plots.curve_data(key, run)
            assert len(x) > 10 and np.isfinite(y).any()
    # B is dashed; the legend names both runs.
    assert compare.plots.curves[("rate", 1)].opts["pen"].style() == Qt.PenStyle.DashLine
    assert compare.plots.curves[("rate", 0)].opts["pen"].style() == Qt.PenStyle.SolidLine
    legend = [label.text for _, label in compare.plots.legend.items]
    assert any(f"run {a.id}" in text for text in legend)
    assert any(f"run {b.id}" in text for text in legend)
    # Latency bands as shares of each run's successes, B's shifted right of A's.
    heights_a, heights_b = compare.histogram.heights
    assert heights_a.sum() == pytest.approx(100) and heights_b.sum() == pytest.approx(100)
    assert np.argmax(heights_b) > np.argmax(heights_a)

    verdicts = compare.table.verdicts()
    assert verdicts[("Overall", "p99 ms")] == "worse"
    assert verdicts[("Overall", "error rate")] == "worse"
    assert verdicts[("request ping", "p50 ms")] == "worse"
    assert {scope for scope, _ in verdicts} == {"Overall", "request ping", "request pong"}
    overall = compare.table.topLevelItem(0)
    p99 = next(overall.child(i) for i in range(overall.childCount())
               if overall.child(i).text(0) == "p99 ms")
    assert p99.text(3).startswith("+") and p99.foreground(3).color().name() == "#ef4444"
    assert "worse" in compare.title.text() and "Same profile" in compare.notes.text()
    errors = next(overall.child(i) for i in range(overall.childCount())
                  if overall.child(i).text(0) == "error rate")
    assert errors.text(3) == f"+{b.error_rate * 100:.2f} pts"  # none before: no % change

    compare.close_button.click()  # back to the history, where it was started
    assert idle_window.history.pages.currentWidget() is view


def test_compare_with_the_last_run_is_one_click(window, qtbot) -> None:
    window.findChild(QSpinBox, "totalRequestsSpin").setValue(30)
    runs = []
    for _ in range(2):
        with qtbot.waitSignal(window.controller.saved, timeout=30_000) as saved:
            window.start_run()
        runs.append(saved.args[0])
    button = window.findChild(QPushButton, "compareLastButton")
    qtbot.waitUntil(button.isEnabled, timeout=WAIT_MS)
    assert f"run {runs[0]}" in button.toolTip()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    history = window.history
    qtbot.waitUntil(lambda: history.pages.currentWidget() is history.compare, timeout=WAIT_MS)
    assert (history.comparison.a.info.id, history.comparison.b.info.id) == tuple(runs)
    assert history.comparison.b.report.requests == 30


def test_delete_asks_then_removes_the_run_shown(idle_window, home, qtbot) -> None:
    keep = store_run("keep")
    gone = store_run("gone")
    w = idle_window
    task = w.history.open_run(gone.id)
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    show_history(w, qtbot)
    select(w, gone.id)
    w.history.view.delete_button.click()
    box = w.findChild(QMessageBox, "deleteRunsDialog")
    assert box is not None and box.isVisible() and f"run {gone.id} (gone)" in box.text()
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    delete.click()
    qtbot.waitUntil(lambda: [r.id for r in w.history.runs] == [keep.id], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not w.history._tasks, timeout=WAIT_MS)

    assert [run.id for run in RunStore.open().list_runs()] == [keep.id]
    assert [row[1] for row in shown_rows(w)] == ["keep"]
    assert w.history.stored is None and not w.history.bar.isVisible()
    assert w.start_button.text() == "▶  Start"
    assert not w.window_actions.export_html.isEnabled()


def test_export_and_import_a_run_file(idle_window, home, qtbot, tmp_path) -> None:
    info = store_run("shared", error_share=0.02)
    w = idle_window
    path = tmp_path / "out" / "shared.loadgui-run"
    path.parent.mkdir()
    task = w.history.sharing.export_run(info.id, str(path))
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert task.result() and path.stat().st_size > 0
    assert f"Exported run {info.id}" in w.statusBar().currentMessage()

    RunStore.open().remove(info.id)  # as if on another machine
    imported = w.history.sharing.import_run(str(path))
    qtbot.waitUntil(imported.done, timeout=WAIT_MS)
    new = imported.result()
    assert new is not None and new.id != info.id and new.uid == info.uid
    assert [run.id for run in w.history.runs] == [new.id]
    assert w.history.view.selected_ids() == [new.id]
    assert RunStore.open().open_run(new.id).report.requests == 4000

    again = w.history.sharing.import_run(str(path))  # the same run twice: said, not duplicated
    qtbot.waitUntil(again.done, timeout=WAIT_MS)
    assert again.result() is None
    box = w.findChild(QMessageBox, "errorDialog")
    assert box is not None and "already" in box.text()
    box.close()


def test_exports_of_an_opened_run_come_from_the_store(idle_window, home, qtbot,
                                                      tmp_path) -> None:
    info = store_run("exported", n=1500)
    w = idle_window
    opened = w.history.open_run(info.id)
    qtbot.waitUntil(opened.done, timeout=WAIT_MS)
    html, csv = tmp_path / "run.html", tmp_path / "run.csv"
    tasks = [w.exports.export_html(html), w.exports.export_csv(csv)]
    qtbot.waitUntil(lambda: all(t.done() for t in tasks), timeout=WAIT_MS)
    assert [t.result() for t in tasks] == [True, True]
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "exported" in text
    assert len(csv.read_text().splitlines()) == 1 + 1500
    assert w.exports.suggested("-report", ".html").startswith("exported-")


def test_a_run_without_any_success_compares_too(idle_window, home, qtbot) -> None:
    a = store_run("down", error_share=1.0, n=300)
    b = store_run("down", n=300)
    task = idle_window.history.compare_runs(a.id, b.id)
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert task.result()
    compare = idle_window.history.compare
    verdicts = compare.table.verdicts()
    assert verdicts[("Overall", "p99 ms")] == "n/a"
    assert verdicts[("Overall", "error rate")] == "better"
    heights_a, heights_b = compare.histogram.heights
    assert heights_a.sum() == 0 and heights_b.sum() == pytest.approx(100)
    assert not compare.histogram.marks[0].isVisible() and compare.histogram.marks[1].isVisible()
    _, latency_a = compare.plots.curve_data("latency", 0)
    assert np.isnan(latency_a).all()


def test_at_1024_by_700_the_history_takes_no_room_from_the_plots(idle_window, home,
                                                                  qtbot) -> None:
    a, b = store_run("small"), store_run("small", latency_s=0.03)
    w = idle_window
    w.resize(1024, 700)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 700), timeout=2_000)
    report = RunStore.open().open_run(b.id).report
    w.results.show_report(report)  # as the window's own run's last report
    qtbot.wait(50)
    assert min(plot.getViewBox().height() for plot in w.dashboard.plots) >= 100
    assert w.results.plots_area.verticalScrollBar().maximum() == 0

    opened = w.history.open_run(b.id)  # the stored-run bar: the plots scroll by its height
    qtbot.waitUntil(opened.done, timeout=WAIT_MS)
    qtbot.wait(50)
    assert min(plot.getViewBox().height() for plot in w.dashboard.plots) >= 100
    assert w.results.plots_area.verticalScrollBar().maximum() <= w.history.bar.height() + 4
    assert w.history.bar.height() < 40  # one line

    show_history(w, qtbot)
    compared = w.history.compare_runs(a.id, b.id)
    qtbot.waitUntil(compared.done, timeout=WAIT_MS)
    qtbot.wait(50)
    assert (w.width(), w.height()) == (1024, 700)  # neither page needs a larger window
    assert min(p.getViewBox().height() for p in w.history.compare.plots.plots.values()) >= 90


def test_rename_and_tags_from_the_history_page(idle_window, home, qtbot) -> None:
    from PySide6.QtWidgets import QInputDialog

    other = store_run("other")
    run = store_run("smoke")
    w = idle_window
    show_history(w, qtbot)
    select(w, run.id)
    assert w.history.view.rename_button.isEnabled() and w.history.view.tags_button.isEnabled()

    w.history.view.rename_button.click()  # the dialog opens window-modal; the loop goes on
    dialog = w.findChild(QInputDialog, "renameRunDialog")
    assert dialog is not None and dialog.isVisible() and dialog.textValue() == "smoke"
    dialog.setTextValue("before the fix")
    dialog.accept()
    qtbot.waitUntil(lambda: not w.history._tasks, timeout=WAIT_MS)
    assert RunStore.open().info(run.id).name == "before the fix"
    assert shown_rows(w)[0][1] == "before the fix"
    assert w.history.view.selected_ids() == [run.id]

    w.history.view.tags_button.click()
    dialog = w.findChild(QInputDialog, "tagRunDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("nightly, release")
    dialog.accept()
    qtbot.waitUntil(lambda: not w.history._tasks, timeout=WAIT_MS)
    assert RunStore.open().info(run.id).tags == ("nightly", "release")
    assert shown_rows(w)[0][1] == "before the fix [nightly, release]"

    w.history.view.filter.setText("NIGHTLY")  # the filter matches tags too
    assert [row[0] for row in shown_rows(w)] == [str(run.id)]
    w.history.view.filter.setText("")

    task = w.history.naming.set_tags(run.id, ["release"])  # the tags given replace them
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert task.result() is not None and task.result().tags == ("release",)
    assert [r.tags for r in w.history.runs] == [("release",), ()]
    assert RunStore.open().select("tag:release").id == run.id
    assert other.id != run.id


def test_a_bad_name_or_tag_is_said_and_changes_nothing(idle_window, home, qtbot) -> None:
    run = store_run("smoke")
    w = idle_window
    show_history(w, qtbot)
    for task in (w.history.naming.rename(run.id, "   "),
                 w.history.naming.set_tags(run.id, ["a;b", "has,comma"])):
        qtbot.waitUntil(task.done, timeout=WAIT_MS)
        assert task.result() is None
        box = w.findChild(QMessageBox, "errorDialog")
        assert box is not None and ("empty" in box.text() or "commas" in box.text())
        box.close()
        box.setObjectName("seen")  # the next findChild finds the next one
    assert RunStore.open().info(run.id) == run
