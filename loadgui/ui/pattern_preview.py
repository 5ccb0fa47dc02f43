"""A small curve of the traffic pattern's shape over the run."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget

from loadgui.engine.load import patterns
from loadgui.ui.theme import THROUGHPUT_COLOR, plot_colors

POINTS = 200


class PatternPreview(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped (Any)
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("patternPreview")
        self.setBackground(plot_colors(self)[0])
        self.setFixedHeight(64)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        for axis in ("left", "bottom"):
            self.getPlotItem().hideAxis(axis)
        self.curve = self.plot(pen=pg.mkPen(THROUGHPUT_COLOR, width=2), fillLevel=0,
                               brush=pg.mkBrush(THROUGHPUT_COLOR + "30"))
        self.setToolTip("How many workers are active over the run")

    def apply_palette(self) -> None:
        self.setBackground(plot_colors(self)[0])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()  # light <-> dark while open
        super().changeEvent(event)

    def show_pattern(self, pattern: str, peak: int) -> None:
        x = np.linspace(0, 1, POINTS)
        y = np.array([patterns.level(pattern, v, peak) for v in x], dtype=float)
        self.curve.setData(x, y)
        self.setYRange(0, max(peak, 1), padding=0.05)
