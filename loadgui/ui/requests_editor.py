"""The weighted request mix: a table of name, method, path, generated body size and weight."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loadgui.profile import RequestSpec

COLUMNS = ("Name", "Method", "Path", "Body bytes", "Weight")
_SPEC = Qt.ItemDataRole.UserRole  # the row's RequestSpec, keeping its headers and body


class RequestsEditor(QWidget):
    """Empty: the target's single request is sent. Rows: requests picked by weight."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS), objectName="requestsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMaximumHeight(120)
        self.table.setToolTip("Body bytes: send a generated JSON document of that size "
                              "(built once per run). Use {id} in a path for a random id.")
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        add, remove = QPushButton("Add request"), QPushButton("Remove")
        add.clicked.connect(self._add_row)
        remove.clicked.connect(self._remove_selected)
        self.hint = QLabel("No mix: the target's endpoint, method and body are sent.")
        self.hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def specs(self) -> list[RequestSpec]:
        """The rows as RequestSpecs; a number that does not parse is left for validation to
        name (an impossible size, a NaN weight)."""
        specs = []
        for row in range(self.table.rowCount()):
            cells = [self._text(row, c) for c in range(len(COLUMNS))]
            base = self.table.item(row, 0).data(_SPEC) if self.table.item(row, 0) else None
            name, method, path, size, weight = cells
            body_size = _parse(int, size, None, -1)
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
        self._update_hint()
        self.changed.emit()

    def _append(self, spec: RequestSpec) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = (spec.name, spec.method, spec.path,
                  "" if spec.body_size is None else str(spec.body_size), f"{spec.weight:g}")
        for col, value in enumerate(values):
            self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.item(row, 0).setData(_SPEC, spec)

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item else ""

    def _add_row(self) -> None:
        self._append(RequestSpec(name=f"request {self.table.rowCount() + 1}"))
        self._update_hint()
        self.changed.emit()

    def _remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self._update_hint()
        self.changed.emit()

    def _update_hint(self) -> None:
        self.hint.setVisible(self.table.rowCount() == 0)


def _parse(kind: type, text: str, empty: object, invalid: object) -> object:
    if not text:
        return empty
    try:
        return kind(text)
    except ValueError:
        return invalid
