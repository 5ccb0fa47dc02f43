"""The differences between two runs, overall, per request and per target: each figure in
A and B and its change, coloured when the store's verdict says it got worse or better (a
change within the noise band counts as the same and stays uncoloured)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from loadgui.store import MetricDelta, RunDiff, ScopeDiff
from loadgui.store.diff_text import change_text, value_text
from loadgui.ui.theme import INVALID_COLOR, ON_COLOR, WARNING_COLOR

VERDICT_ROLE = Qt.ItemDataRole.UserRole
VERDICT_COLORS = {"worse": INVALID_COLOR, "better": ON_COLOR, "mixed": WARNING_COLOR}
CHANGE_COLUMN = 3


def scope_title(scope: ScopeDiff) -> str:
    if scope.kind == "overall":
        return "Overall"
    where = "" if scope.in_a and scope.in_b else f"  (only in run {'A' if scope.in_a else 'B'})"
    return f"{scope.kind} {scope.name}{where}"


def metric_title(m: MetricDelta) -> str:
    return m.metric.label + (" ms" if m.metric.unit == "ms" else "")


def change_cell(m: MetricDelta) -> str:
    """The change in %; from a zero in A (0 errors before), the difference itself."""
    if m.change is not None or m.verdict not in VERDICT_COLORS:
        return change_text(m)
    difference = m.b - m.a
    if m.metric.unit == "":
        return f"{difference * 100:+.2f} pts"
    return f"{difference:+,.1f} {'ms' if m.metric.unit == 'ms' else '/s'}"


class DiffTable(QTreeWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareTable")
        self.setColumnCount(4)
        self.setHeaderLabels(["", "A", "B", "change"])
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        header = self.header()
        header.setStretchLastSection(True)  # the figures stay beside their names
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def show_diff(self, diff: RunDiff, names: tuple[str, str]) -> None:
        self.clear()
        self.setHeaderLabels(["", *names, "change"])
        bold = QFont(self.font())
        bold.setBold(True)
        noise = f"{diff.noise:.0%}"
        for scope in diff.scopes:
            parent = QTreeWidgetItem([scope_title(scope), "", "", scope.verdict])
            for column in range(4):
                parent.setFont(column, bold)
            self._mark(parent, scope.verdict, noise)
            for m in scope.metrics:
                child = QTreeWidgetItem([metric_title(m), value_text(m, m.a), value_text(m, m.b),
                                         change_cell(m)])
                for column in (1, 2):
                    child.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                           | Qt.AlignmentFlag.AlignVCenter)
                self._mark(child, m.verdict, noise)
                parent.addChild(child)
            self.addTopLevelItem(parent)
        self.expandAll()

    @staticmethod
    def _mark(item: QTreeWidgetItem, verdict: str, noise: str) -> None:
        item.setData(CHANGE_COLUMN, VERDICT_ROLE, verdict)
        color = VERDICT_COLORS.get(verdict)
        if color is not None:
            item.setForeground(CHANGE_COLUMN, QColor(color))
        item.setToolTip(CHANGE_COLUMN, {
            "worse": f"worse than A by more than the {noise} noise band",
            "better": f"better than A by more than the {noise} noise band",
            "same": f"within the {noise} noise band: the same",
            "mixed": "some figures better, some worse",
        }.get(verdict, "cannot compare: a run has no value here"))

    def verdicts(self) -> dict[tuple[str, str], str]:
        """(scope title, figure) -> verdict, as shown (for tests and the screenshot check)."""
        out = {}
        for i in range(self.topLevelItemCount()):
            parent = self.topLevelItem(i)
            children = [] if parent is None else [parent.child(j)
                                                  for j in range(parent.childCount())]
            for child in children:
                if parent is not None and child is not None:
                    out[(parent.text(0), child.text(0))] = str(
                        child.data(CHANGE_COLUMN, VERDICT_ROLE))
        return out
