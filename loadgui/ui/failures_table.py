"""The failures of a run, grouped as the Report groups them: what went wrong, where, how often."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from loadgui.engine.stats.errors import ErrorGroup
from loadgui.engine.stats.units import NO_VALUE

COLUMNS = ("Kind", "Message", "Request", "Target", "Status", "Count", "First seen s",
           "Last seen s")
_NUMERIC = {COLUMNS.index(name) for name in ("Status", "Count", "First seen s", "Last seen s")}


def error_cells(group: ErrorGroup) -> list[str]:
    return [group.kind, group.message, group.request or NO_VALUE, group.target or NO_VALUE,
            str(group.status) if group.status else NO_VALUE, f"{group.count:,}",
            f"{group.first_seen:,.1f}", f"{group.last_seen:,.1f}"]


class FailuresTable(QTableWidget):
    """One row per ErrorGroup of the Report (`report.errors`), the most frequent first."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("failuresTable")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Message"), QHeaderView.ResizeMode.Stretch)
        self._shown: tuple[ErrorGroup, ...] = ()

    def show_errors(self, errors: tuple[ErrorGroup, ...]) -> None:
        if errors == self._shown:
            return
        self._shown = errors
        self.setRowCount(len(errors))
        for row, group in enumerate(errors):
            for col, text in enumerate(error_cells(group)):
                self._set(row, col, text)

    def clear_rows(self) -> None:
        self.show_errors(())

    def value(self, column: str, row: int = 0) -> str:
        item = self.item(row, COLUMNS.index(column))
        return item.text() if item is not None else ""

    def _set(self, row: int, col: int, text: str) -> None:
        item = self.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            align = Qt.AlignmentFlag.AlignRight if col in _NUMERIC else Qt.AlignmentFlag.AlignLeft
            item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, col, item)
        if item.text() != text:
            item.setText(text)
        if col == COLUMNS.index("Message") and item.toolTip() != text:
            item.setToolTip(text)  # long messages are cut off in the cell
