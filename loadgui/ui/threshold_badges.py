"""Badges over the plots, one per threshold, green while it passes and red when it fails."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from loadgui.engine import Report


class ThresholdBadges(QWidget):
    """Hidden when the run has no thresholds."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("thresholdBadges")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.hide()

    def show_report(self, report: Report) -> None:
        """Show the report's threshold results."""

    def clear(self) -> None:
        self.hide()
