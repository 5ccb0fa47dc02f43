"""A crosshair over the stacked plots and a one-line readout of the interval under it.

The readout sits above the plots, never over a curve; it and the lines show only while the
pointer is over a plot, and a new run clears them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from loadgui.engine.stats.series import STATUS_CLASSES, Series
from loadgui.engine.stats.units import ms_text


def describe(s: Series, i: int) -> str:
    """One line about interval i of a series: when, how many, how fast, how it went."""
    if not 0 <= i < len(s.t):
        return ""
    classes = "  ".join(f"{name} {int(s.classes[name][i]):,}" for name in STATUS_CLASSES
                        if s.classes[name][i])
    return (f"t {s.t[i]:.1f} s  ·  {int(s.cumulative[i]):,} requests  ·  {s.rps[i]:,.0f}/s  ·  "
            f"avg {ms_text(s.avg[i])}  p50 {ms_text(s.p50[i])}  p90 {ms_text(s.p90[i])}  "
            f"p99 {ms_text(s.p99[i])} ms  ·  {classes or 'no responses'}  ·  "
            f"errors {s.error_rate[i] * 100:.1f}%")


class Crosshair(QObject):
    def __init__(self, view: pg.GraphicsLayoutWidget, plots: list[pg.PlotItem],
                 readout: QLabel, series: Callable[[], Series | None]):
        super().__init__(view)
        self.view = view
        self.plots = plots
        self.readout = readout
        self._series = series
        self.lines: list[pg.InfiniteLine] = []
        for plot in plots:
            line = pg.InfiniteLine(angle=90, movable=False)
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self.lines.append(line)
        view.scene().sigMouseMoved.connect(self._moved)
        view.installEventFilter(self)
        readout.setVisible(False)

    def set_color(self, foreground: QColor) -> None:
        pen = pg.mkPen(foreground.name() + "90", width=1, style=Qt.PenStyle.DashLine)
        for line in self.lines:
            line.setPen(pen)

    @property
    def shown(self) -> bool:
        return self.readout.isVisible()

    def hide(self) -> None:
        for line in self.lines:
            line.setVisible(False)
        self.readout.setVisible(False)
        self.readout.setText("")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            self.hide()
        return False

    def _moved(self, position: QPointF) -> None:
        series = self._series()
        inside = [p for p in self.plots if p.sceneBoundingRect().contains(position)]
        if series is None or len(series.t) == 0 or not inside:
            self.hide()
            return
        x = inside[0].getViewBox().mapSceneToView(position).x()
        i = int(np.clip(np.searchsorted(series.t, x), 0, len(series.t) - 1))
        for line in self.lines:
            line.setPos(series.t[i])
            line.setVisible(True)
        text = describe(series, i)
        self.readout.setToolTip(text)
        self.readout.setText(text)
        self.readout.setVisible(True)

    def cleanup(self) -> None:
        self.view.scene().sigMouseMoved.disconnect(self._moved)
        self.view.removeEventFilter(self)
