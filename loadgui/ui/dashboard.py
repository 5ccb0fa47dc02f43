"""Four stacked plots of a run on one time axis: requests, latency, throughput, errors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from loadgui.engine import Report
from loadgui.engine.stats.series import Series
from loadgui.ui.crosshair import Crosshair, describe
from loadgui.ui.plot_parts import (
    LoneDots,
    base_plot,
    finite_max,
    nice_ceiling,
    plotted,
    scope_group,
    set_once,
    snug_ceiling,
    style_plot,
)
from loadgui.ui.run_status import load_text
from loadgui.ui.theme import (
    CLASS_COLORS,
    LATENCY_COLORS,
    THROUGHPUT_COLOR,
    plot_colors,
)
from loadgui.ui.throughput_plot import ThroughputCurves

LATENCY_CURVES = ("avg", "p50", "p90", "p99")
MIN_X_SPAN_S = 10.0
ALL_SCOPE = "All requests"
MIN_PLOT_HEIGHT = 100  # each plot's own area, however small the window
EMPTY_TEXT = "Press Start (Ctrl+R) to run the profile.\nThe plots fill in as the run goes."
PLOT_LABELS = ("requests", "latency ms", "per second", "errors %")


class Dashboard(QWidget):
    """`show_report()` calls setData once per curve; nothing here runs per request, and
    every figure shown is the Report's. Runs up to 10 s are plotted from the report's
    0.1 s intervals (`fine_series`), so that short runs and bursts show their shape."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.view = pg.GraphicsLayoutWidget()
        self.view.ci.setSpacing(2)
        self.scope = QComboBox()
        self.scope.setObjectName("dashboardScope")
        self.scope.setToolTip("Plot all requests, or one request of the mix or one target")
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope.setVisible(False)
        self._scopes: tuple[str, ...] = ()  # the selector's choices after "All requests"
        self.title = QLabel("")
        self.title.setObjectName("dashboardTitle")
        self.readout = QLabel()
        self.readout.setObjectName("crosshairReadout")
        for label in (self.title, self.readout):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.view)
        header_row = QWidget()
        header_row.setFixedHeight(self.scope.sizeHint().height())  # the same with or without
        header = QHBoxLayout(header_row)
        header.setContentsMargins(4, 0, 4, 0)
        header.addWidget(self.scope)
        header.addWidget(self.title, 1)
        header.addWidget(self.readout, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(header_row)
        layout.addWidget(self.pages, 1)

        self.requests_plot = base_plot(self.view, 0)
        self.latency_plot = base_plot(self.view, 1)
        self.status_plot = base_plot(self.view, 2)  # throughput: responses per second
        self.error_plot = base_plot(self.view, 3)
        self.plots = [self.requests_plot, self.latency_plot, self.status_plot, self.error_plot]
        for plot in self.plots[:-1]:
            plot.getAxis("bottom").setStyle(showValues=False)
            plot.getAxis("bottom").setHeight(4)
        for plot in self.plots[1:]:
            plot.setXLink(self.requests_plot)
        self.error_plot.setLabel("bottom", "time since start", units="s")
        for plot in self.plots:
            plot.getViewBox().setMinimumHeight(MIN_PLOT_HEIGHT)
        # Four plot areas, the time axis below the last one, and the spacing between them.
        self.view.setMinimumHeight(4 * MIN_PLOT_HEIGHT + 4 * 12 + 44)
        self._ranges: dict[int, float] = {}
        self.expected_duration = MIN_X_SPAN_S

        self.requests_curve = self.requests_plot.plot(pen=pg.mkPen(THROUGHPUT_COLOR, width=2),
                                                      fillLevel=0)
        self.latency_plot.addLegend(offset=(8, 2), colCount=4)
        self.latency_curves = {
            name: self.latency_plot.plot(pen=pg.mkPen(LATENCY_COLORS[name], width=2),
                                         name=name, connect="finite")
            for name in LATENCY_CURVES
        }
        self.throughput = ThroughputCurves(self.status_plot)
        t = self.throughput  # its curves, as the tests and benchmarks reach them:
        self.total_curve, self.status_curves, self.asked_curve = (
            t.total_curve, t.status_curves, t.asked_curve)
        self.level_axis, self.level_curve, self.tail_note = (
            t.level_axis, t.level_curve, t.tail_note)
        self.error_curve = self.error_plot.plot(pen=pg.mkPen(CLASS_COLORS["5xx"], width=2),
                                                fillLevel=0, connect="finite")
        # A value between two gaps has no line to draw: a dot (a run failing at once still
        # shows its 100 % errors, a burst's lone interval its latency).
        self.dots = LoneDots((self.error_curve, self.total_curve,
                              *self.latency_curves.values(), *self.status_curves.values()))
        self.no_latency = pg.TextItem("no successful response to time", anchor=(0.5, 0.5))
        self.no_latency.setVisible(False)
        self.latency_plot.addItem(self.no_latency, ignoreBounds=True)
        self._series: Series | None = None  # the series plotted now
        self.crosshair = Crosshair(self.view, self.plots, self.readout, lambda: self._series)
        self.apply_palette()
        self.frames = 0  # redraw count, for the frame-rate benchmark

    def apply_palette(self) -> None:
        """Colours from the palette, again (light <-> dark while open)."""
        background, foreground = plot_colors(self)
        self.view.setBackground(background)
        for plot, label in zip(self.plots, PLOT_LABELS, strict=True):
            style_plot(plot, label, foreground)
        self.requests_curve.setBrush(pg.mkBrush(THROUGHPUT_COLOR + "40"))
        self.error_curve.setBrush(pg.mkBrush(CLASS_COLORS["5xx"] + "40"))
        self.crosshair.set_color(foreground)
        self.no_latency.setColor(foreground)
        self.throughput.set_color(foreground)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()  # light <-> dark while open
        super().changeEvent(event)

    def set_scopes(self, scopes: Sequence[str]) -> None:
        """The choices of the scope selector: all requests, then each request or target."""
        if tuple(scopes) == self._scopes:  # every frame: no asking the combo box
            return
        self._scopes = tuple(scopes)
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

    def plotted_series(self, report: Report, scope: str | None = None) -> Series:
        """What is plotted: a scope's series, or the run's, in 0.1 s intervals while the
        report has them (runs up to 10 s)."""
        if scope is not None and scope in report.scopes:
            return report.scopes[scope]
        return plotted(report)

    def show_report(self, report: Report, scope: str | None = None) -> None:
        """Plot the report's series, or that of `scope` (a key of `report.scopes`)."""
        self.pages.setCurrentWidget(self.view)
        s = self.plotted_series(report, scope)
        self._series = s
        t = s.t
        cumulative = s.cumulative  # a property that sums: once a frame
        # The count starts at 0 at the start, so one interval already draws a line.
        self.requests_curve.setData(np.r_[0.0, t] if len(t) else t,
                                    np.r_[0.0, cumulative] if len(t) else t)
        for name, curve in self.latency_curves.items():
            curve.setData(t, getattr(s, name) * 1000)
        self.throughput.show(report, s)
        # An interval without a response has no error rate (not 0 %): a gap.
        self.error_curve.setData(t, np.where(s.requests > 0, s.error_rate * 100, np.nan))
        self.dots.update()
        self._fit_ranges(s, float(cumulative[-1]) if len(t) else 0.0, report.final)
        self.throughput.show_tail(report, s)
        # An empty latency plot says why, rather than showing an axis of nothing.
        self.no_latency.setVisible(report.requests > 0 and report.successes == 0)
        if self.no_latency.isVisible():
            (x0, x1), (y0, y1) = self.latency_plot.viewRange()
            self.no_latency.setPos((x0 + x1) / 2, (y0 + y1) / 2)
        self._show_title(report, scope)
        self.frames += 1

    def _show_title(self, report: Report, scope: str | None) -> None:
        if scope is None:
            text = f"{load_text(report, ',.1f')} overall"
        else:
            group = scope_group(report, scope)
            requests, rps = (group.requests, group.rps) if group is not None else (0, 0.0)
            text = f"{scope}  ·  {requests:,} requests  ·  {rps:,.1f}/s"
        if self.title.text() != text:
            self.title.setText(text)

    def _fit_ranges(self, s: Series, count: float, final: bool) -> None:
        t_end = float(s.t[-1]) if len(s.t) else 0.0
        # While running, the planned span; once ended, the run's own length, however short.
        if final and t_end > 0:
            x_max = snug_ceiling(t_end)
        else:
            x_max = self.expected_duration if t_end <= self.expected_duration \
                else nice_ceiling(t_end)
        set_once(self._ranges, -1, self.requests_plot.setXRange, x_max)
        peaks = {
            0: (self.requests_plot, count),
            1: (self.latency_plot, finite_max(s.p99, s.avg) * 1000),
            2: (self.status_plot, self.throughput.peak()),
            3: (self.error_plot, finite_max(s.error_rate) * 100),
        }
        for key, (plot, peak) in peaks.items():
            headroom = 1.1 if key == 0 else 1.4  # room for the legend above the curves
            top = nice_ceiling(peak * headroom)
            set_once(self._ranges, key, plot.setYRange, min(top, 100.0) if key == 3 else top)

    def clear(self, expected_duration: float | None = None) -> None:
        """Empty the plots for a new run; a run with a duration shows its whole span."""
        self.expected_duration = expected_duration or MIN_X_SPAN_S
        self._series = None
        self.crosshair.hide()
        empty = np.array([], dtype=float)
        for curve in (self.requests_curve, self.error_curve, *self.latency_curves.values()):
            curve.setData(empty, empty)
        self.throughput.clear()
        self.dots.update()
        self.title.setText("")
        self.no_latency.setVisible(False)
        self._ranges.clear()
        self.requests_plot.setXRange(0, self.expected_duration, padding=0)
        self.pages.setCurrentWidget(self.view)

    def has_data(self) -> bool:
        x, _ = self.requests_curve.getData()
        return x is not None and len(x) > 0

    def describe_interval(self, i: int) -> str:
        """The crosshair's text for interval i of the series plotted now."""
        return describe(self._series, i) if self._series is not None else ""

    def cleanup(self) -> None:
        self.crosshair.cleanup()
