"""Two runs' latency histograms overlaid: the share of each run's successes per latency
band (runs of different sizes compare), on the same log-scaled axis, p99 marked."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from loadgui.engine import Report
from loadgui.engine.stats.units import ms_text
from loadgui.ui.compare_plots import RUN_COLORS, run_pen
from loadgui.ui.latency_histogram import LATENCY_AXIS, log_ticks
from loadgui.ui.plot_parts import histogram_ms, nice_ceiling, paint_still_plot, still_plot

BANDS_PER_DECADE = 20


def shares(report: Report, edges: np.ndarray) -> np.ndarray:
    """% of the run's successes in each band between `edges` (log10 ms)."""
    if not report.histogram:
        return np.zeros(len(edges) - 1)
    values_ms, counts = histogram_ms(report)
    values = np.log10(values_ms)
    heights, _ = np.histogram(values, bins=edges, weights=counts / counts.sum() * 100)
    return heights


def band_edges(*reports: Report) -> np.ndarray:
    """Bands of 1/BANDS_PER_DECADE decade covering every run's latencies (1 ms..1 s if none)."""
    values = [math.log10(v * 1000) for r in reports for v, _ in r.histogram if v > 0]
    low = math.floor(min(values, default=0.0) * 2) / 2
    high = max(math.ceil(max(values, default=3.0) * 2) / 2, low + 0.5)
    return np.linspace(low, high, round((high - low) * BANDS_PER_DECADE) + 1)


class CompareHistogram(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareHistogram")
        self.plot_widget, self.plot = still_plot()
        self.legend = self.plot.addLegend(offset=(-8, 2))
        self.steps = [self.plot.plot(pen=run_pen(i), stepMode="center",
                                     fillLevel=0 if i == 0 else None,
                                     brush=pg.mkBrush(RUN_COLORS[0] + "40") if i == 0 else None)
                      for i in (0, 1)]
        # Each run's p99, named in the legend (labels on the lines would collide).
        self.marks = [pg.InfiniteLine(angle=90, movable=False, pen=run_pen(i, 1.2))
                      for i in (0, 1)]
        for line in self.marks:
            line.setVisible(False)
            self.plot.addItem(line, ignoreBounds=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self.heights: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
        self.apply_palette()

    def apply_palette(self) -> None:
        background, foreground = paint_still_plot(self, self.plot_widget, self.plot,
                                                  LATENCY_AXIS, "% of successes")
        self.legend.setLabelTextColor(foreground)
        background.setAlpha(220)
        self.legend.setBrush(pg.mkBrush(background))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)

    def show_runs(self, a: Report, b: Report, names: tuple[str, str]) -> None:
        edges = band_edges(a, b)
        self.heights = (shares(a, edges), shares(b, edges))
        self.legend.clear()
        for i, (report, name) in enumerate(zip((a, b), names, strict=True)):
            self.steps[i].setData(edges, self.heights[i])
            p99 = report.latency.p99
            self.legend.addItem(self.steps[i], f"{name}  ·  " + (
                "no success to time" if math.isnan(p99) else f"p99 {ms_text(p99)} ms"))
            self.marks[i].setVisible(not math.isnan(p99))
            if not math.isnan(p99):
                self.marks[i].setPos(math.log10(p99 * 1000))
        low, high = float(edges[0]), float(edges[-1])
        self.plot.setXRange(low, high, padding=0)
        self.plot.getAxis("bottom").setTicks(log_ticks(low, high))
        peak = max(float(h.max()) if len(h) else 0.0 for h in self.heights)
        self.plot.setYRange(0, nice_ceiling(peak * 1.45), padding=0)  # the legend above
