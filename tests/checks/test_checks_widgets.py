"""The checks table renders a report's checks; the checks dialog edits a request's checks.
A real QApplication (offscreen) through pytest-qt."""

import dataclasses

import pytest
from PySide6.QtWidgets import QDialog

from loadgui.engine import Report
from loadgui.engine.stats.check_totals import CheckFigures
from loadgui.engine.stats.gauges import Gauges
from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report_build import RunFacts, build_report
from loadgui.profile import Check, Profile, RequestSpec
from loadgui.ui.checks_editor import (
    ASSERTION,
    EQUALS,
    NAME,
    VALUE,
    ChecksButton,
    ChecksDialog,
    cells_from_check,
    check_from_cells,
)
from loadgui.ui.checks_table import PASSED_COLOR, ChecksTable
from loadgui.ui.requests_editor import CHECKS_COLUMN, RequestsEditor
from loadgui.ui.theme import INVALID_COLOR


def report_with(*checks: CheckFigures) -> Report:
    empty = build_report(Recorder(), Gauges(), RunFacts(
        state="completed", reason=None, final=True, mode="concurrency", client="fast",
        target="http://127.0.0.1:1/", elapsed=1.0, progress=1.0))
    return dataclasses.replace(empty, checks=checks)


def test_the_table_shows_passes_fails_and_pass_rate_green_or_red(qtbot):
    table = ChecksTable()
    qtbot.addWidget(table)
    report = report_with(CheckFigures("GET /a", "status 2xx", 1800, 200),
                         CheckFigures("GET /a", "has id", 2000, 0),
                         CheckFigures("POST /b", "fast", 0, 0))
    assert table.has_rows(report)
    table.show_report(report)
    assert table.rowCount() == 3
    assert [table.value(c) for c in ("Request", "Check", "Passes", "Fails", "Pass %")] == \
        ["GET /a", "status 2xx", "1,800", "200", "90.00"]
    assert table.value("Pass %", 1) == "100.00" and table.value("Pass %", 2) == "-"
    assert table.color(0) == INVALID_COLOR and table.color(1) == PASSED_COLOR
    table.show_report(report_with(CheckFigures("GET /a", "status 2xx", 5, 0)))
    assert table.rowCount() == 1 and table.color(0) == PASSED_COLOR
    table.clear_rows()
    assert table.rowCount() == 0 and not table.has_rows(report_with())


@pytest.mark.parametrize("check", [
    Check(name="a", status="2xx"), Check(body_contains="ok"), Check(body_matches="o+"),
    Check(json_path="data.id"), Check(json_path="data.id", json_equals=5),
    Check(json_path="tags", json_equals=["a", 1]), Check(json_path="s", json_equals="text"),
    Check(header="X-A"), Check(header="X-A", header_equals="1"),
    Check(name="quick", max_latency_ms=250.5),
])
def test_a_check_survives_its_rows_cells(check):
    assert check_from_cells(*cells_from_check(check)) == check


def test_equals_that_is_not_json_is_compared_as_text():
    assert check_from_cells("", "json_path", "a", "hello").json_equals == "hello"
    assert check_from_cells("", "json_path", "a", '"5"').json_equals == "5"
    assert check_from_cells("", "json_path", "a", "5").json_equals == 5


def test_the_dialog_edits_checks_and_refuses_an_invalid_one(qtbot):
    dialog = ChecksDialog([Check(status="2xx")], "GET /a")
    qtbot.addWidget(dialog)
    dialog.add_button.click()
    dialog.set_cell(1, ASSERTION, "json_path")
    dialog.set_cell(1, VALUE, "data..id")
    dialog.set_cell(1, NAME, "has id")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisibleTo(dialog)
    assert "checks[1].json_path" in dialog.error.text()
    dialog.set_cell(1, VALUE, "data.id")
    dialog.set_cell(1, EQUALS, "7")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.checks() == [Check(status="2xx"),
                               Check(name="has id", json_path="data.id", json_equals=7)]


def test_the_target_button_opens_the_dialog_and_reports_a_change(qtbot):
    button = ChecksButton()
    qtbot.addWidget(button)
    button.set_checks([Check(status="200")])
    assert button.text() == "Checks (1)…"
    button.click()
    assert button.dialog is not None and button.dialog.isVisible()
    button.dialog.add_button.click()
    button.dialog.set_cell(1, ASSERTION, "max_latency_ms")
    button.dialog.set_cell(1, VALUE, "300")
    with qtbot.waitSignal(button.changed, timeout=1000):
        button.dialog.accept()
    assert button.checks() == [Check(status="200"), Check(max_latency_ms=300.0)]
    assert button.text() == "Checks (2)…"


def test_the_request_mix_keeps_each_requests_checks_and_edits_them(qtbot):
    editor = RequestsEditor()
    qtbot.addWidget(editor)
    specs = [RequestSpec(name="a", path="/a", checks=[Check(status="2xx")]),
             RequestSpec(name="b", path="/b")]
    editor.set_specs(specs)
    assert editor.specs() == specs
    assert editor.table.item(0, CHECKS_COLUMN).text() == "1"
    editor.table.cellDoubleClicked.emit(1, CHECKS_COLUMN)
    dialog = editor.checks_dialog
    assert dialog is not None and "b" in dialog.windowTitle()
    dialog.add_button.click()
    dialog.set_cell(0, ASSERTION, "body_contains")
    dialog.set_cell(0, VALUE, "pong")
    with qtbot.waitSignal(editor.changed, timeout=1000):
        dialog.accept()
    assert editor.specs()[1].checks == [Check(body_contains="pong")]
    assert editor.table.item(1, CHECKS_COLUMN).text() == "1"
    assert editor.specs()[0].checks == [Check(status="2xx")]
    profile = Profile(requests=editor.specs()).validated()
    assert [c.name for c in profile.requests[1].checks] == ['body contains "pong"']
