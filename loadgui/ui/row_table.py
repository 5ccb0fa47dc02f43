"""An editable table with Add and Remove buttons: the shape of the headers and mix editors."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class RowTableEditor(QWidget):
    """`changed` fires on every edit, add and remove. Subclasses implement `add_row()`."""

    changed = Signal()

    def __init__(self, columns: tuple[str, ...], object_name: str, add_label: str,
                 max_height: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName(object_name)
        self.table.setHorizontalHeaderLabels(list(columns))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMaximumHeight(max_height)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        add, remove = QPushButton(add_label), QPushButton("Remove")
        add.clicked.connect(self.add_row)
        remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        self.rows_layout = QVBoxLayout(self)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.addWidget(self.table)
        self.rows_layout.addLayout(buttons)

    def add_row(self) -> None:
        raise NotImplementedError

    def append_row(self, values: tuple[str, ...]) -> int:
        """Append a row of texts without signalling; returns its index."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, value in enumerate(values):
            self.table.setItem(row, col, QTableWidgetItem(value))
        return row

    def text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item else ""

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self.rows_changed()
        self.changed.emit()

    def rows_changed(self) -> None:
        """Called after rows were added or removed; subclasses may react."""
