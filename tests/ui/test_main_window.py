"""The window driven by its objectNames against its real embedded mock server."""

from __future__ import annotations

import csv
import threading
import time

import httpx
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QToolButton,
)
from window_helpers import click_start, find, run_to_end

from loadgui.profile import Profile
from loadgui.ui import report_png


def test_run_300_requests_then_export_csv_and_png(window, qtbot, tmp_path):
    w = window
    assert find(w, QToolButton, "mockToggle").isChecked()
    assert find(w, QLineEdit, "baseUrlEdit").text() == w.mock.url
    find(w, QSpinBox, "totalRequestsSpin").setValue(300)
    find(w, QSpinBox, "concurrencySpin").setValue(10)
    assert run_to_end(w, qtbot) == "completed"
    table = find(w, QTableWidget, "summaryTable")
    assert table.item(0, 1).text() == "300"
    assert w.summary.value("Successes") == "300"
    assert w.dashboard.has_data()
    assert w.dashboard.frames >= 1

    csv_path, png_path = tmp_path / "run.csv", tmp_path / "run.png"
    csv_task, png_task = w.export_csv(csv_path), w.export_png(png_path)
    qtbot.waitUntil(lambda: csv_task.done() and png_task.done(), timeout=10_000)
    assert csv_task.result() and png_task.result()
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 300 and {r["status"] for r in rows} == {"200"}
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # report_png's picture of the report (2x pixels), not a grab of the window's plots.
    assert QImage(str(png_path)).size() == QSize(2 * report_png.WIDTH, 2 * report_png.HEIGHT)


def test_stop_mid_run_ends_within_a_second_and_keeps_data(window, qtbot, set_mock, tmp_path):
    w = window
    set_mock(w, latency_ms=20)
    find(w, QSpinBox, "totalRequestsSpin").setValue(0)
    find(w, QDoubleSpinBox, "durationSpin").setValue(0)
    click_start(w, qtbot)
    assert not find(w, QPushButton, "startButton").isEnabled()
    assert not find(w, QLineEdit, "baseUrlEdit").isEnabled()  # no edits during a run
    qtbot.waitUntil(lambda: w.controller.handle.report().requests > 50, timeout=10_000)
    with qtbot.waitSignal(w.runFinished, timeout=1_000) as blocker:
        started = time.perf_counter()
        qtbot.keyClick(w, Qt.Key.Key_Escape)
    took = time.perf_counter() - started
    assert blocker.args == ["stopped"] and took < 1.0
    assert find(w, QLabel, "runStateLabel").text() == "stopped"
    requests = w.controller.handle.report().requests
    assert int(w.summary.value("Requests").replace(",", "")) == requests > 50
    task = w.export_csv(tmp_path / "partial.csv")
    qtbot.waitUntil(task.done, timeout=10_000)
    with open(tmp_path / "partial.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == requests
    assert find(w, QPushButton, "startButton").isEnabled()


def test_invalid_base_url_disables_start_and_says_why(window, qtbot):
    w = window
    edit = find(w, QLineEdit, "baseUrlEdit")
    start = find(w, QPushButton, "startButton")
    bar = find(w, QFrame, "validationBar")
    assert start.isEnabled() and not bar.isVisible()
    edit.setText("localhost:8000")
    assert not start.isEnabled()
    assert edit.property("invalid") is True
    assert bar.isVisible() and w.validation_bar.labels() == ["Base URL"]
    assert "base URL must start with http:// or https://" in start.toolTip()
    edit.setText(w.mock.url)
    assert start.isEnabled() and not bar.isVisible()
    assert start.toolTip() == "Start the run (Ctrl+R)"


def test_json_body_must_parse_when_sent_as_json(window):
    w = window
    w.form.headers.set_headers({"Content-Type": "application/json"})
    w.form.body.setPlainText('{"broken": ')
    assert not w.start_button.isEnabled()
    assert "body is not valid JSON" in str(w.form.errors["target.body"])
    assert w.validation_bar.labels() == ["Body"]
    w.form.body.setPlainText('{"fine": true}')
    assert w.start_button.isEnabled()


def test_profile_save_then_load_round_trips_every_field(window, tmp_path):
    w = window
    f = w.form
    f.base_url.setText("http://127.0.0.2:9999/api")
    f.endpoint.setText("/items")
    find(w, QComboBox, "methodCombo").setCurrentText("PUT")
    f.headers.set_headers({"Content-Type": "application/json", "X-Trace": "on"})
    f.body.setPlainText('{"name": "x", "price": 1.5}')
    f.timeout.setValue(3.5)
    f.keys.add_text("key-aaaa1111, key-bbbb2222")
    f.key_header.setText("X-Api-Key")
    f.key_scheme.setText("")
    find(w, QSpinBox, "concurrencySpin").setValue(77)
    find(w, QComboBox, "loadModeCombo").setCurrentText("rate")
    find(w, QDoubleSpinBox, "rateSpin").setValue(250.5)
    find(w, QSpinBox, "processesSpin").setValue(0)  # auto
    find(w, QComboBox, "patternCombo").setCurrentText("step")
    find(w, QSpinBox, "retriesSpin").setValue(4)
    find(w, QComboBox, "backoffCombo").setCurrentText("jitter")
    f.backoff_base.setValue(0.25)
    f.backoff_cap.setValue(8)
    find(w, QSpinBox, "totalRequestsSpin").setValue(12345)
    find(w, QDoubleSpinBox, "durationSpin").setValue(42.5)
    expected = f.profile()
    assert w.dirty and w.windowTitle().startswith("untitled*")

    path = tmp_path / "everything.json"
    w.save_profile(path, store_keys=True)
    assert not w.dirty and w.windowTitle().startswith("everything.json ")
    assert Profile.read(path) == expected.validate()
    w.new_profile()
    assert f.profile() != expected
    w.load_profile(path)
    assert f.profile() == expected
    assert str(path.resolve()) in w.recent.paths()


def test_keys_are_masked_in_the_window(window):
    w = window
    w.form.keys.add_text("sk-live-secret-9876")
    shown = [w.form.keys.list.item(i).text() for i in range(w.form.keys.list.count())]
    assert shown == ["••••9876"]
    assert w.form.keys.input.echoMode() == QLineEdit.EchoMode.Password


def test_bad_profile_file_shows_a_dialog(window, qtbot, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"version": 1, "load": {"concurrency": 0}}')
    window.open_profile_path(path)
    dialog = window.findChild(QMessageBox, "errorDialog")
    assert dialog is not None and dialog.isVisible()
    assert "concurrency must be between 1 and 10000, got 0" in dialog.text()
    dialog.accept()


def test_export_error_shows_a_dialog_and_keeps_the_data(window, qtbot, tmp_path):
    w = window
    find(w, QSpinBox, "totalRequestsSpin").setValue(20)
    run_to_end(w, qtbot)
    task = w.export_csv(tmp_path / "no-such-dir" / "x.csv")
    qtbot.waitUntil(task.done, timeout=5_000)
    assert task.result() is False
    dialog = w.findChild(QMessageBox, "errorDialog")
    assert dialog is not None and "Could not export" in dialog.text()
    dialog.accept()
    good = w.export_csv(tmp_path / "x.csv")
    qtbot.waitUntil(good.done, timeout=5_000)
    assert good.result() and len((tmp_path / "x.csv").read_text().splitlines()) == 21


def test_mock_toggle_stops_and_restarts_the_server(window, qtbot):
    w = window
    old_url = w.mock.url
    toggle = find(w, QToolButton, "mockToggle")
    toggle.click()
    qtbot.waitUntil(lambda: w.mock.server is None and not w.mock.busy, timeout=10_000)
    with pytest.raises(httpx.ConnectError):
        httpx.get(old_url + "/health", timeout=2)
    toggle.click()
    qtbot.waitUntil(lambda: bool(w.mock.url), timeout=10_000)
    assert httpx.get(w.mock.url + "/health", timeout=2).status_code == 200
    assert find(w, QLineEdit, "baseUrlEdit").text() == w.mock.url


def test_closing_during_a_run_stops_run_and_mock_cleanly(window, qtbot, set_mock):
    w = window
    set_mock(w, latency_ms=50)
    find(w, QSpinBox, "totalRequestsSpin").setValue(0)
    url = w.mock.url
    click_start(w, qtbot)
    qtbot.waitUntil(lambda: w.controller.handle.report().requests > 20, timeout=10_000)
    w.dirty = False
    with qtbot.waitSignal(w.runFinished, timeout=2_000):
        w.close()
    qtbot.waitUntil(lambda: w._closed_cleanly, timeout=10_000)
    assert not w.isVisible()
    assert not w.controller.running and w.controller.handle.state == "stopped"
    assert w.mock.server is None
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/health", timeout=2)
    qtbot.waitUntil(lambda: not [t for t in threading.enumerate()
                                 if t not in w.threads_before and t.is_alive()
                                 and not t.name.startswith("Dummy")], timeout=3_000)


def test_rate_mode_run_shows_asked_rate(window, qtbot):
    w = window
    find(w, QComboBox, "loadModeCombo").setCurrentText("rate")
    assert find(w, QDoubleSpinBox, "rateSpin").isEnabled()
    find(w, QDoubleSpinBox, "rateSpin").setValue(200)
    find(w, QSpinBox, "totalRequestsSpin").setValue(100)
    assert run_to_end(w, qtbot) == "completed"
    assert w.summary.value("Requests") == "100"
    assert "asked" in find(w, QLabel, "figuresLabel").text()


def test_two_processes_from_the_window(window, qtbot):
    w = window
    find(w, QSpinBox, "processesSpin").setValue(2)
    find(w, QSpinBox, "totalRequestsSpin").setValue(200)
    assert run_to_end(w, qtbot) == "completed"
    assert w.summary.value("Requests") == "200"
    assert w.dashboard.has_data()


def test_invalid_request_mix_weight_is_marked(window):
    from loadgui.profile import RequestSpec

    w = window
    w.form.requests.set_specs([RequestSpec(name="a", weight=0)])
    assert not w.start_button.isEnabled()
    assert "weight must be above 0" in str(w.form.errors["requests"])
    assert w.validation_bar.labels() == ["Request mix"]
    assert find(w, QTableWidget, "requestsTable").property("invalid") is True
    assert w.form.sections["mix"].expanded  # a field marked red is a field in sight


@pytest.mark.parametrize("example", ["mock-smoke-test", "small-and-large-requests",
                                     "burst-100-solves", "sine-wave-with-retries"])
def test_each_example_profile_runs_in_the_window(window, qtbot, example):
    from loadgui.resources import resource

    w = window
    w.open_profile_path(resource("profiles", f"{example}.json"))
    assert w.form.base_url.text() == w.mock.url
    # Bounded for the test: at most 60 requests and 10 seconds of each example.
    find(w, QSpinBox, "totalRequestsSpin").setValue(60)
    find(w, QDoubleSpinBox, "durationSpin").setValue(10)
    assert run_to_end(w, qtbot, timeout=30_000) == "completed"
    assert int(w.summary.value("Requests").replace(",", "")) >= 60


def test_window_size_and_mock_choice_persist(loop, qtbot):
    from PySide6.QtCore import QSettings

    from loadgui.ui.main_window import MainWindow

    QSettings().clear()
    first = MainWindow(start_mock=False)
    first.show()
    first.resize(780, 500)  # above the toolbar's minimum, within the offscreen screen
    qtbot.waitUntil(lambda: first.size().width() == 780, timeout=2_000)
    first.close()
    qtbot.waitUntil(lambda: first._closed_cleanly, timeout=5_000)
    second = MainWindow(start_mock=True)
    try:
        assert (second.size().width(), second.size().height()) == (780, 500)
        assert not second.mock.toggle.isChecked()  # it was off when the first one closed
    finally:
        second.close()
        qtbot.waitUntil(lambda: second._closed_cleanly, timeout=5_000)


def test_add_and_remove_buttons_of_the_table_editors(window):
    for editor, label in ((window.form.headers, "Add header"),
                          (window.form.requests, "Add request")):
        buttons = {b.text(): b for b in editor.findChildren(QPushButton)}
        buttons[label].click()
        assert editor.table.rowCount() == 1
        editor.table.selectRow(0)
        buttons["Remove"].click()
        assert editor.table.rowCount() == 0
    assert not window.form.requests.hint.isHidden()  # empty mix: the hint shows again
