"""Badges over the plots, one per threshold, green while it passes and red when it fails."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from loadgui.engine import Report
from loadgui.engine.stats.thresholds import ThresholdResult, value_text
from loadgui.ui.theme import INVALID_COLOR, ON_COLOR

PER_ROW = 4  # badges a row: many thresholds wrap instead of widening the window
PASS, FAIL, WAITING = "pass", "fail", "waiting"
MARKS = {PASS: "✓", FAIL: "✗", WAITING: "…"}
_STYLE = f"""
QLabel#thresholdBadge {{ border: 1px solid palette(mid); border-radius: 4px;
                         padding: 1px 6px; }}
QLabel#thresholdBadge[verdict="pass"] {{ border-color: {ON_COLOR}; color: {ON_COLOR}; }}
QLabel#thresholdBadge[verdict="fail"] {{ border-color: {INVALID_COLOR}; color: {INVALID_COLOR};
                                         font-weight: bold; }}
QLabel#thresholdBadge[verdict="waiting"] {{ color: palette(mid); }}
"""


def verdict(result: ThresholdResult, final: bool) -> str:
    """pass, fail, or waiting: a live run without the figure yet has not failed it."""
    if result.passed:
        return PASS
    return WAITING if result.waiting and not final else FAIL


def badge_text(result: ThresholdResult, final: bool) -> str:
    """"p95 < 300ms ✓ 212 ms"; "p95 < 300ms … waiting" before there is a figure."""
    state = verdict(result, final)
    shown = value_text(result) or ("waiting" if state == WAITING else "no value")
    return f"{result.expression} {MARKS[state]} {shown}"


class ThresholdBadges(QWidget):
    """Hidden when the run has no thresholds."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("thresholdBadges")
        self.setStyleSheet(_STYLE)
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setHorizontalSpacing(6)
        self._layout.setVerticalSpacing(2)
        self.badges: list[QLabel] = []
        self._expressions: tuple[str, ...] = ()
        self.hide()

    def show_report(self, report: Report) -> None:
        """Show the report's threshold results."""
        if not report.thresholds:
            self.clear()
            return
        expressions = tuple(result.expression for result in report.thresholds)
        if expressions != self._expressions:
            self._make_badges(len(expressions))
            self._expressions = expressions
        for badge, result in zip(self.badges, report.thresholds, strict=True):
            text, state = badge_text(result, report.final), verdict(result, report.final)
            if badge.text() != text:
                badge.setText(text)
            if badge.toolTip() != result.detail:
                badge.setToolTip(result.detail)
            if badge.property("verdict") != state:
                badge.setProperty("verdict", state)
                badge.style().unpolish(badge)
                badge.style().polish(badge)
        if self.isHidden():
            self.show()

    def verdicts(self) -> list[str]:
        """Each badge's pass, fail or waiting, in the thresholds' order."""
        return [str(badge.property("verdict")) for badge in self.badges]

    def clear(self) -> None:
        self.hide()

    def _make_badges(self, count: int) -> None:
        for badge in self.badges:
            self._layout.removeWidget(badge)
            badge.deleteLater()
        self.badges = []
        for i in range(count):
            badge = QLabel()
            badge.setObjectName("thresholdBadge")
            self._layout.addWidget(badge, i // PER_ROW, i % PER_ROW)
            self.badges.append(badge)
        self._layout.setColumnStretch(PER_ROW, 1)  # badges keep left, at their width
