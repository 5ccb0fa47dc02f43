"""While a mock cluster runs: instances over time and requests served per instance."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from loadgui.ui.theme import CLASS_COLORS, THROUGHPUT_COLOR

STATE_COLORS = {"ready": CLASS_COLORS["2xx"], "starting": CLASS_COLORS["4xx"],
                "unhealthy": CLASS_COLORS["5xx"], "draining": CLASS_COLORS["errors"]}
HISTORY = 3000  # reports kept for the instance-count curve (10 minutes at 5 Hz)


class ClusterView(QWidget):
    """Fed by the mock control's /_cluster reports; hidden while no cluster runs."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("clusterView")
        palette = self.palette()
        foreground = palette.color(QPalette.ColorRole.Text)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground(palette.color(QPalette.ColorRole.Base))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.count_plot = self.view.addPlot(row=0, col=0)
        self.count_plot.setTitle("Mock instances", color=foreground, size="10pt")
        self.count_plot.setLabel("bottom", "time since the cluster started", units="s")
        self.count_plot.addLegend(offset=(8, 4), labelTextColor=foreground, colCount=2)
        self.ready_curve = self.count_plot.plot(
            pen=pg.mkPen(STATE_COLORS["ready"], width=2), name="ready", stepMode=None)
        self.total_curve = self.count_plot.plot(
            pen=pg.mkPen(THROUGHPUT_COLOR, width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
            name="all (incl. starting)")
        self.served_plot = self.view.addPlot(row=0, col=1)
        self.served_plot.setTitle("Requests served per instance", color=foreground,
                                  size="10pt")
        self.served_plot.setLabel("bottom", "instance")
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6)
        self.served_plot.addItem(self.bars)
        for plot in (self.count_plot, self.served_plot):
            plot.setMenuEnabled(False)
            plot.showGrid(x=False, y=True, alpha=0.15)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen(foreground)
        self._started: float | None = None
        self._times: list[float] = []
        self._ready: list[int] = []
        self._total: list[int] = []
        self.reports = 0
        self.setVisible(False)

    def show_report(self, report: dict[str, Any]) -> None:  # GET /_cluster's JSON
        if not report:
            self.reset()
            return
        now = time.monotonic()
        if self._started is None:
            self._started = now
        instances = report.get("instances", [])
        self._times.append(now - self._started)
        self._ready.append(sum(1 for i in instances if i["state"] == "ready"))
        self._total.append(len(instances))
        del self._times[:-HISTORY], self._ready[:-HISTORY], self._total[:-HISTORY]
        self.ready_curve.setData(self._times, self._ready)
        self.total_curve.setData(self._times, self._total)
        ids = [str(i["id"]) for i in instances]
        brushes = [pg.mkBrush(STATE_COLORS.get(i["state"], THROUGHPUT_COLOR)) for i in instances]
        self.bars.setOpts(x=np.arange(len(ids)), height=[i["served"] for i in instances],
                          brushes=brushes)
        self.served_plot.getAxis("bottom").setTicks([list(enumerate(ids))])
        self.reports += 1
        self.setVisible(True)

    def reset(self) -> None:
        self._started = None
        self._times.clear()
        self._ready.clear()
        self._total.clear()
        self.setVisible(False)

    def instance_count(self) -> int:
        return self._total[-1] if self._total else 0
