"""Checks in the window: edited in the form, run against the embedded mock, shown in the
Checks tab, green or red."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox
from window_helpers import run_report

from loadgui.engine import Report
from loadgui.ui.checks_editor import ASSERTION, NAME, VALUE
from loadgui.ui.checks_table import PASSED_COLOR
from loadgui.ui.results_view import CHECKS_TAB
from loadgui.ui.theme import INVALID_COLOR


def test_target_checks_run_and_fill_the_checks_tab(window, qtbot, set_mock):
    w = window
    set_mock(w, error_rate=0.1)
    w.form.endpoint.setText("/test")
    w.findChild(QSpinBox, "totalRequestsSpin").setValue(300)
    w.findChild(QSpinBox, "retriesSpin").setValue(0)
    assert not w.results.tabs.isTabVisible(CHECKS_TAB)

    button = w.form.target_checks
    button.click()
    dialog = button.dialog
    assert dialog is not None
    dialog.add_button.click()  # a new row asks for status 2xx
    dialog.add_button.click()
    dialog.set_cell(1, ASSERTION, "header")
    dialog.set_cell(1, VALUE, "X-Instance")
    dialog.set_cell(1, NAME, "instance")
    with qtbot.waitSignal(button.changed, timeout=1000):
        dialog.accept()
    assert [c.name for c in w.form.validated_profile().target.checks] == ["status 2xx",
                                                                         "instance"]

    report: Report = run_report(w, qtbot)
    status, instance = report.checks
    assert status.fails == report.status_counts.get(500, 0) > 0
    assert status.passes + status.fails == instance.passes == 300 and instance.fails == 0
    assert w.results.tabs.isTabVisible(CHECKS_TAB)
    table = w.results.checks
    assert table.rowCount() == 2
    assert table.value("Fails", 0) == f"{status.fails:,}" and table.color(0) == INVALID_COLOR
    assert table.value("Check", 1) == "instance" and table.color(1) == PASSED_COLOR
    assert w.failures.value("Kind") == "check"
