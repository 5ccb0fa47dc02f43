"""The summary under the plots: the whole run, then each request and target of it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QWidget

from loadgui.engine import Report
from loadgui.engine.stats.figures import GroupFigures, LatencyFigures
from loadgui.engine.stats.units import NO_VALUE, ms_text
from loadgui.ui.figures_table import FiguresTable

COLUMNS = ("Scope", "Requests", "Attempts", "Successes", "Failures", "Exceptions", "Error %",
           "Req/s", "Avg ms", "p50 ms", "p90 ms", "p99 ms", "Max ms", "Status codes")
# Shown compact, so that the table fits beside the form at 1024 px; the tooltips say it all.
HEADERS = ("Scope", "Requests", "Sends", "OK", "Failed", "No reply", "Err %", "Req/s", "Avg",
           "p50", "p90", "p99", "Max", "Status codes")
HEADER_TIPS = ("All requests, then each request of the mix and each target",
               "Requests sent, as the run's request count counts them (retries not counted)",
               "Attempts: every send, retries included; the columns to the right count these",
               "Successes: attempts answered 2xx or 3xx that passed every check",
               "Failures: attempts answered with a status of 400 or more, or failing a check",
               "Exceptions: attempts with no response (timeout, connection, cancelled...)",
               "Failures and exceptions, % of attempts", "Attempts per second",
               "Mean latency of successes, ms", "Median latency of successes, ms",
               "90th percentile latency, ms", "99th percentile latency, ms",
               "Slowest success, ms", "Status codes and kinds of no-response, for the run")
SCOPE_WIDTH = 110
NO_SPLIT = ("The report does not break status codes down by request or target; "
            "the Failures tab lists the failing ones by request and target.")
ROW_DIMENSIONS = ("request", "target")  # breakdowns shown as rows under "All"


def figure_cells(scope: str, requests: int | None, attempts: int, successes: int,
                 failures: int, exceptions: int, error_rate: float, rps: float,
                 latency: LatencyFigures, codes: str) -> list[str]:
    """A row's cells; `requests` None when the report does not count them for the scope."""
    return [scope, NO_VALUE if requests is None else f"{requests:,}", f"{attempts:,}",
            f"{successes:,}", f"{failures:,}", f"{exceptions:,}",
            f"{error_rate * 100:.2f}", f"{rps:,.1f}", ms_text(latency.mean),
            ms_text(latency.p50), ms_text(latency.p90), ms_text(latency.p99),
            ms_text(latency.max), codes]


def report_cells(report: Report) -> list[str]:
    """The "All" row: the report's own figures, status codes and kinds of no-response."""
    codes = "  ".join(f"{code}: {n:,}" for code, n in sorted(report.status_counts.items()))
    errors = "  ".join(f"{kind}: {n:,}" for kind, n in sorted(report.error_counts.items()))
    return figure_cells("All", report.requests, report.attempts, report.successes,
                        report.failures, report.exceptions, report.error_rate, report.rps,
                        report.latency, "  ".join(x for x in (codes, errors) if x) or NO_VALUE)


def group_cells(dimension: str, group: GroupFigures) -> list[str]:
    """A request's or target's row. The report counts a scope's attempts (its requests and
    status codes are not split by request or target), so those cells stay empty."""
    return figure_cells(f"{dimension}: {group.name}", None, group.requests, group.successes,
                        group.failures, group.exceptions, group.error_rate, group.rps,
                        group.latency, "")


def summary_rows(report: Report) -> list[list[str]]:
    rows = [report_cells(report)]
    for dimension in ROW_DIMENSIONS:
        rows.extend(group_cells(dimension, group)
                    for group in report.breakdowns.get(dimension, ()))
    return rows


class SummaryTable(FiguresTable):
    """Renders a Report; computes nothing of its own."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(COLUMNS, "summaryTable", headers=HEADERS, tips=HEADER_TIPS,
                         text_columns=(0, len(COLUMNS) - 1), rows=1, parent=parent)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.horizontalHeader()
        header.setMinimumSectionSize(28)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, SCOPE_WIDTH)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.clear_rows()

    def clear_rows(self) -> None:
        self._show_rows([["All", *[NO_VALUE] * (len(COLUMNS) - 1)]])

    def show_report(self, report: Report) -> None:
        self._show_rows(summary_rows(report))

    def scopes(self) -> list[str]:
        return [self.value("Scope", row) for row in range(self.rowCount())]

    def _show_rows(self, rows: list[list[str]]) -> None:
        if self.rowCount() != len(rows):
            self.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for col, text in enumerate(cells):
                self._set(row, col, text)

    def _set(self, row: int, col: int, text: str) -> None:
        item = self.cell(row, col)
        if item.text() != text:
            item.setText(text)
        if col in (0, len(COLUMNS) - 1):  # cut short in the cell: whole in the tooltip
            tip = text or NO_SPLIT
            if item.toolTip() != tip:
                item.setToolTip(tip)
