"""The API keys tab: per key attempts, successes, 401/403, 429, latency, last status, rests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from loadgui.engine import Report
from loadgui.engine.stats.key_totals import KeyFigures, KeyRest
from loadgui.engine.stats.units import NO_VALUE, ms_text
from loadgui.ui.figures_table import FiguresTable
from loadgui.ui.theme import INVALID_COLOR

COLUMNS = ("Key", "Attempts", "Successes", "401/403", "429", "p50 ms", "p99 ms",
           "Last status", "Resting until")
HEADER_TIPS = ("The key's place in the key list (the key itself is never shown)",
               "Attempts sent with the key, retries included",
               "Attempts answered 2xx or 3xx", "Answered 401 Unauthorized or 403 Forbidden",
               "Answered 429 Too Many Requests", "Median latency of its successes",
               "99th percentile latency of its successes", "Status of its latest attempt",
               "Quarantine: the key rests after answers of 401/403/429 in a row; after 401 "
               "or 403 for the rest of the run")


def key_cells(k: KeyFigures) -> list[str]:
    if not k.resting:
        resting = NO_VALUE
    elif k.resting_until is None:
        resting = "for good"
    else:
        resting = f"{k.resting_until:.1f} s"
    return [f"key {k.key}", f"{k.attempts:,}", f"{k.successes:,}",
            f"{k.unauthorized + k.forbidden:,}", f"{k.rate_limited:,}",
            ms_text(k.latency.p50), ms_text(k.latency.p99),
            str(k.last_status) if k.last_status else "no response", resting]


def rest_lines(key: int, rests: tuple[KeyRest, ...]) -> str:
    """The key's rests, one line each, for its tooltip."""
    lines = [f"from {r.start:.1f} s " + ("for good" if r.end is None else f"to {r.end:.1f} s")
             + f": {r.reason}" for r in rests if r.key == key]
    return "\n".join(lines) if lines else "never rested"


class KeysTable(FiguresTable):
    """Renders the report's `keys`; its tab shows when the run rotates keys. A resting key's
    row is red; its tooltip lists its rests with their times."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(COLUMNS, "keysTable", tips=HEADER_TIPS, parent=parent)
        self._shown: tuple[tuple[KeyFigures, ...], tuple[KeyRest, ...]] = ((), ())

    def has_rows(self, report: Report) -> bool:
        return bool(report.keys)

    def show_report(self, report: Report) -> None:
        """Show the report's figures."""
        shown = (report.keys, report.key_rests)
        if shown == self._shown:
            return
        self._shown = shown
        if self.rowCount() != len(report.keys):
            self.setRowCount(len(report.keys))
        resting_color = QColor(INVALID_COLOR)
        for row, figures in enumerate(report.keys):
            tip = rest_lines(figures.key, report.key_rests)
            for col, text in enumerate(key_cells(figures)):
                item = self.cell(row, col)
                item.setText(text)
                item.setToolTip(tip)
                item.setData(Qt.ItemDataRole.ForegroundRole,
                             resting_color if figures.resting else None)

    def clear_rows(self) -> None:
        self._shown = ((), ())
        self.setRowCount(0)
