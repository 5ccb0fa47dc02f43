"""The right side of the window: banner, plots, and the Summary, Latency, Failures and Mock
cluster tabs.

Everything here renders the Report it is given and computes nothing of its own. The plots
keep at least 100 px each: when the window is too small for that, they scroll.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from loadgui.engine import Report
from loadgui.ui.burst_table import BurstTable
from loadgui.ui.checks_table import ChecksTable
from loadgui.ui.cluster_view import ClusterView
from loadgui.ui.dashboard import Dashboard
from loadgui.ui.failures_table import FailuresTable
from loadgui.ui.keys_table import KeysTable
from loadgui.ui.latency_histogram import LatencyHistogram
from loadgui.ui.retry_line import RetryLine
from loadgui.ui.run_banner import RunBanner
from loadgui.ui.summary_table import SummaryTable
from loadgui.ui.threshold_badges import ThresholdBadges

SUMMARY_TAB, LATENCY_TAB, FAILURES_TAB, CLUSTER_TAB, CHECKS_TAB, KEYS_TAB = 0, 1, 2, 3, 4, 5
TABS_HEIGHT = 150  # the tabs' first height: the plots get the rest
PLOT_TABS_HEIGHT = 280  # the histogram's or the cluster's, when chosen and there is room


class ResultsView(QSplitter):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("plotSplitter")
        self.setChildrenCollapsible(False)
        self.banner = RunBanner()
        self.dashboard = Dashboard()
        self.histogram = LatencyHistogram()
        self.cluster_view = ClusterView()
        self.summary = SummaryTable()
        self.retry_line = RetryLine()
        self.bursts = BurstTable()
        self.failures = FailuresTable()
        self.checks = ChecksTable()
        self.keys = KeysTable()
        self.thresholds = ThresholdBadges()
        summary_page = QWidget()
        summary_layout = QVBoxLayout(summary_page)
        summary_layout.setContentsMargins(0, 0, 0, 0)
        summary_layout.setSpacing(2)
        summary_layout.addWidget(self.summary, 1)
        summary_layout.addWidget(self.retry_line)
        summary_layout.addWidget(self.bursts, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("resultTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setMinimumHeight(96)
        self.tabs.addTab(summary_page, "Summary")
        self.tabs.addTab(self.histogram, "Latency histogram")
        self.tabs.addTab(self.failures, "Failures")
        self.tabs.addTab(self.cluster_view, "Mock cluster")
        self.tabs.addTab(self.checks, "Checks")
        self.tabs.addTab(self.keys, "API keys")
        for tab in (CLUSTER_TAB, CHECKS_TAB, KEYS_TAB):
            self.tabs.setTabVisible(tab, False)
        self.plots_area = QScrollArea()
        self.plots_area.setObjectName("plotsArea")
        self.plots_area.setWidgetResizable(True)
        self.plots_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.plots_area.setWidget(self.dashboard)
        self.plots_area.setMinimumHeight(160)
        top = QWidget()
        layout = QVBoxLayout(top)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.thresholds)
        layout.addWidget(self.banner)
        layout.addWidget(self.plots_area, 1)
        self._top_layout = layout
        # Above the plots, which make room for them.
        self.bars: list[QWidget] = [self.thresholds, self.banner]
        self.addWidget(top)
        self.addWidget(self.tabs)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        self._sized = False
        self.report: Report | None = None  # the one shown now

        self.banner.showFailures.connect(self.show_failures)
        self.dashboard.scope.currentIndexChanged.connect(self._scope_changed)
        self.tabs.currentChanged.connect(self._tab_changed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.height() <= 0:
            return
        # The plots whole when a shorter table makes room for them; else they scroll.
        plots = self.dashboard.minimumSizeHint().height() + sum(
            bar.sizeHint().height() + 4 for bar in self.bars if bar.isVisible())
        tabs = self.height() - self.handleWidth() - plots
        if not self._sized:
            self._sized = True  # the first height; afterwards the user's dragging decides
            tabs = min(TABS_HEIGHT, tabs)
        elif tabs >= self.sizes()[1]:
            return
        tabs = max(self.tabs.minimumHeight(), tabs)
        self.setSizes([self.height() - self.handleWidth() - tabs, tabs])

    def add_bar(self, bar: QWidget) -> None:
        """A bar above the banner; call `fit()` when it shows or hides."""
        self.bars.append(bar)
        self._top_layout.insertWidget(0, bar)

    def fit(self) -> None:
        self._fit()

    def _grow_tabs(self, height: int) -> None:
        plots = self.dashboard.minimumSizeHint().height()
        room = self.height() - self.handleWidth() - plots
        tabs = min(height, room)
        if tabs > self.sizes()[1]:
            self.setSizes([self.height() - self.handleWidth() - tabs, tabs])

    def clear(self, expected_duration: float | None = None) -> None:
        """Empty every view for a new run."""
        self.report = None
        self.dashboard.clear(expected_duration)
        self.histogram.clear()
        self.summary.clear_rows()
        self.retry_line.hide()
        self.bursts.show_bursts(())
        self.failures.clear_rows()
        self.checks.clear_rows()
        self.keys.clear_rows()
        for tab in (CHECKS_TAB, KEYS_TAB):
            self.tabs.setTabVisible(tab, False)
        self.thresholds.clear()
        self.banner.clear()
        self.cluster_view.new_run()
        self.tabs.setTabText(FAILURES_TAB, "Failures")

    def show_report(self, report: Report) -> None:
        self.report = report
        self.dashboard.set_scopes(tuple(report.scopes))
        self.dashboard.show_report(report, self.dashboard.selected_scope())
        self.summary.show_report(report)
        self.retry_line.show_report(report)
        self.bursts.show_bursts(report.bursts)
        bars = (self.banner.isVisible(), self.thresholds.isVisible())
        self.banner.show_report(report)
        self.thresholds.show_report(report)
        if (self.banner.isVisible(), self.thresholds.isVisible()) != bars:
            self._fit()
        for tab, table in ((CHECKS_TAB, self.checks), (KEYS_TAB, self.keys)):
            if table.has_rows(report):
                if not self.tabs.isTabVisible(tab):
                    self.tabs.setTabVisible(tab, True)
                table.show_report(report)
        failed = report.failures + report.exceptions  # what the failure groups count
        title = f"Failures ({failed:,})" if failed else "Failures"
        if self.tabs.tabText(FAILURES_TAB) != title:
            self.tabs.setTabText(FAILURES_TAB, title)
        # Many failure groups or buckets cost a little to draw: only while someone can see
        # them, and once more when the run ends.
        if report.final or self.tabs.currentIndex() == FAILURES_TAB:
            self.failures.show_errors(report.errors)
        if report.final or self.tabs.currentIndex() == LATENCY_TAB:
            self.histogram.show_report(report)

    def show_cluster(self, cluster: dict[str, Any]) -> None:
        """GET /_cluster's JSON while a mock cluster runs; {} when it stops."""
        self.cluster_view.show_report(cluster)
        if self.tabs.isTabVisible(CLUSTER_TAB) != bool(cluster):
            self.tabs.setTabVisible(CLUSTER_TAB, bool(cluster))

    def show_failures(self) -> None:
        self.tabs.setCurrentIndex(FAILURES_TAB)

    def _scope_changed(self) -> None:
        if self.report is not None:  # between reports (or after the last one): redraw now
            self.dashboard.show_report(self.report, self.dashboard.selected_scope())

    def _tab_changed(self, index: int) -> None:
        if index in (LATENCY_TAB, CLUSTER_TAB):  # plots want more room than a table
            self._grow_tabs(PLOT_TABS_HEIGHT)
        if self.report is None:
            return
        if index == FAILURES_TAB:
            self.failures.show_errors(self.report.errors)
        elif index == LATENCY_TAB:
            self.histogram.show_report(self.report)
