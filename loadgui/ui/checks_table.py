"""The Checks tab: passes and failures of each check, per request, green or red."""

from __future__ import annotations

import math

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QWidget

from loadgui.engine import Report
from loadgui.engine.stats.check_totals import CheckFigures
from loadgui.ui.figures_table import FiguresTable
from loadgui.ui.theme import CLASS_COLORS, INVALID_COLOR

COLUMNS = ("Request", "Check", "Passes", "Fails", "Pass %")
PASSED_COLOR = CLASS_COLORS["2xx"]


def check_cells(figures: CheckFigures) -> list[str]:
    rate = figures.pass_rate
    return [figures.request, figures.name, f"{figures.passes:,}", f"{figures.fails:,}",
            "-" if math.isnan(rate) else f"{rate * 100:.2f}"]


class ChecksTable(FiguresTable):
    """Renders the report's `checks`; its tab shows when the run has checks. A check that
    never failed is green, one that failed at least once red."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(COLUMNS, "checksTable", text_columns=(0, 1), parent=parent)
        self.horizontalHeader().setSectionResizeMode(COLUMNS.index("Check"),
                                                     QHeaderView.ResizeMode.Stretch)
        self.setToolTip("Every check runs on every answered attempt of its request; a failed "
                        "check makes the attempt a `check` failure.")
        self._shown: tuple[CheckFigures, ...] = ()

    def has_rows(self, report: Report) -> bool:
        return bool(report.checks)

    def show_report(self, report: Report) -> None:
        """Show the report's figures."""
        checks = report.checks
        if checks == self._shown:
            return
        self._shown = checks
        self.setRowCount(len(checks))
        passed, failed = QColor(PASSED_COLOR), QColor(INVALID_COLOR)
        for row, figures in enumerate(checks):
            color = failed if figures.fails else passed
            for col, text in enumerate(check_cells(figures)):
                item = self.cell(row, col)
                item.setText(text)
                item.setForeground(color)

    def color(self, row: int) -> str:
        """The row's colour as #rrggbb (green: never failed; red: failed)."""
        item = self.item(row, 0)
        return item.foreground().color().name() if item is not None else ""

    def clear_rows(self) -> None:
        self._shown = ()
        self.setRowCount(0)
