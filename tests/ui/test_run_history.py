"""A run made in the window is kept in the same run history as `loadgui runs` lists."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox
from window_helpers import run_and_save

from loadgui.store import RunStore


def test_a_window_run_is_saved_off_the_gui_thread(window, qtbot, set_mock):
    set_mock(window, latency_ms=0, error_rate=0)
    window.findChild(QSpinBox, "totalRequestsSpin").setValue(60)
    run_id = run_and_save(window, qtbot)
    stored = RunStore.open().open_run(str(run_id))
    assert stored.report.requests == window.controller.handle.report().requests == 60
    assert f"Saved as run {run_id}" in window.statusBar().currentMessage()


def test_a_run_against_the_embedded_mock_is_kept_aimed_at_mock(window, qtbot, set_mock):
    """So that Run again works after a relaunch, when the mock has another port."""
    set_mock(window, latency_ms=0, error_rate=0)
    window.findChild(QSpinBox, "totalRequestsSpin").setValue(20)
    stored = RunStore.open().open_run(str(run_and_save(window, qtbot)))
    assert stored.profile is not None and stored.profile.target.base_url == "mock"
