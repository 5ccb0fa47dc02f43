"""A small two-column table of request headers."""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import QTableWidgetItem, QWidget

from loadgui.ui.row_table import RowTableEditor


class HeadersEditor(RowTableEditor):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(("Header", "Value"), "headersTable", "Add header", 110, parent)

    def headers(self) -> dict[str, str]:
        headers = {}
        for row in range(self.table.rowCount()):
            name = self.text(row, 0)
            if name:
                item = self.table.item(row, 1)
                headers[name] = item.text() if item else ""
        return headers

    def set_headers(self, headers: dict[str, str]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for name, value in headers.items():
            self.append_row((name, value))
        self.table.blockSignals(False)
        self.changed.emit()

    def add_row(self) -> None:
        row = self.append_row(("", ""))
        self.table.editItem(cast(QTableWidgetItem, self.table.item(row, 0)))  # just added
