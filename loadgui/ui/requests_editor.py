"""The weighted request mix: a table of name, method, path, generated body size, weight and
the number of checks (edited in their own dialog)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import TypeVar, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidgetItem, QWidget

from loadgui.profile import Check, RequestSpec
from loadgui.ui.checks_editor import ChecksDialog, open_checks_dialog
from loadgui.ui.row_table import RowTableEditor

COLUMNS = ("Name", "Method", "Path", "Body size", "Weight", "Checks")
UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
_SIZE = re.compile(r"\s*([0-9][0-9,_]*(?:\.[0-9]+)?)\s*([kKmMgG]?)(?:i?[bB])?\s*")
CHECKS_COLUMN = COLUMNS.index("Checks")
_SPEC = Qt.ItemDataRole.UserRole  # the row's RequestSpec, keeping its headers and body
_T = TypeVar("_T")
_E = TypeVar("_E")


class RequestsEditor(RowTableEditor):
    """Empty: the target's single request is sent. Rows: requests picked by weight."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(COLUMNS, "requestsTable", "Add request", 120, parent)
        self.table.setToolTip("Body size: send a generated JSON document of that size, "
                              "in bytes or with KB, MB, GB (1 MB = 1,048,576 bytes; built once "
                              "per run). Use {id} in a path for a random id. Checks: "
                              "double-click to edit a request's checks.")
        self.checks_dialog: ChecksDialog | None = None
        self.table.cellDoubleClicked.connect(self._double_clicked)
        header = self.table.horizontalHeader()
        for column in ("Method", "Body size", "Weight", "Checks"):
            header.setSectionResizeMode(COLUMNS.index(column),
                                        QHeaderView.ResizeMode.ResizeToContents)
        self.hint = QLabel("No mix: the target's endpoint, method and body are sent.")
        self.hint.setWordWrap(True)
        self.rows_layout.insertWidget(0, self.hint)

    def specs(self) -> list[RequestSpec]:
        """The rows as RequestSpecs; a number that does not parse is left for validation to
        name (an impossible size, a NaN weight)."""
        specs = []
        for row in range(self.table.rowCount()):
            cells = [self.text(row, c) for c in range(len(COLUMNS))]
            item = self.table.item(row, 0)
            base: RequestSpec | None = item.data(_SPEC) if item else None
            name, method, path, size, weight = cells[:5]
            body_size = _parse(parse_size, size, None, -1)
            weight_value = _parse(float, weight, 1.0, float("nan"))
            spec = base or RequestSpec()
            specs.append(dataclasses.replace(
                spec, name=name, method=method.upper() or "GET", path=path,
                body_size=body_size, body=None if body_size else spec.body,
                weight=weight_value))
        return specs

    def set_specs(self, specs: list[RequestSpec]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for spec in specs:
            self._append(spec)
        self.table.blockSignals(False)
        self.rows_changed()
        self.changed.emit()

    def _append(self, spec: RequestSpec) -> None:
        values = (spec.name, spec.method, spec.path,
                  "" if spec.body_size is None else size_text(spec.body_size),
                  f"{spec.weight:g}", str(len(spec.checks)))
        row = self.append_row(values)
        cast(QTableWidgetItem, self.table.item(row, 0)).setData(_SPEC, spec)  # just added
        count = cast(QTableWidgetItem, self.table.item(row, CHECKS_COLUMN))
        count.setFlags(count.flags() & ~Qt.ItemFlag.ItemIsEditable)  # edited in its dialog

    def _double_clicked(self, row: int, column: int) -> None:
        if column == CHECKS_COLUMN:
            self.edit_checks(row)

    def edit_checks(self, row: int) -> None:
        """Open the checks dialog of a row's request."""
        spec = self.specs()[row]
        self.checks_dialog = open_checks_dialog(
            self, list(spec.checks), spec.name or f"request {row + 1}",
            lambda checks: self._set_checks(row, checks))

    def _set_checks(self, row: int, checks: list[Check]) -> None:
        item = self.table.item(row, 0)
        if item is None:  # the row went while the dialog was open
            return
        spec: RequestSpec = item.data(_SPEC) or RequestSpec()
        self.table.blockSignals(True)
        item.setData(_SPEC, dataclasses.replace(spec, checks=checks))
        cast(QTableWidgetItem, self.table.item(row, CHECKS_COLUMN)).setText(str(len(checks)))
        self.table.blockSignals(False)
        self.changed.emit()

    def add_row(self) -> None:
        self._append(RequestSpec(name=f"request {self.table.rowCount() + 1}"))
        self.rows_changed()
        self.changed.emit()

    def rows_changed(self) -> None:
        self.hint.setVisible(self.table.rowCount() == 0)


def _parse(kind: Callable[[str], _T], text: str, empty: _E, invalid: _T) -> _T | _E:
    if not text:
        return empty
    try:
        return kind(text)
    except ValueError:
        return invalid


def size_text(size: int) -> str:
    """26214400 -> "25 MB", 1536 -> "1.5 KB", 1000 -> "1,000": exact, in the largest unit
    that shows it in at most two decimals."""
    for unit in ("G", "M", "K"):
        value = size / UNITS[unit]
        if value >= 1 and round(value, 2) * UNITS[unit] == size:
            return f"{value:,.2f}".rstrip("0").rstrip(".") + f" {unit}B"
    return f"{size:,}"


def parse_size(text: str) -> int:
    """"25 MB", "25MB", "1.5 KiB", "26,214,400" -> bytes; ValueError otherwise."""
    match = _SIZE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a size: {text!r}")
    value = float(match.group(1).replace(",", "").replace("_", ""))
    size = value * UNITS[match.group(2).upper()]
    if size != int(size):
        raise ValueError(f"not a whole number of bytes: {text!r}")
    return int(size)
