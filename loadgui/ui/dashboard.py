"""Live plots of a Report's series: requests, latency, status classes, error rate."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from loadgui.engine import Report
from loadgui.engine.stats.figures import GroupFigures
from loadgui.engine.stats.series import STATUS_CLASSES, Series
from loadgui.engine.stats.units import ms_text
from loadgui.ui.theme import CLASS_COLORS, LATENCY_COLORS, THROUGHPUT_COLOR

LATENCY_CURVES = ("avg", "p50", "p90", "p99")
MIN_X_SPAN_S = 10.0
ALL_SCOPE = "All requests"


class Dashboard(QWidget):
    """Four stacked plots on one shared time axis, with a crosshair that reads out values.

    `show_report()` calls setData once per curve; nothing here runs per request, and
    every figure shown is the Report's.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard")
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Base)
        foreground = palette.color(QPalette.ColorRole.Text)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground(background)
        self.view.ci.setSpacing(4)
        self.scope = QComboBox()
        self.scope.setObjectName("dashboardScope")
        self.scope.setToolTip("Plot all requests, or one request of the mix or one target")
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scope, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.view)

        self.requests_plot = self._plot(0, "Requests", "requests", foreground)
        self.latency_plot = self._plot(1, "Latency", "ms", foreground)
        self.status_plot = self._plot(2, "Responses per second", "1/s", foreground)
        self.error_plot = self._plot(3, "Error rate", "%", foreground)
        self.plots = [self.requests_plot, self.latency_plot, self.status_plot, self.error_plot]
        for plot in self.plots[:-1]:
            plot.getAxis("bottom").setStyle(showValues=False)
        self.error_plot.setLabel("bottom", "time since start", units="s")
        self._ranges: dict[int, float] = {}
        self.expected_duration = MIN_X_SPAN_S
        for plot in self.plots[1:]:
            plot.setXLink(self.requests_plot)

        self.requests_curve = self.requests_plot.plot(
            pen=pg.mkPen(THROUGHPUT_COLOR, width=2), fillLevel=0,
            brush=pg.mkBrush(QColor(THROUGHPUT_COLOR).lighter(150).name() + "40"))
        self.latency_plot.addLegend(offset=(8, 4), labelTextColor=foreground, colCount=4)
        self.latency_curves = {
            name: self.latency_plot.plot(pen=pg.mkPen(LATENCY_COLORS[name], width=2),
                                         name=name, connect="finite")
            for name in LATENCY_CURVES
        }
        self.status_plot.addLegend(offset=(8, 4), labelTextColor=foreground, colCount=5)
        self.status_curves = {
            name: self.status_plot.plot(pen=pg.mkPen(CLASS_COLORS[name], width=2), name=name)
            for name in STATUS_CLASSES
        }
        self.error_curve = self.error_plot.plot(
            pen=pg.mkPen(CLASS_COLORS["5xx"], width=2), fillLevel=0,
            brush=pg.mkBrush(CLASS_COLORS["5xx"] + "40"))
        self._series: Series | None = None  # the series plotted now
        self._install_crosshair(foreground)
        self.frames = 0  # redraw count, for the frame-rate benchmark

    def _plot(self, row: int, title: str, units: str, foreground: QColor) -> pg.PlotItem:
        plot = self.view.addPlot(row=row, col=0)
        plot.setTitle(title, color=foreground, size="10pt")
        plot.setLabel("left", units=None, text=units)
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=True, y=False)
        plot.getViewBox().setLimits(xMin=0)
        # Ranges move in "nice" steps set by show_report, not by auto-range every frame:
        # an axis re-renders its ticks only when its range changes, which is most of a frame.
        plot.disableAutoRange()
        plot.setXRange(0, 10, padding=0)
        plot.setYRange(0, 1, padding=0)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setTextPen(foreground)
            plot.getAxis(axis).setPen(pg.mkPen(foreground.name() + "60"))
            plot.getAxis(axis).enableAutoSIPrefix(False)
        plot.getAxis("left").setWidth(56)
        return plot

    def _install_crosshair(self, foreground: QColor) -> None:
        pen = pg.mkPen(foreground.name() + "90", width=1, style=Qt.PenStyle.DashLine)
        self._lines = []
        for plot in self.plots:
            line = pg.InfiniteLine(angle=90, movable=False, pen=pen)
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self._lines.append(line)
        self.readout = pg.TextItem(anchor=(0, 0), color=foreground,
                                   fill=pg.mkBrush(self.palette().color(QPalette.ColorRole.Base)))
        self.readout.setVisible(False)
        self.requests_plot.addItem(self.readout, ignoreBounds=True)
        self.view.scene().sigMouseMoved.connect(self._mouse_moved)

    def _mouse_moved(self, position: QPointF) -> None:
        series = self._series
        inside = [p for p in self.plots if p.sceneBoundingRect().contains(position)]
        if series is None or len(series.t) == 0 or not inside:
            for item in (*self._lines, self.readout):
                item.setVisible(False)
            return
        x = inside[0].getViewBox().mapSceneToView(position).x()
        i = int(np.clip(np.searchsorted(series.t, x), 0, len(series.t) - 1))
        for line in self._lines:
            line.setPos(series.t[i])
            line.setVisible(True)
        self.readout.setText(self.describe_interval(i))
        top = self.requests_plot.getViewBox().viewRange()
        self.readout.setPos(top[0][0], top[1][1])
        self.readout.setVisible(True)

    def describe_interval(self, i: int) -> str:
        """The crosshair's text for interval i of the series plotted now."""
        s = self._series
        if s is None or not 0 <= i < len(s.t):
            return ""
        classes = "  ".join(f"{name} {int(s.classes[name][i])}" for name in STATUS_CLASSES
                            if s.classes[name][i])
        return (f"t = {s.t[i]:.1f} s   requests {int(s.cumulative[i])}   "
                f"rps {s.rps[i]:.0f}\n"
                f"avg {ms_text(s.avg[i])}  p50 {ms_text(s.p50[i])}  p90 {ms_text(s.p90[i])}  "
                f"p99 {ms_text(s.p99[i])} ms\n"
                f"{classes or 'no responses'}   errors {s.error_rate[i] * 100:.1f}%")

    def set_scopes(self, scopes: list[str]) -> None:
        """The choices of the scope selector: all requests, then each request or target."""
        if scopes == [self.scope.itemText(i) for i in range(1, self.scope.count())]:
            return
        current = self.scope.currentText()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItems([ALL_SCOPE, *scopes])
        self.scope.setCurrentText(current if current in scopes else ALL_SCOPE)
        self.scope.blockSignals(False)
        self.scope.setVisible(bool(scopes))

    def selected_scope(self) -> str | None:
        """The scope chosen in the selector ("request: NAME", "target: URL"), None for all."""
        return self.scope.currentText() if self.scope.currentIndex() > 0 else None

    def show_report(self, report: Report, scope: str | None = None) -> None:
        """Plot the report's series, or that of `scope` (a key of `report.scopes`)."""
        s = report.scopes.get(scope, report.series) if scope is not None else report.series
        self._series = s
        t = s.t
        # The count starts at 0 at the start, so one interval already draws a line.
        self.requests_curve.setData(np.r_[0.0, t] if len(t) else t,
                                    np.r_[0.0, s.cumulative] if len(t) else t)
        for name, curve in self.latency_curves.items():
            curve.setData(t, getattr(s, name) * 1000)
        widths = np.diff(t, prepend=0.0)
        # A rate over the still-open interval's first moments is mostly noise: leave it out
        # until at least half the interval has passed. Once the run has ended it is closed.
        full = widths > 0 if report.final else \
            widths >= 0.5 * (widths.max() if len(widths) else 1.0)
        for name, curve in self.status_curves.items():
            curve.setData(t[full], s.classes[name][full] / widths[full])
        self.error_curve.setData(t, s.error_rate * 100)
        self._mark_points()
        self._fit_ranges(s)
        if scope is None:
            title = f"{report.requests:,} total  ·  {report.rps:,.0f}/s overall"
        else:
            group = scope_group(report, scope)
            requests, rps = (group.requests, group.rps) if group is not None else (0, 0.0)
            title = f"{scope}  ·  {requests:,} total  ·  {rps:,.0f}/s"
        self.requests_plot.setTitle(f"Requests  ·  {title}")
        self.frames += 1

    def _mark_points(self) -> None:
        """A curve of one point (a run shorter than an interval) has no line to draw: draw
        it as a dot, so that a run failing at once still shows its 100 % errors. A curve
        whose one value is NaN (no latency) gets none: pyqtgraph warns on it."""
        for curve in (self.error_curve, *self.latency_curves.values(),
                      *self.status_curves.values()):
            y = curve.yData
            dot = y is not None and len(y) == 1 and bool(np.isfinite(y).all())
            if dot == (curve.opts["symbol"] is not None):
                continue
            pen = curve.opts["pen"]
            curve.setSymbol("o" if dot else None)
            if dot:
                curve.setSymbolSize(7)
                curve.setSymbolPen(pen)
                curve.setSymbolBrush(pg.mkBrush(pen.color()))

    def _fit_ranges(self, s: Series) -> None:
        t_end = float(s.t[-1]) if len(s.t) else 0.0
        x_max = self.expected_duration if t_end <= self.expected_duration else nice_ceiling(t_end)
        self._set_range(-1, self.requests_plot.setXRange, x_max)
        peaks = {
            0: (self.requests_plot, float(s.cumulative[-1]) if len(s.t) else 0.0),
            1: (self.latency_plot, _finite_max(s.p99, s.avg) * 1000),
            2: (self.status_plot, max((float(np.max(c.yData)) if c.yData is not None
                                       and len(c.yData) else 0.0)
                                      for c in self.status_curves.values())),
            3: (self.error_plot, _finite_max(s.error_rate) * 100),
        }
        for key, (plot, peak) in peaks.items():
            headroom = 1.1 if key == 0 else 1.4  # room for the legend above the curves
            top = nice_ceiling(peak * headroom)
            self._set_range(key, plot.setYRange, min(top, 100.0) if key == 3 else top)

    def _set_range(self, key: int, setter: Callable[..., None], top: float) -> None:
        if self._ranges.get(key) != top:
            self._ranges[key] = top
            setter(0, top, padding=0)

    def clear(self, expected_duration: float | None = None) -> None:
        """Empty the plots for a new run; a run with a duration shows its whole span."""
        self.expected_duration = expected_duration or MIN_X_SPAN_S
        self._series = None
        empty = np.array([], dtype=float)
        for curve in (self.requests_curve, self.error_curve, *self.latency_curves.values(),
                      *self.status_curves.values()):
            curve.setData(empty, empty)
        self.requests_plot.setTitle("Requests")
        self._ranges.clear()
        self.requests_plot.setXRange(0, self.expected_duration, padding=0)

    def has_data(self) -> bool:
        x, _ = self.requests_curve.getData()
        return x is not None and len(x) > 0

    def cleanup(self) -> None:
        self.view.scene().sigMouseMoved.disconnect(self._mouse_moved)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least value (min 1)."""
    if not value > 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def scope_group(report: Report, scope: str) -> GroupFigures | None:
    """The breakdown group of a scope: "request: NAME" -> the "request" group named NAME."""
    dimension, _, name = scope.partition(": ")
    return next((g for g in report.breakdowns.get(dimension, ()) if g.name == name), None)


def _finite_max(*arrays: np.ndarray) -> float:
    values = [float(np.nanmax(a)) for a in arrays if len(a) and not np.isnan(a).all()]
    return max(values, default=0.0)
