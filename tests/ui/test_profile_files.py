"""Profiles as files: examples as read-only copies, where dialogs open, the names and
extensions they suggest, and "mock" for the embedded mock server's changing address."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QMessageBox

from loadgui.resources import resource
from loadgui.ui.file_dialogs import default_folder


class Dialogs:
    """Stands in for the user at QFileDialog: records where each opened, answers a path."""

    def __init__(self) -> None:
        self.answers: list[str] = []
        self.asked: list[tuple[str, str]] = []  # (title, where it opened)

    def save(self, parent, title, directory, name_filter):
        self.asked.append((title, directory))
        return self.answers.pop(0), name_filter

    def open(self, parent, title, directory, name_filter):
        self.asked.append((title, directory))
        return self.answers.pop(0), name_filter


@pytest.fixture
def dialogs(monkeypatch) -> Dialogs:
    fake = Dialogs()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake.save)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake.open)
    return fake


def menu(w, name: str) -> QMenu:
    found = w.findChild(QMenu, name)
    assert found is not None, name
    return found


def test_examples_open_as_named_read_only_copies_and_stay_out_of_recent(window, dialogs,
                                                                        tmp_path):
    w = window
    actions = menu(w, "examplesMenu").actions()
    assert [a.text() for a in actions] == [
        "Mock smoke test", "Linear ramp", "Sine wave with retries", "Small and large requests",
        "Small and large requests, new connections", "Burst of 100 solves"]
    assert all(a.toolTip() and a.toolTip() != a.text() for a in actions)  # a description
    actions[0].trigger()
    assert w.windowTitle() == "Mock smoke test (example) — loadgui"
    info = w.findChild(QLabel, "profileInfo")
    assert info.isVisible() and "1,000 GETs of /test" in info.text()
    assert w.form.base_url.text() == w.mock.url  # aimed at the running mock
    assert w.profile_path is None and w.recent.paths() == []
    # Reached as a file (Open, Open Recent, the command line), it is the same read-only copy.
    original = resource("profiles", "mock-smoke-test.json").read_bytes()
    w.open_profile_path(resource("profiles", "mock-smoke-test.json"))
    assert w.windowTitle().startswith("Mock smoke test (example)")
    assert w.recent.paths() == []
    # Ctrl+S asks where to keep the copy, suggesting the example's file name.
    w.form.concurrency.setValue(7)
    dialogs.answers.append(str(tmp_path / "smoke"))
    assert w.files.save_current()
    assert dialogs.asked[-1] == ("Save profile",
                                 str(Path(default_folder()) / "mock-smoke-test.json"))
    assert resource("profiles", "mock-smoke-test.json").read_bytes() == original
    saved = json.loads((tmp_path / "smoke.json").read_text())
    assert saved["load"]["concurrency"] == 7 and saved["target"]["base_url"] == "mock"
    assert w.windowTitle() == "smoke.json — loadgui" and not info.isVisible()
    # Saved over a bundled example by hand: refused, the example stays as shipped.
    dialogs.answers.append(str(resource("profiles", "mock-smoke-test.json")))
    assert not w.files.save_as()
    assert resource("profiles", "mock-smoke-test.json").read_bytes() == original
    error = w.findChild(QMessageBox, "errorDialog")
    assert error is not None and "bundled examples" in error.text()
    error.accept()
    assert w.recent.paths() == [str(tmp_path / "smoke.json")]


def test_dialogs_start_in_the_last_folder_and_add_the_extension(window, qtbot, dialogs,
                                                                tmp_path):
    w = window
    w.form.total_requests.setValue(10)
    with qtbot.waitSignal(w.runFinished, timeout=10_000):
        w.start_run()
    chosen = tmp_path / "exports"
    chosen.mkdir()
    dialogs.answers.append(str(chosen / "export-dashboard"))
    task = w.exports.png_dialog()
    _, first = dialogs.asked[-1]
    assert Path(first).parent == Path(default_folder())  # nothing chosen yet: documents
    assert Path(first).name.startswith("untitled-") and first.endswith("-plots.png")
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() and (chosen / "export-dashboard.png").read_bytes()[:4] == b"\x89PNG"
    # Every later dialog opens where the user chose last: exports, profiles and key files.
    dialogs.answers.append(str(chosen / "rows"))
    task = w.exports.csv_dialog()
    assert Path(dialogs.asked[-1][1]).parent == chosen
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() and (chosen / "rows.csv").exists()
    dialogs.answers.append(str(chosen / "myprofile"))
    w.files.save_as()
    assert Path(dialogs.asked[-1][1]) == chosen / "profile.json"
    assert (chosen / "myprofile.json").exists() and not (chosen / "myprofile").exists()
    dialogs.answers.append("")  # cancelled
    w.form.keys._choose_file()
    assert dialogs.asked[-1] == ("Load API keys", str(chosen))


def test_a_profile_aimed_at_the_mock_says_mock_and_follows_it(window, qtbot, tmp_path):
    w = window
    path = tmp_path / "at-mock.json"
    w.save_profile(path)
    assert json.loads(path.read_text())["target"]["base_url"] == "mock"  # not its port
    toggle = w.mock.toggle
    assert toggle.text() == "Mock: on"
    toggle.click()
    qtbot.waitUntil(lambda: w.mock.server is None and not w.mock.busy, timeout=10_000)
    assert toggle.text() == "Mock: off"
    # Base URL pointed at it: now it says so, and Start says why it can't.
    assert w.form.base_url.text() == "mock"
    assert w.form.base_url.property("invalid") is True
    assert w.validation_bar.labels() == ["Base URL"]
    assert "embedded mock server, which is off" in w.start_button.toolTip()
    assert not w.start_button.isEnabled() and not w.dirty
    w.new_profile()
    w.load_profile(path)  # opened while the mock is off: flagged, not aimed at a dead port
    assert w.form.base_url.text() == "mock" and not w.start_button.isEnabled()
    toggle.click()
    qtbot.waitUntil(lambda: bool(w.mock.url) and not w.mock.busy, timeout=10_000)
    assert w.form.base_url.text() == w.mock.url != "mock"
    assert w.start_button.isEnabled() and not w.dirty
    assert httpx.get(w.form.validated_profile().url(), timeout=2).status_code == 200
    # A URL of its own is left alone when the mock comes and goes.
    w.form.base_url.setText("http://127.0.0.1:9")
    toggle.click()
    qtbot.waitUntil(lambda: w.mock.server is None and not w.mock.busy, timeout=10_000)
    assert w.form.base_url.text() == "http://127.0.0.1:9"
