"""The compare page: run B against run A. Their series overlaid (A solid, B dashed), the
differences table and the overlaid latency histograms below, and what differs between the
two runs' profiles."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from loadgui.ui.compare_histogram import CompareHistogram
from loadgui.ui.compare_plots import PERCENTILES, RUN_COLORS, ComparePlots
from loadgui.ui.compare_table import VERDICT_COLORS, DiffTable
from loadgui.ui.history_rows import run_label
from loadgui.ui.history_store import Comparison

DIFFERENCES_TAB, HISTOGRAM_TAB = 0, 1
SHOWN_CHANGES = 3


def title_html(comparison: Comparison) -> str:
    a, b, verdict = comparison.a.info, comparison.b.info, comparison.diff.verdict
    color = VERDICT_COLORS.get(verdict)
    shown = f'<span style="color:{color}">{verdict}</span>' if color else verdict
    return (f'<b style="color:{RUN_COLORS[1]}">B</b> {escape(run_label(b))} '
            f'against <b style="color:{RUN_COLORS[0]}">A</b> {escape(run_label(a))}: '
            f"<b>{shown}</b>")


def notes_text(comparison: Comparison) -> tuple[str, str]:
    """The line under the title, and its tooltip (every profile change, every problem)."""
    diff = comparison.diff
    changes = [change.text() for change in diff.profile_changes]
    text = f"Changes within {diff.noise:.0%} count as the same. "
    if not changes:
        text += "Same profile."
    else:
        more = len(changes) - SHOWN_CHANGES
        text += "Profiles differ: " + "; ".join(changes[:SHOWN_CHANGES]) + (
            f" (and {more} more)" if more > 0 else "") + "."
    problems = list(dict.fromkeys(comparison.a.problems + comparison.b.problems))
    if problems:
        text += " Note: " + " ".join(problems)
    return text, "\n".join(changes + problems)


class CompareView(QWidget):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareView")
        self.title = QLabel()
        self.title.setObjectName("compareTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("compareNotes")
        self.notes.setWordWrap(True)
        self.percentile = QComboBox()
        self.percentile.setObjectName("compareLatency")
        self.percentile.setToolTip("The latency the middle plot overlays")
        self.percentile.addItems(list(PERCENTILES))
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("compareClose")
        self.close_button.setToolTip("Back to where the comparison was started")
        self.plots = ComparePlots()
        self.histogram = CompareHistogram()
        self.table = DiffTable()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("compareTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.table, "Differences")
        self.tabs.addTab(self.histogram, "Latency histogram")
        plots_area = QScrollArea()
        plots_area.setWidgetResizable(True)
        plots_area.setFrameShape(QScrollArea.Shape.NoFrame)
        plots_area.setWidget(self.plots)
        plots_area.setMinimumHeight(140)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(plots_area)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([420, 230])
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(QLabel("Latency"))
        header.addWidget(self.percentile)
        header.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.notes)
        layout.addWidget(self.splitter, 1)
        self.comparison: Comparison | None = None

        self.percentile.currentTextChanged.connect(self.plots.set_percentile)
        self.close_button.clicked.connect(self.closed)

    def show_comparison(self, comparison: Comparison) -> None:
        self.comparison = comparison
        a, b = comparison.a, comparison.b
        names = (f"A  {run_label(a.info)}", f"B  {run_label(b.info)}")
        self.title.setText(title_html(comparison))
        text, tip = notes_text(comparison)
        self.notes.setText(text)
        self.notes.setToolTip(tip)
        self.plots.show_runs(a.report, b.report, names)
        self.histogram.show_runs(a.report, b.report, names)
        self.table.show_diff(comparison.diff, (f"A · run {a.info.id}", f"B · run {b.info.id}"))

    def apply_palette(self) -> None:
        self.plots.apply_palette()
        self.histogram.apply_palette()
