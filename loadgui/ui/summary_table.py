"""The summary under the plots: one row of figures per scope (all requests for now)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from loadgui.engine import Snapshot
from loadgui.engine.stats.breakdown import GroupStats

COLUMNS = ("Scope", "Requests", "Successes", "Failures", "Exceptions", "Error %", "Req/s",
           "Avg ms", "p50 ms", "p90 ms", "p99 ms", "Max ms", "Status codes")


def _ms(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def summary_cells(scope: str, s: Snapshot) -> list[str]:
    codes = "  ".join(f"{code}: {n:,}" for code, n in sorted(s.status_counts.items()))
    errors = "  ".join(f"{kind}: {n:,}" for kind, n in sorted(s.error_counts.items()))
    return [scope, f"{s.requests:,}", f"{s.successes:,}", f"{s.failures:,}",
            f"{s.exceptions:,}", f"{s.error_rate * 100:.2f}", f"{s.rps:,.1f}",
            _ms(s.latency_avg), _ms(s.latency_p50), _ms(s.latency_p90), _ms(s.latency_p99),
            _ms(s.latency_max), "  ".join(x for x in (codes, errors) if x) or "–"]


class SummaryTable(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(1, len(COLUMNS), parent)
        self.setObjectName("summaryTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.clear_rows()

    def show_breakdowns(self, groups: dict[str, list[GroupStats]], elapsed: float) -> None:
        """One row per request and per target (when there are several), under "All"."""
        rows = [(f"{kind}: {g.label}", g) for kind, gs in groups.items() for g in gs]
        self.setRowCount(1 + len(rows))
        for row, (scope, g) in enumerate(rows, 1):
            rate = g.count / elapsed if elapsed > 0 else 0.0
            errors = (g.failures + g.exceptions) / g.count * 100 if g.count else 0.0
            cells = [scope, f"{g.count:,}", f"{g.successes:,}", f"{g.failures:,}",
                     f"{g.exceptions:,}", f"{errors:.2f}", f"{rate:,.1f}", _ms(g.mean),
                     _ms(g.p50), _ms(g.p90), _ms(g.p99), _ms(g.max), "–"]
            for col, text in enumerate(cells):
                self._set(row, col, text)

    def clear_rows(self) -> None:
        self.setRowCount(1)
        for col, text in enumerate(["All", *["–"] * (len(COLUMNS) - 1)]):
            self._set(0, col, text)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        for col, text in enumerate(summary_cells("All", snapshot)):
            self._set(0, col, text)

    def value(self, column: str, row: int = 0) -> str:
        return self.item(row, COLUMNS.index(column)).text()

    def _set(self, row: int, col: int, text: str) -> None:
        item = self.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            align = Qt.AlignmentFlag.AlignLeft if col in (0, len(COLUMNS) - 1) else \
                Qt.AlignmentFlag.AlignRight
            item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, col, item)
        if item.text() != text:
            item.setText(text)
