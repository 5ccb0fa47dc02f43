"""The right side of the window: banner, plots, cluster view, and the Summary and Failures tabs.

Everything here renders the Report it is given and computes nothing of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from loadgui.engine import Report
from loadgui.ui.cluster_view import ClusterView
from loadgui.ui.dashboard import Dashboard
from loadgui.ui.failures_table import FailuresTable
from loadgui.ui.run_banner import RunBanner
from loadgui.ui.summary_table import SummaryTable

SUMMARY_TAB, FAILURES_TAB = 0, 1


class ResultsView(QSplitter):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("plotSplitter")
        self.banner = RunBanner()
        self.dashboard = Dashboard()
        self.cluster_view = ClusterView()
        self.summary = SummaryTable()
        self.failures = FailuresTable()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("resultTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.summary, "Summary")
        self.tabs.addTab(self.failures, "Failures")
        top = QWidget()
        layout = QVBoxLayout(top)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.banner)
        layout.addWidget(self.dashboard, 1)
        self.addWidget(top)
        self.addWidget(self.cluster_view)
        self.addWidget(self.tabs)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        self.setStretchFactor(2, 0)
        self.setSizes([620, 200, 130])
        self.report: Report | None = None  # the one shown now

        self.banner.showFailures.connect(self.show_failures)
        self.dashboard.scope.currentIndexChanged.connect(self._scope_changed)
        self.tabs.currentChanged.connect(self._tab_changed)

    def clear(self, expected_duration: float | None = None) -> None:
        """Empty every view for a new run."""
        self.report = None
        self.dashboard.clear(expected_duration)
        self.summary.clear_rows()
        self.failures.clear_rows()
        self.banner.clear()
        self.tabs.setTabText(FAILURES_TAB, "Failures")

    def show_report(self, report: Report) -> None:
        self.report = report
        self.dashboard.set_scopes(list(report.scopes))
        self.dashboard.show_report(report, self.dashboard.selected_scope())
        self.summary.show_report(report)
        self.banner.show_report(report)
        failed = sum(group.count for group in report.errors)
        title = f"Failures ({failed:,})" if failed else "Failures"
        if self.tabs.tabText(FAILURES_TAB) != title:
            self.tabs.setTabText(FAILURES_TAB, title)
        # Many failure groups cost a little to lay out: only while someone can see them.
        if report.final or self.tabs.currentIndex() == FAILURES_TAB:
            self.failures.show_errors(report.errors)

    def show_failures(self) -> None:
        self.tabs.setCurrentIndex(FAILURES_TAB)

    def _scope_changed(self) -> None:
        if self.report is not None:  # between reports (or after the last one): redraw now
            self.dashboard.show_report(self.report, self.dashboard.selected_scope())

    def _tab_changed(self, index: int) -> None:
        if index == FAILURES_TAB and self.report is not None:
            self.failures.show_errors(self.report.errors)
