"""The failures of a run, grouped as the Report groups them: what went wrong, where, how often."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QWidget

from loadgui.engine.stats.errors import ErrorGroup
from loadgui.engine.stats.units import NO_VALUE
from loadgui.ui.figures_table import FiguresTable

COLUMNS = ("Kind", "Message", "Request", "Target", "Status", "Count", "First seen s",
           "Last seen s")
MESSAGE = COLUMNS.index("Message")


def error_cells(group: ErrorGroup) -> list[str]:
    return [group.kind, group.message, group.request or NO_VALUE, group.target or NO_VALUE,
            str(group.status) if group.status else NO_VALUE, f"{group.count:,}",
            f"{group.first_seen:,.1f}", f"{group.last_seen:,.1f}"]


class FailuresTable(FiguresTable):
    """One row per ErrorGroup of the Report (`report.errors`), the most frequent first."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(COLUMNS, "failuresTable", text_columns=range(COLUMNS.index("Status")),
                         parent=parent)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Stretch)
        self._shown: tuple[ErrorGroup, ...] = ()

    def show_errors(self, errors: tuple[ErrorGroup, ...]) -> None:
        if errors == self._shown:
            return
        self._shown = errors
        self.setRowCount(len(errors))
        for row, group in enumerate(errors):
            for col, text in enumerate(error_cells(group)):
                item = self.cell(row, col)
                if item.text() != text:
                    item.setText(text)
                if col == MESSAGE and item.toolTip() != text:
                    item.setToolTip(text)  # long messages are cut off in the cell

    def clear_rows(self) -> None:
        self.show_errors(())
