"""Two runs' series on the same plots, by time since each run's start: requests per second,
a latency percentile and errors. Run A is drawn solid, run B dashed, each in its colour."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from loadgui.engine import Report
from loadgui.engine.stats.series import Series
from loadgui.ui.plot_parts import (
    LoneDots,
    base_plot,
    finite_max,
    nice_ceiling,
    plotted,
    rate_intervals,
    snug_ceiling,
    style_plot,
)
from loadgui.ui.theme import plot_colors

RUN_COLORS = ("#3b82f6", "#f97316")  # A, B
RUN_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine)
PERCENTILES = ("p99", "p90", "p50", "avg")
MIN_PLOT_HEIGHT = 90
PLOT_KEYS = ("rate", "latency", "errors")


def run_pen(index: int, width: float = 2.0) -> pg.QtGui.QPen:
    return pg.mkPen(RUN_COLORS[index], width=width, style=RUN_STYLES[index])


class ComparePlots(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("comparePlots")
        self.view = pg.GraphicsLayoutWidget()
        self.view.ci.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.plots = {key: base_plot(self.view, row) for row, key in enumerate(PLOT_KEYS)}
        first, last = self.plots["rate"], self.plots["errors"]
        for key, plot in self.plots.items():
            plot.getViewBox().setMinimumHeight(MIN_PLOT_HEIGHT)
            if plot is not last:
                plot.getAxis("bottom").setStyle(showValues=False)
                plot.getAxis("bottom").setHeight(4)
            if plot is not first:
                plot.setXLink(first)
            plot.setMouseEnabled(x=key == "rate", y=False)
        last.setLabel("bottom", "time since start", units="s")
        self.view.setMinimumHeight(3 * MIN_PLOT_HEIGHT + 3 * 12 + 44)
        self.legend = first.addLegend(offset=(8, 2), colCount=2)
        self.curves = {(key, i): plot.plot(pen=run_pen(i), connect="finite")
                       for key, plot in self.plots.items() for i in (0, 1)}
        self.dots = LoneDots(tuple(self.curves.values()))
        self.percentile = PERCENTILES[0]
        self._shown: tuple[Series, Series] | None = None
        self.apply_palette()

    def labels(self) -> dict[str, str]:
        return {"rate": "per second", "latency": f"{self.percentile} ms", "errors": "errors %"}

    def apply_palette(self) -> None:
        background, foreground = plot_colors(self)
        self.view.setBackground(background)
        for key, label in self.labels().items():
            style_plot(self.plots[key], label, foreground)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)

    def show_runs(self, a: Report, b: Report, names: tuple[str, str]) -> None:
        """Plot A and B; `names` label them in the legend."""
        self._shown = (plotted(a), plotted(b))
        self.legend.clear()
        for i, name in enumerate(names):
            self.legend.addItem(self.curves[("rate", i)], name)
        for i, s in enumerate(self._shown):
            # The sliver a run ends with holds a handful of attempts: noise beside the
            # other run's full intervals.
            widths, full = rate_intervals(s)
            self.curves[("rate", i)].setData(s.t[full], s.requests[full] / widths[full])
            self.curves[("errors", i)].setData(s.t[full], np.where(
                s.requests[full] > 0, s.error_rate[full] * 100, np.nan))
        self._show_latency()
        end = max((float(s.t[-1]) for s in self._shown if len(s.t)), default=0.0)
        self.plots["rate"].setXRange(0, snug_ceiling(end) if end > 0 else 10, padding=0)
        self._fit("rate", 1.35)
        self._fit("errors", 1.2, top=100.0)

    def set_percentile(self, name: str) -> None:
        self.percentile = name
        self.apply_palette()  # the latency plot's label names the percentile
        if self._shown is not None:
            self._show_latency()

    def _show_latency(self) -> None:
        assert self._shown is not None
        for i, s in enumerate(self._shown):
            _, full = rate_intervals(s)
            self.curves[("latency", i)].setData(s.t[full],
                                                getattr(s, self.percentile)[full] * 1000)
        self._fit("latency", 1.2)
        self.dots.update()

    def _fit(self, key: str, headroom: float, top: float | None = None) -> None:
        peak = finite_max(*(np.asarray(self.curves[(key, i)].yData, dtype=float)
                            for i in (0, 1) if self.curves[(key, i)].yData is not None))
        ceiling = nice_ceiling(peak * headroom)
        self.plots[key].setYRange(0, min(ceiling, top) if top else ceiling, padding=0)

    def curve_data(self, key: str, run: int) -> tuple[np.ndarray, np.ndarray]:
        """What is drawn for run 0 (A) or 1 (B) on plot `key` (rate, latency, errors)."""
        x, y = self.curves[(key, run)].getData()
        return np.asarray(x), np.asarray(y)
