"""While a mock cluster runs: instances over time and requests served per instance.

Both plots count whole things, so their axes step by whole numbers from 0. A new run starts
both afresh: time from the run's start, requests served since it (the cluster's /_cluster
counts from the cluster's start, so the counts at the run's start are taken off).
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from loadgui.ui.plot_parts import cache_axes
from loadgui.ui.theme import CLASS_COLORS, THROUGHPUT_COLOR, plot_colors

STATE_COLORS = {"ready": CLASS_COLORS["2xx"], "starting": CLASS_COLORS["4xx"],
                "unhealthy": CLASS_COLORS["5xx"], "draining": CLASS_COLORS["errors"]}
HISTORY = 3000  # reports kept for the instance-count curve (10 minutes at 5 Hz)


def integer_ticks(top: int) -> list[tuple[float, str]]:
    """Whole-number ticks from 0 to `top` in steps of 1, 2 or 5 times a power of ten, at
    most six of them."""
    step = _nice_count(max(1, math.ceil(top / 5)), floor=1)
    return [(float(v), f"{v:,}") for v in range(0, top + 1, step)]


class ClusterView(QWidget):
    """Fed by the mock control's /_cluster reports; `new_run()` starts it afresh."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("clusterView")
        self.view = pg.GraphicsLayoutWidget()
        self.view.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.count_plot = self.view.addPlot(row=0, col=0)
        self.ready_curve = self.count_plot.plot(
            pen=pg.mkPen(STATE_COLORS["ready"], width=2), name="ready", stepMode=None)
        self.total_curve = self.count_plot.plot(
            pen=pg.mkPen(THROUGHPUT_COLOR, width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
            name="all (incl. starting)")
        self.served_plot = self.view.addPlot(row=0, col=1)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6)
        self.served_plot.addItem(self.bars)
        for plot in (self.count_plot, self.served_plot):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(x=False, y=True, alpha=0.15)
            plot.getAxis("left").setWidth(40)
            cache_axes(plot)
        self._started: float | None = None
        self._baseline: dict[str, int] | None = None  # served per instance at the run's start
        self._latest: dict[str, int] = {}  # served per instance, as last reported
        self._times: list[float] = []
        self._ready: list[int] = []
        self._total: list[int] = []
        self.served: dict[str, int] = {}  # shown now: requests per instance since the start
        self.reports = 0
        self._axes: tuple[int, int, int, int] | None = None
        self._ids: tuple[str, ...] = ()  # the instances named under the bars
        self.apply_palette()
        self._set_axes(1, 1, 1)

    def apply_palette(self) -> None:
        """Colours from the palette, again (light <-> dark while open)."""
        background, foreground = plot_colors(self)
        self.view.setBackground(background)
        self.count_plot.setTitle(
            f"Mock instances: <span style='color:{STATE_COLORS['ready']}'>ready</span>, "
            f"<span style='color:{THROUGHPUT_COLOR}'>all (incl. starting)</span>",
            color=foreground, size="10pt")
        self.served_plot.setTitle("Requests served per instance", color=foreground,
                                  size="10pt")
        self.count_plot.setLabel("bottom", "time", units="s")
        self.served_plot.setLabel("bottom", "instance")
        for plot in (self.count_plot, self.served_plot):
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen(foreground)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)

    def new_run(self) -> None:
        """A run starts: time and counts start from here (from the cluster's last report,
        as a short run may be over before the next one)."""
        self._started = time.monotonic()
        self._baseline = dict(self._latest) if self._latest else None
        self._times.clear()
        self._ready.clear()
        self._total.clear()

    def show_report(self, report: dict[str, Any]) -> None:  # GET /_cluster's JSON
        if not report:
            self.reset()
            return
        now = time.monotonic()
        if self._started is None:
            self._started = now
        instances = report.get("instances", [])
        served_now = {str(i["id"]): int(i["served"]) for i in instances}
        self._latest = served_now
        if self._baseline is None:
            self._baseline = served_now
        self._times.append(now - self._started)
        self._ready.append(sum(1 for i in instances if i["state"] == "ready"))
        self._total.append(len(instances))
        del self._times[:-HISTORY], self._ready[:-HISTORY], self._total[:-HISTORY]
        self.ready_curve.setData(self._times, self._ready)
        self.total_curve.setData(self._times, self._total)
        self.served = {key: max(0, n - self._baseline.get(key, 0))
                       for key, n in served_now.items()}
        brushes = [pg.mkBrush(STATE_COLORS.get(i["state"], THROUGHPUT_COLOR)) for i in instances]
        self.bars.setOpts(x=np.arange(len(instances)), height=list(self.served.values()),
                          brushes=brushes)
        ids = tuple(self.served)
        if ids != self._ids:  # new ticks redraw the axis: only when instances come or go
            self._ids = ids
            self.served_plot.getAxis("bottom").setTicks([list(enumerate(ids))])
        self._set_axes(max(self._total), max(self.served.values(), default=0),
                       len(instances))
        self.reports += 1

    def _set_axes(self, instances: int, served: int, bars: int) -> None:
        # Axes redraw their ticks only when their range changes: set them only then.
        x_top = _nice_count(math.ceil(self._times[-1]) if self._times else 0, floor=10)
        axes = (max(instances, 1) + 1, _nice_count(served), max(bars, 1), x_top)
        if axes == self._axes:
            return
        self._axes = axes
        top, served_top, bars, x_top = axes
        self.count_plot.setYRange(0, top, padding=0)
        self.count_plot.getAxis("left").setTicks([integer_ticks(top)])
        self.count_plot.setXRange(0, x_top, padding=0)
        self.served_plot.setYRange(0, served_top, padding=0)
        self.served_plot.getAxis("left").setTicks([integer_ticks(served_top)])
        self.served_plot.setXRange(-0.5, bars - 0.5, padding=0)

    def reset(self) -> None:
        self._started = None
        self._baseline = None
        self._latest = {}
        self._times.clear()
        self._ready.clear()
        self._total.clear()
        self.served = {}

    def instance_count(self) -> int:
        return self._total[-1] if self._total else 0


def _nice_count(value: int, floor: int = 5) -> int:
    """A whole number at or above value: 1, 2, 5 times a power of ten, at least `floor`."""
    if value <= floor:
        return floor
    power = 10 ** math.floor(math.log10(value))
    return int(next(step * power for step in (1, 2, 5, 10) if step * power >= value))
