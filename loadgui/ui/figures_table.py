"""The shape the result tables share: read-only rows of figures under headers with tooltips,
numbers aligned right, each cell made once and its text updated in place."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class FiguresTable(QTableWidget):
    """`columns` headed by `headers` (default: the column names) with `tips`; the columns
    in `text_columns` align left, the others (figures) right."""

    def __init__(self, columns: Sequence[str], object_name: str, *,
                 headers: Sequence[str] | None = None, tips: Sequence[str] | None = None,
                 text_columns: Sequence[int] = (0,), rows: int = 0,
                 parent: QWidget | None = None):
        super().__init__(rows, len(columns), parent)
        self.columns = tuple(columns)
        self.setObjectName(object_name)
        self._text_columns = frozenset(text_columns)
        for col, text in enumerate(headers or columns):
            item = QTableWidgetItem(text)
            if tips is not None:
                item.setToolTip(tips[col])
            self.setHorizontalHeaderItem(col, item)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def cell(self, row: int, col: int) -> QTableWidgetItem:
        """The item at (row, col), made (and aligned) on first use."""
        item = self.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            item.setTextAlignment(_LEFT if col in self._text_columns else _RIGHT)
            self.setItem(row, col, item)
        return item

    def value(self, column: str, row: int = 0) -> str:
        item = self.item(row, self.columns.index(column))
        return item.text() if item is not None else ""
