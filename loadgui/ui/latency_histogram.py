"""The latency histogram of a run's successes, live, on a log-scaled latency axis.

It draws the report's own buckets (`report.histogram`: each bucket's value and count) at
their true widths, with the report's p50 and p99 marked.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from loadgui.engine import Report
from loadgui.engine.stats.histogram import RELATIVE_ACCURACY
from loadgui.engine.stats.units import ms_text
from loadgui.ui.plot_parts import histogram_ms, nice_ceiling, paint_still_plot, still_plot
from loadgui.ui.theme import LATENCY_COLORS, THROUGHPUT_COLOR

MARKS = ("p50", "p99")
LATENCY_AXIS = "latency of successes (ms, log scale)"  # the compare histogram's too

SMALLEST_MS = 1e-3  # where a latency of 0 is drawn on the log axis


def latency_label(ms: float) -> str:
    return f"{ms:g} ms" if ms < 1000 else f"{ms / 1000:g} s"


def log_ticks(low: float, high: float) -> list[list[tuple[float, str]]]:
    """Ticks for an axis of log10(ms) from low to high: every power of ten, labelled in
    ms or s, and 2 and 5 times each (labelled too while there are few decades)."""
    decades = range(math.floor(low), math.ceil(high) + 1)
    major = [(float(k), latency_label(10.0**k)) for k in decades]
    few = high - low <= 3
    minor = [(math.log10(step * 10.0**k), latency_label(step * 10.0**k) if few else "")
             for k in decades for step in (2, 5)]
    return [major, minor]


class LatencyHistogram(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("latencyHistogram")
        self.plot_widget, self.plot = still_plot()
        self.bars = pg.BarGraphItem(x0=[], x1=[], height=[], pen=None,
                                    brush=pg.mkBrush(THROUGHPUT_COLOR + "c0"))
        self.plot.addItem(self.bars)
        self.marks = {name: pg.InfiniteLine(angle=90, movable=False, label=name,
                                            labelOpts={"position": 0.92},
                                            pen=pg.mkPen(LATENCY_COLORS[name], width=1.5,
                                                         style=Qt.PenStyle.DashLine))
                      for name in MARKS}
        for line in self.marks.values():
            line.setVisible(False)
            self.plot.addItem(line, ignoreBounds=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self.counts = np.zeros(0)  # what is drawn now: successes per bucket
        self.latencies_ms = np.zeros(0)
        self._x_range: tuple[float, float] | None = None
        self.apply_palette()
        self.clear()

    def apply_palette(self) -> None:
        """Colours from the palette, again (light <-> dark while open)."""
        _, foreground = paint_still_plot(self, self.plot_widget, self.plot, LATENCY_AXIS,
                                         "successes")
        for line in self.marks.values():
            line.label.setColor(foreground)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)

    def clear(self) -> None:
        self.counts = np.zeros(0)
        self.latencies_ms = np.zeros(0)
        self.bars.setOpts(x0=[], x1=[], height=[])
        for line in self.marks.values():
            line.setVisible(False)
        self._x_range = None
        self.plot.setXRange(0, 3, padding=0)  # 1 ms .. 1 s until there is data
        self.plot.setYRange(0, 1, padding=0)

    def show_report(self, report: Report) -> None:
        if not report.histogram:
            self.clear()
            return
        values, counts = histogram_ms(report)
        self.latencies_ms, self.counts = values, counts
        values = np.maximum(values, SMALLEST_MS)  # a log axis has no 0 (virtual-time runs)
        # A bucket's value is within RELATIVE_ACCURACY of everything in it: its bounds.
        x0 = np.log10(values / (1 + RELATIVE_ACCURACY))
        x1 = np.log10(values / (1 - RELATIVE_ACCURACY))
        self.bars.setOpts(x0=x0, x1=x1, height=counts)
        for name, line in self.marks.items():
            value = getattr(report.latency, name)
            line.setVisible(not math.isnan(value))
            if not math.isnan(value):
                line.setPos(math.log10(max(value * 1000, SMALLEST_MS)))
                line.label.setFormat(f"{name} {ms_text(value)} ms")
        x_range = (math.floor(float(x0.min()) * 2) / 2, math.ceil(float(x1.max()) * 2) / 2)
        if x_range != self._x_range:
            self._x_range = x_range
            self.plot.setXRange(*x_range, padding=0)
            self.plot.getAxis("bottom").setTicks(log_ticks(*x_range))
        self.plot.setYRange(0, nice_ceiling(float(counts.max()) * 1.15), padding=0)
