"""The run history page: every stored run, newest first, a filter, and what can be done
with the runs selected (open, compare, export, rename, tag, delete) or a file (import).

It shows what it is given and asks for the rest by signals; the store is reached by
RunHistory, off the GUI thread.
"""

from __future__ import annotations

import asyncio

import shiboken6
from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loadgui.store import RunInfo
from loadgui.threshold_verdicts import Verdict
from loadgui.ui import history_store
from loadgui.ui.history_rows import (
    BAD_STATES,
    COLUMNS,
    NUMERIC,
    STATE_COLUMN,
    TARGET_COLUMN,
    THRESHOLDS_COLUMN,
    matches,
    row_texts,
    sort_keys,
    thresholds_sort_key,
    thresholds_text,
)
from loadgui.ui.history_store import in_worker
from loadgui.ui.theme import INVALID_COLOR, ON_COLOR

ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
EMPTY = "No stored runs yet: every run is kept here when it ends."


class RunItem(QTreeWidgetItem):
    """Sorts by the value behind the text (12 after 9, a date by its time)."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        mine, theirs = self.data(column, SORT_ROLE), other.data(column, SORT_ROLE)
        if mine is None or theirs is None or type(mine) is not type(theirs):
            return super().__lt__(other)
        return bool(mine < theirs)


class HistoryView(QWidget):
    openRequested = Signal(int)
    compareRequested = Signal(int, int)  # A (the older), B
    exportRequested = Signal(int)
    renameRequested = Signal(int)
    tagsRequested = Signal(int)
    deleteRequested = Signal(list)  # run ids
    importRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyView")
        self.filter = QLineEdit()
        self.filter.setObjectName("historyFilter")
        self.filter.setPlaceholderText("Filter by name, tag or target")
        self.filter.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("historyCount")
        self.list = QTreeWidget()
        self.list.setObjectName("historyList")
        self.list.setColumnCount(len(COLUMNS))
        self.list.setHeaderLabels(list(COLUMNS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # host and path stay
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.list.header().setStretchLastSection(True)
        self._sized = False  # columns fitted to the first runs listed, then the user's
        self.note = QLabel()
        self.note.setObjectName("historyNote")
        self.note.setWordWrap(True)
        self.open_button = _button("Open", "historyOpen",
                                   "Show the run in the plots and its profile in the form")
        self.compare_button = _button("Compare", "historyCompare",
                                      "Overlay two selected runs and list what changed")
        self.export_button = _button("Export…", "historyExport",
                                     "Write the run to one .loadgui-run file, to share")
        self.rename_button = _button("Rename…", "historyRename", "Give the run another name")
        self.tags_button = _button("Tags…", "historyTags",
                                   "Tag the run (`loadgui compare tag:TAG latest` finds it)")
        self.import_button = _button("Import…", "historyImport",
                                     "Add a run from a .loadgui-run file")
        self.delete_button = _button("Delete…", "historyDelete",
                                     "Remove the selected runs from the history")
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        # Two rows: one row of seven buttons made the window's minimum width exceed 900 px.
        buttons = QHBoxLayout()
        for button in (self.open_button, self.compare_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        naming = QHBoxLayout()
        for button in (self.rename_button, self.tags_button):
            naming.addWidget(button)
        naming.addStretch(1)
        naming.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addLayout(naming)
        self.runs: list[RunInfo] = []
        self.verdicts: dict[int, Verdict] = {}  # run id -> its thresholds' pass or fail
        self._verdicts_asked = 0  # a reading started earlier and ending later is dropped

        self.filter.textChanged.connect(self._apply_filter)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.list.itemDoubleClicked.connect(lambda item, _column: self.openRequested.emit(
            int(item.data(0, ID_ROLE))))
        self.open_button.clicked.connect(lambda: self._emit_one(self.openRequested))
        self.export_button.clicked.connect(lambda: self._emit_one(self.exportRequested))
        self.rename_button.clicked.connect(lambda: self._emit_one(self.renameRequested))
        self.tags_button.clicked.connect(lambda: self._emit_one(self.tagsRequested))
        self.compare_button.clicked.connect(self._emit_compare)
        self.delete_button.clicked.connect(
            lambda: self.deleteRequested.emit(self.selected_ids()))
        self.import_button.clicked.connect(self.importRequested)
        self.set_note("")
        self._selection_changed()

    def show_runs(self, runs: list[RunInfo], verdicts: dict[int, Verdict] | None = None
                  ) -> None:
        """The whole history, newest first; the selection is kept where its runs remain.
        Without `verdicts`, the runs' thresholds are read from the store off the GUI thread
        (when a loop runs) and shown when read."""
        if verdicts is not None:
            self.verdicts = dict(verdicts)
        else:
            self._read_verdicts()
        selected = set(self.selected_ids())
        self.runs = list(runs)
        self.list.setSortingEnabled(False)
        self.list.clear()
        bad = QColor(INVALID_COLOR)
        for info in runs:
            verdict = self.verdicts.get(info.id)
            item = RunItem([*row_texts(info, verdict)])
            item.setData(0, ID_ROLE, info.id)
            for column, key in enumerate(sort_keys(info, verdict)):
                item.setData(column, SORT_ROLE, key)
                if column in NUMERIC:
                    item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
            if info.status in BAD_STATES:
                item.setForeground(STATE_COLUMN, bad)
            item.setToolTip(STATE_COLUMN, info.reason or info.note or info.status)
            item.setToolTip(TARGET_COLUMN, info.target)
            _show_verdict(item, verdict)
            self.list.addTopLevelItem(item)
            item.setSelected(info.id in selected)
        self.list.setSortingEnabled(True)
        if runs and not self._sized:
            self._sized = True
            for column in range(len(COLUMNS) - 1):  # the target, last, takes the rest
                self.list.resizeColumnToContents(column)
        self._apply_filter()

    def show_verdicts(self, verdicts: dict[int, Verdict]) -> None:
        """Each listed run's thresholds: passed or failed, or nothing without any."""
        self.verdicts = dict(verdicts)
        self.list.setSortingEnabled(False)
        for item in self._items():
            _show_verdict(item, self.verdicts.get(int(item.data(0, ID_ROLE))))
        self.list.setSortingEnabled(True)

    def _read_verdicts(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a test listing rows): show_verdicts() brings them
            return
        self._verdicts_asked += 1
        asked = self._verdicts_asked
        task = loop.create_task(in_worker(history_store.verdicts))
        task.add_done_callback(lambda done: self._verdicts_read(done, asked))

    def _verdicts_read(self, task: asyncio.Task[dict[int, Verdict] | None], asked: int
                       ) -> None:
        if task.cancelled() or task.exception() is not None:
            return  # the list stays without them; the listing reports a broken store
        verdicts = task.result()
        if verdicts is not None and asked == self._verdicts_asked and shiboken6.isValid(self):
            self.show_verdicts(verdicts)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def selected_ids(self) -> list[int]:
        """The selected runs' ids, oldest first."""
        return sorted(int(item.data(0, ID_ROLE)) for item in self.list.selectedItems())

    def select(self, run_ids: list[int]) -> None:
        self.list.clearSelection()
        for item in self._items():
            item.setSelected(int(item.data(0, ID_ROLE)) in run_ids)

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _apply_filter(self) -> None:
        text = self.filter.text()
        by_id = {run.id: run for run in self.runs}
        shown = 0
        for item in self._items():
            hidden = not matches(by_id[int(item.data(0, ID_ROLE))], text)
            item.setHidden(hidden)
            if hidden:
                item.setSelected(False)
            shown += not hidden
        total = len(self.runs)
        self.count.setText(f"{shown} of {total} runs" if shown != total
                           else f"{total} run{'s' * (total != 1)}")
        if not total:
            self.set_note(EMPTY)
        elif self.note.text() == EMPTY:
            self.set_note("")

    def _selection_changed(self) -> None:
        by_id = {run.id: run for run in self.runs}
        chosen = [by_id[i] for i in self.selected_ids() if i in by_id]
        one, finished = len(chosen) == 1, all(run.finished for run in chosen)
        self.open_button.setEnabled(one)
        for button in (self.export_button, self.rename_button, self.tags_button):
            button.setEnabled(one and finished)
        self.compare_button.setEnabled(len(chosen) == 2)
        self.delete_button.setEnabled(bool(chosen) and finished)

    def _emit_one(self, signal: SignalInstance) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            signal.emit(ids[0])

    def _emit_compare(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 2:
            self.compareRequested.emit(ids[0], ids[1])


def _show_verdict(item: QTreeWidgetItem, verdict: Verdict | None) -> None:
    item.setText(THRESHOLDS_COLUMN, thresholds_text(verdict))
    item.setData(THRESHOLDS_COLUMN, SORT_ROLE, thresholds_sort_key(verdict))
    item.setToolTip(THRESHOLDS_COLUMN, verdict.tooltip() if verdict else "no thresholds")
    if verdict is not None:
        item.setForeground(THRESHOLDS_COLUMN,
                           QColor(ON_COLOR if verdict.passed else INVALID_COLOR))


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button
