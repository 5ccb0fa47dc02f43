"""Editing one request's checks: a dialog of rows (name, assertion, value, equals), and the
button that opens it for the target's request.

The dialog keeps the checks as typed (a blank name stays blank and is made from the
assertion when the profile is validated); OK is refused, with the reason shown, while a
check is invalid.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loadgui.profile import Check, ProfileError
from loadgui.profile_assertions import MAX_CHECKS, validated_checks

COLUMNS = ("Name", "Assertion", "Value", "Equals")
NAME, ASSERTION, VALUE, EQUALS = range(len(COLUMNS))
# The assertion field -> how the dialog names it.
ASSERTIONS = {
    "status": "Status is",
    "body_contains": "Body contains",
    "body_matches": "Body matches regex",
    "json_path": "JSON value at path",
    "header": "Header",
    "max_latency_ms": "Latency at most (ms)",
}
EQUALS_FIELDS = {"json_path": "json_equals", "header": "header_equals"}
HELP = ("Status: 200, 200,201, 200-299 or 2xx. JSON path: a JMESPath expression such as "
        "data.id; with Equals empty it must not be null, else it must equal that JSON value "
        "(text that is not JSON is a string). Header: with Equals empty it must be present. "
        "Name: empty makes one from the assertion.")


def check_from_cells(name: str, assertion: str, value: str, equals: str) -> Check:
    """A row's texts as a (not yet validated) Check."""
    fields: dict[str, Any] = {"name": name}
    if assertion == "max_latency_ms":
        try:
            fields[assertion] = float(value)
        except ValueError:
            fields[assertion] = math.nan  # validation names it
    else:
        fields[assertion] = value
    extra = EQUALS_FIELDS.get(assertion)
    if extra is not None and equals:
        fields[extra] = _json_or_text(equals) if assertion == "json_path" else equals
    return Check(**fields)


def cells_from_check(check: Check) -> tuple[str, str, str, str]:
    """(name, assertion field, value, equals) to show a check in a row."""
    assertion = next((name for name in ASSERTIONS if getattr(check, name) is not None),
                     "status")
    value = getattr(check, assertion)
    if assertion == "max_latency_ms" and value is not None:
        text = f"{value:g}"
    else:
        text = "" if value is None else str(value)
    equals = ""
    if check.json_equals is not None:
        equals = json.dumps(check.json_equals, ensure_ascii=False)
    elif check.header_equals is not None:
        equals = check.header_equals
    return check.name, assertion, text, equals


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


class ChecksDialog(QDialog):
    """The checks of one request; `checks()` reads them back once accepted."""

    def __init__(self, checks: list[Check], title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checksDialog")
        self.setWindowTitle(f"Checks — {title}")
        self.resize(640, 320)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("checksEditTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ASSERTION, QHeaderView.ResizeMode.ResizeToContents)
        help_label = QLabel(HELP)
        help_label.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("validationMessage")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.add_button, remove = QPushButton("Add check"), QPushButton("Remove")
        self.add_button.clicked.connect(lambda: self.add_check(Check(status="2xx")))
        remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(remove)
        buttons.addStretch()
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(help_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(box)
        for check in checks:
            self.add_check(check)

    def add_check(self, check: Check) -> None:
        name, assertion, value, equals = cells_from_check(check)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in ((NAME, name), (VALUE, value), (EQUALS, equals)):
            self.table.setItem(row, col, QTableWidgetItem(text))
        kind = QComboBox()
        for field, label in ASSERTIONS.items():
            kind.addItem(label, field)
        kind.setCurrentIndex(list(ASSERTIONS).index(assertion))
        self.table.setCellWidget(row, ASSERTION, kind)
        self.add_button.setEnabled(self.table.rowCount() < MAX_CHECKS)

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self.add_button.setEnabled(self.table.rowCount() < MAX_CHECKS)

    def set_cell(self, row: int, column: int, text: str) -> None:
        """Put text in a row's Name, Value or Equals cell, or pick its assertion by field."""
        if column == ASSERTION:
            kind = cast(QComboBox, self.table.cellWidget(row, ASSERTION))
            kind.setCurrentIndex(list(ASSERTIONS).index(text))
        else:
            cast(QTableWidgetItem, self.table.item(row, column)).setText(text)

    def checks(self) -> list[Check]:
        """The rows as checks, as typed."""
        out = []
        for row in range(self.table.rowCount()):
            texts = [self._text(row, col) for col in (NAME, VALUE, EQUALS)]
            kind = cast(QComboBox, self.table.cellWidget(row, ASSERTION))
            out.append(check_from_cells(texts[0], str(kind.currentData()), texts[1], texts[2]))
        return out

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def accept(self) -> None:
        try:
            validated_checks(self.checks())
        except ProfileError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        super().accept()


def open_checks_dialog(parent: QWidget, checks: list[Check], title: str,
                       done: Callable[[list[Check]], None]) -> ChecksDialog:
    """Open the dialog window-modal (not blocking); `done` gets the checks on OK."""
    dialog = ChecksDialog(checks, title, parent)
    dialog.accepted.connect(lambda: done(dialog.checks()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def checks_label(checks: list[Check]) -> str:
    return f"Checks ({len(checks)})…" if checks else "Checks…"


class ChecksButton(QPushButton):
    """The target's request's checks; `changed` fires when the dialog's OK changes them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(checks_label([]), parent)
        self.setObjectName("targetChecksButton")
        self.setToolTip("Assertions on every response of the target's request, like k6 "
                        "checks: status, body, a JSON value, a header, latency. With a request "
                        "mix, each request has its own (its Checks cell).")
        self._checks: list[Check] = []
        self.dialog: ChecksDialog | None = None
        self.clicked.connect(self.edit)

    def checks(self) -> list[Check]:
        return list(self._checks)

    def set_checks(self, checks: list[Check]) -> None:
        self._checks = list(checks)
        self.setText(checks_label(self._checks))

    def edit(self) -> None:
        self.dialog = open_checks_dialog(self, self._checks, "the target's request",
                                         self._edited)

    def _edited(self, checks: list[Check]) -> None:
        if checks != self._checks:
            self.set_checks(checks)
            self.changed.emit()
