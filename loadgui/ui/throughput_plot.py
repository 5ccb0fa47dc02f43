"""The throughput plot's curves: responses per second, in all and by status class, the asked
rate in rate mode, and on its right axis the workers (or the requests in flight)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from loadgui.engine import Report
from loadgui.engine.stats.series import STATUS_CLASSES, Series
from loadgui.engine.stats.units import ms_text
from loadgui.ui.plot_parts import SecondAxis, finite_max, rate_intervals
from loadgui.ui.theme import CLASS_COLORS, LEVEL_COLOR, THROUGHPUT_COLOR


def level_label(mode: str = "concurrency") -> str:
    """The right axis: the pattern's workers in the closed model, else what is in flight."""
    return "workers" if mode == "concurrency" else "in flight"


class ThroughputCurves:
    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        plot.addLegend(offset=(8, 2), colCount=8)
        self.total_curve = plot.plot(pen=pg.mkPen(THROUGHPUT_COLOR, width=2))
        self.status_curves = {
            name: plot.plot(pen=pg.mkPen(CLASS_COLORS[name], width=1.5))
            for name in STATUS_CLASSES
        }
        self.asked_curve = plot.plot(
            pen=pg.mkPen(THROUGHPUT_COLOR, width=1.5, style=Qt.PenStyle.DashLine))
        self.level_axis = SecondAxis(plot)
        self.level_curve = pg.PlotDataItem(pen=pg.mkPen(LEVEL_COLOR, width=1.5,
                                                        style=Qt.PenStyle.DotLine))
        self.level_axis.add(self.level_curve)
        self.level_axis.set_label(level_label(), LEVEL_COLOR)
        # A run's last interval when it is a sliver: its count, not a rate off the scale.
        self.tail_note = pg.TextItem("", anchor=(1, 0))
        self.tail_note.setVisible(False)
        plot.addItem(self.tail_note, ignoreBounds=True)
        self._legend: tuple[str, ...] = ()
        self._full = np.zeros(0, dtype=bool)  # the intervals plotted as rates now

    def set_color(self, foreground: QColor) -> None:
        """After the axes took the palette's text colour: the right axis' label keeps its own."""
        self.tail_note.setColor(foreground)
        self.level_axis.set_label(self.level_axis.label_text, LEVEL_COLOR, force=True)

    def show(self, report: Report, s: Series) -> None:
        """Rates over the intervals long enough to be more than noise."""
        t, (widths, full) = s.t, rate_intervals(s)
        self._full = full
        for name, curve in self.status_curves.items():
            curve.setData(t[full], s.classes[name][full] / widths[full])
        self.total_curve.setData(t[full], s.requests[full] / widths[full])
        rate_mode = report.mode == "rate" and len(s.asked_rps) == len(t)
        self.asked_curve.setData(t[full] if rate_mode else [],
                                 s.asked_rps[full] if rate_mode else [])
        level = s.level if report.mode == "concurrency" else s.in_flight
        shown = len(level) == len(t)
        self.level_curve.setData(t if shown else [], level if shown else [])
        self.level_axis.set_label(level_label(report.mode), LEVEL_COLOR)
        self.level_axis.fit(finite_max(level))
        self._show_legend(["total", *(name for name in STATUS_CLASSES if s.classes[name].any()),
                           *(["asked"] if rate_mode else []), level_label(report.mode)])

    def peak(self) -> float:
        rates = [float(np.max(c.yData)) for c in (self.total_curve, self.asked_curve)
                 if c.yData is not None and len(c.yData)]
        return max(rates, default=0.0)

    def show_tail(self, report: Report, s: Series) -> None:
        """A finished run whose last interval is too short to plot as a rate says what it
        held (a burst's last responses, what came in as the run ended). After `show(report,
        s)` and the ranges."""
        full = self._full
        sliver = bool(report.final and len(s.t) > 1 and len(full) == len(s.t)
                      and not full[-1] and s.requests[-1] > 0)
        self.tail_note.setVisible(sliver)
        if sliver:
            width = float(s.t[-1] - s.t[-2])
            self.tail_note.setText(f"+{int(s.requests[-1]):,} responses as the run ended "
                                   f"(last {ms_text(width)} ms)")
            self.tail_note.setPos(float(s.t[-1]), self.plot.viewRange()[1][1] * 0.75)

    def clear(self) -> None:
        empty = np.array([], dtype=float)
        for curve in (self.total_curve, self.asked_curve, self.level_curve,
                      *self.status_curves.values()):
            curve.setData(empty, empty)
        self._full = np.zeros(0, dtype=bool)
        self.tail_note.setVisible(False)
        self._show_legend([])

    def _show_legend(self, names: list[str]) -> None:
        """The legend names only the curves there are: a long one overruns the plot."""
        if tuple(names) == self._legend:
            return
        self._legend = tuple(names)
        legend = self.plot.legend
        legend.clear()
        curves = {"total": self.total_curve, "asked": self.asked_curve, **self.status_curves}
        for name in names:
            legend.addItem(curves.get(name, self.level_curve), name)
