"""Burst mode's own figures, as `loadgui run` prints them: per burst, how tightly its
requests left (send spread) and when they completed (first, median, last)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QWidget

from loadgui.engine.stats.bursts import BurstStats
from loadgui.engine.stats.units import ms_text
from loadgui.ui.figures_table import FiguresTable

COLUMNS = ("Burst", "Started s", "Size", "Send spread ms", "First done ms", "Median done ms",
           "Last done ms")


def burst_cells(number: int, burst: BurstStats) -> list[str]:
    return [str(number), f"{burst.start:,.2f}", f"{burst.size:,}", ms_text(burst.send_spread),
            ms_text(burst.first_done), ms_text(burst.median_done), ms_text(burst.last_done)]


class BurstTable(FiguresTable):
    """One row per burst of the Report (`report.bursts`); hidden when there are none."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(COLUMNS, "burstTable", text_columns=(), parent=parent)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setToolTip("Send spread: the last request of a burst left this long after the "
                        "first.\nDone: when its requests completed, from the burst's start.")
        self._shown: tuple[BurstStats, ...] = ()
        self.setVisible(False)

    def show_bursts(self, bursts: tuple[BurstStats, ...]) -> None:
        if bursts == self._shown:
            return
        self._shown = bursts
        self.setRowCount(len(bursts))
        for row, burst in enumerate(bursts):
            for col, text in enumerate(burst_cells(row + 1, burst)):
                self.cell(row, col).setText(text)
        self.setVisible(bool(bursts))
