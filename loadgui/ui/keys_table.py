"""The API keys tab: per key attempts, successes, 401/403, 429, latency, last status, rests."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QWidget

from loadgui.engine import Report


class KeysTable(QTableWidget):
    """Renders the report's `keys`; its tab shows when the run rotates keys."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 0, parent)
        self.setObjectName("keysTable")

    def has_rows(self, report: Report) -> bool:
        return bool(report.keys)

    def show_report(self, report: Report) -> None:
        """Show the report's figures."""

    def clear_rows(self) -> None:
        self.setRowCount(0)
