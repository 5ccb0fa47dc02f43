"""Small pieces the plots share: axis ranges in nice steps, styling, a second y axis."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QWidget

from loadgui.engine import Report
from loadgui.engine.stats.figures import GroupFigures
from loadgui.engine.stats.series import Series
from loadgui.ui.theme import plot_colors

AXIS_WIDTH = 56  # the same on every plot, so their time axes line up
RIGHT_AXIS_WIDTH = 44


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least value (min 1)."""
    if not value > 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def snug_ceiling(value: float) -> float:
    """value rounded up to a tenth of its power of ten: 4.0008 -> 4.1, 0.343 -> 0.35."""
    step = 10.0 ** math.floor(math.log10(value)) / 10
    return round(math.ceil(value / step - 1e-9) * step, 12)


def finite_max(*arrays: np.ndarray) -> float:
    values = [float(np.nanmax(a)) for a in arrays if len(a) and not np.isnan(a).all()]
    return max(values, default=0.0)


def plotted(report: Report) -> Series:
    """What a run's plots draw: its 0.1 s intervals while the report has them (runs up to
    10 s, so that short runs and bursts show their shape), else its 1 s ones."""
    return report.fine_series if report.fine_series is not None else report.series


def rate_intervals(s: Series) -> tuple[np.ndarray, np.ndarray]:
    """Each interval's width, and which intervals a rate is drawn over: those at least half
    as long as the longest. A rate over an interval's first moments is mostly noise (the
    open one, or the sliver after the last full one when a run ends)."""
    widths = np.diff(s.t, prepend=0.0)
    full: np.ndarray = (widths > 0) & (widths >= 0.5 * (widths.max() if len(widths) else 1.0))
    return widths, full


def scope_group(report: Report, scope: str) -> GroupFigures | None:
    """The breakdown group of a scope: "request: NAME" -> the "request" group named NAME."""
    dimension, _, name = scope.partition(": ")
    return next((g for g in report.breakdowns.get(dimension, ()) if g.name == name), None)


def style_plot(plot: pg.PlotItem, label: str, foreground: QColor) -> None:
    """Axis colours and the left axis' label (the plot's name: plots carry no title row, so
    that at 100 px each is all curve)."""
    plot.setLabel("left", label, color=foreground.name())
    for axis in ("left", "bottom", "right"):
        item = plot.getAxis(axis)
        item.setTextPen(foreground)
        item.setPen(pg.mkPen(foreground.name() + "60"))
    if plot.legend is not None:
        plot.legend.setLabelTextColor(foreground)


def cache_axes(plot: pg.PlotItem) -> None:
    """Axes (with their grid lines and tick labels) drawn once into a pixmap and redrawn
    only when their range changes: replaying them each frame is most of a frame's cost."""
    for axis in ("left", "bottom", "right"):
        plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def still_plot() -> tuple[pg.PlotWidget, pg.PlotItem]:
    """A plot the user reads but does not pan or zoom: no menu, no buttons, fixed axes."""
    widget = pg.PlotWidget()
    plot = widget.getPlotItem()
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=False, y=False)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.getAxis("left").enableAutoSIPrefix(False)
    cache_axes(plot)
    return widget, plot


def paint_still_plot(owner: QWidget, widget: pg.PlotWidget, plot: pg.PlotItem, bottom: str,
                     left: str) -> tuple[QColor, QColor]:
    """A still plot's background, axis labels and tick text in `owner`'s palette colours
    (again after light <-> dark); returns them (background, foreground)."""
    background, foreground = plot_colors(owner)
    widget.setBackground(background)
    plot.setLabel("bottom", bottom, color=foreground.name())
    plot.setLabel("left", left, color=foreground.name())
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setTextPen(foreground)
    return background, foreground


def histogram_ms(report: Report) -> tuple[np.ndarray, np.ndarray]:
    """The report's latency histogram: each bucket's latency in ms, and its count."""
    pairs = np.array(report.histogram, dtype=float).reshape(-1, 2)  # one pass over the tuples
    return pairs[:, 0] * 1000, pairs[:, 1]


def base_plot(view: pg.GraphicsLayoutWidget, row: int) -> pg.PlotItem:
    plot = view.addPlot(row=row, col=0)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    plot.setMenuEnabled(False)
    plot.hideButtons()  # pyqtgraph's auto-range "A": ranges here follow the data already
    plot.setMouseEnabled(x=True, y=False)
    plot.getViewBox().setLimits(xMin=0)
    # Ranges move in "nice" steps set by the dashboard, not by auto-range every frame:
    # an axis re-renders its ticks only when its range changes, which is most of a frame.
    plot.disableAutoRange()
    plot.setXRange(0, 10, padding=0)
    plot.setYRange(0, 1, padding=0)
    plot.showAxis("right")
    right = plot.getAxis("right")
    right.setWidth(RIGHT_AXIS_WIDTH)
    right.setStyle(showValues=False)
    for axis in ("left", "bottom", "right"):
        plot.getAxis(axis).enableAutoSIPrefix(False)
    plot.getAxis("left").setWidth(AXIS_WIDTH)
    cache_axes(plot)
    return plot


class SecondAxis:
    """A second y range on a plot's right axis, sharing its time axis (pyqtgraph's
    MultiplePlotAxes recipe)."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.view = pg.ViewBox(enableMouse=False)
        self.view.setMenuEnabled(False)
        plot.scene().addItem(self.view)
        axis = plot.getAxis("right")
        axis.linkToView(self.view)
        axis.setStyle(showValues=True)
        self.view.setXLink(plot)
        self.view.disableAutoRange()
        plot.getViewBox().sigResized.connect(self._follow)
        self._top = 0.0
        self._label = ("", "")
        self._follow()

    def _follow(self) -> None:
        self.view.setGeometry(self.plot.getViewBox().sceneBoundingRect())
        self.view.linkedViewChanged(self.plot.getViewBox(), self.view.XAxis)

    def add(self, item: pg.GraphicsObject) -> None:
        self.view.addItem(item)

    def set_label(self, text: str, color: str, force: bool = False) -> None:
        """`force`: again, after the axis' text colour was set (that recolours the label)."""
        if force or (text, color) != self._label:  # a new label redraws the whole axis
            self._label = (text, color)
            self.plot.setLabel("right", text, color=color)

    @property
    def label_text(self) -> str:
        return self._label[0]

    def fit(self, peak: float) -> None:
        top = nice_ceiling(peak * 1.4)  # as the left axis: the legend's row stays clear
        if top != self._top:
            self._top = top
            self.view.setYRange(0, top, padding=0)


def set_once(cache: dict[int, float], key: int, setter: Callable[..., None], top: float) -> None:
    """Call setter(0, top) only when `top` differs from what was set last under `key`."""
    if cache.get(key) != top:
        cache[key] = top
        setter(0, top, padding=0)


class LoneDots:
    """Dots on the values of curves that have no finite neighbour (NaN: a gap), which a
    line cannot show. The dots hold no NaN: pyqtgraph warns on those."""

    def __init__(self, curves: tuple[pg.PlotDataItem, ...]):
        self.curves = curves
        self.dots: dict[pg.PlotDataItem, pg.ScatterPlotItem] = {}
        for curve in curves:
            pen = curve.opts["pen"]
            dots = pg.ScatterPlotItem(size=6, pen=pen, brush=pg.mkBrush(pen.color()))
            curve.getViewBox().addItem(dots)
            self.dots[curve] = dots

    def __getitem__(self, curve: pg.PlotDataItem) -> pg.ScatterPlotItem:
        return self.dots[curve]

    def update(self) -> None:
        for curve, dots in self.dots.items():
            x, y = curve.getData()
            lone = lone_values(y) if y is not None else np.zeros(0, dtype=bool)
            if lone.any():
                dots.setData(x[lone], y[lone])
            elif len(dots.data):
                dots.setData([], [])


def lone_values(y: np.ndarray) -> np.ndarray:
    """Where a finite value has no finite neighbour to draw a line to."""
    finite = np.isfinite(y)
    padded = np.r_[False, finite, False]
    lone: np.ndarray = finite & ~padded[:-2] & ~padded[2:]
    return lone
