"""What an import dialog lets the user choose: the requests found (a table model, so a HAR of
100,000 entries shows without building a widget per row) and the credentials found."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from loadgui.imports import Candidate, Credential
from loadgui.imports.credentials import key_credentials, unused_credentials
from loadgui.imports.result import COOKIE

REQUEST, TARGET, SEEN, WEIGHT, NOTE = range(5)
HEADERS = ("Request", "Sent to", "Seen", "Weight", "Note")
MAX_WEIGHT = 1e9
MAX_CREDENTIAL_ROWS_SHOWN = 5
_Index = QModelIndex | QPersistentModelIndex


class EntriesModel(QAbstractTableModel):
    """The candidates of an ImportResult, edited in place: the checkbox is `selected`, the
    weight is the request's. `changed` follows every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._candidates: list[Candidate] = []

    def set_candidates(self, candidates: list[Candidate]) -> None:
        self.beginResetModel()
        self._candidates = candidates
        self.endResetModel()
        self.changed.emit()

    def candidate(self, row: int) -> Candidate:
        return self._candidates[row]

    def selected_count(self) -> int:
        return sum(1 for c in self._candidates if c.selected)

    def set_selected(self, selected: bool,
                     which: Callable[[Candidate], bool] = lambda _c: True) -> None:
        for candidate in self._candidates:
            if which(candidate):
                candidate.selected = selected
        if self._candidates:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._candidates) - 1, len(HEADERS) - 1))
        self.changed.emit()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._candidates)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        candidate, column = self._candidates[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == REQUEST:
            return Qt.CheckState.Checked if candidate.selected else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.EditRole and column == WEIGHT:
            return candidate.request.weight
        if role == Qt.ItemDataRole.DisplayRole:
            return _shown(candidate, column)
        if role == Qt.ItemDataRole.ForegroundRole and not candidate.selected:
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.ToolTipRole and column == REQUEST:
            return _tooltip(candidate)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (SEEN, WEIGHT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == REQUEST:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif index.column() == WEIGHT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        candidate = self._candidates[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == REQUEST:
            candidate.selected = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole and index.column() == WEIGHT:
            try:
                weight = float(value)
            except (TypeError, ValueError):
                return False
            if not 0 < weight <= MAX_WEIGHT:
                return False
            candidate.request.weight = weight
        else:
            return False
        row = index.row()  # a row greys out when unchecked
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        self.changed.emit()
        return True


def _shown(candidate: Candidate, column: int) -> str:
    if column == REQUEST:
        return candidate.name
    if column == TARGET:
        return candidate.origin
    if column == SEEN:
        return f"{candidate.count:,}"
    if column == WEIGHT:
        return f"{candidate.request.weight:g}"
    return candidate.reason_left_out


def _tooltip(candidate: Candidate) -> str:
    request = candidate.request
    lines = [f"{request.method} {candidate.origin}{request.path}"]
    if candidate.operation_id:
        lines.append(f"operationId: {candidate.operation_id}")
    if request.body is not None:
        body = request.body if len(request.body) <= 300 else request.body[:300] + "…"
        lines.append(f"body: {body}")
    return "\n".join(lines)


def entries_view(model: EntriesModel) -> QTableView:
    """The table of requests: checkboxes, and weights edited in place."""
    table = QTableView()
    table.setObjectName("importEntries")
    table.setModel(model)
    table.setItemDelegateForColumn(WEIGHT, WeightDelegate(table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                          | QAbstractItemView.EditTrigger.EditKeyPressed
                          | QAbstractItemView.EditTrigger.SelectedClicked)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(REQUEST, QHeaderView.ResizeMode.Stretch)
    for column, width in ((TARGET, 210), (SEEN, 60), (WEIGHT, 70), (NOTE, 110)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, width)
    table.setToolTip("Uncheck a request to leave it out; double-click a weight to change "
                     "how often it is sent")
    return table


class WeightDelegate(QStyledItemDelegate):
    """A spin box wide enough for HAR counts (Qt's default one stops at 99.99)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        spin = QDoubleSpinBox(parent)
        spin.setRange(0.01, MAX_WEIGHT)
        spin.setDecimals(2)
        spin.setFrame(False)
        return spin


class CredentialsList(QListWidget):
    """One checkable row per credential, saying what keeping it does; sets `keep`."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importCredentials")
        self.setSpacing(2)
        self._credentials: list[Credential] = []
        self.itemChanged.connect(self._item_changed)

    def set_credentials(self, credentials: list[Credential]) -> None:
        self._credentials = credentials
        self.blockSignals(True)
        self.clear()
        for _ in credentials:
            item = QListWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            self.addItem(item)
        self.blockSignals(False)
        self._refresh()
        rows = min(len(credentials), MAX_CREDENTIAL_ROWS_SHOWN)
        self.setFixedHeight(rows * (self.sizeHintForRow(0) + 2 * self.spacing())
                            + 2 * self.frameWidth() + 2 if rows else 0)

    def set_kept(self, row: int, keep: bool) -> None:
        item = self.item(row)
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)

    def _item_changed(self, item: QListWidgetItem) -> None:
        self._credentials[self.row(item)].keep = item.checkState() == Qt.CheckState.Checked
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        """Every row's text: keeping one credential can leave another out."""
        self.blockSignals(True)
        for row, (credential, fate) in enumerate(zip(self._credentials,
                                                     fates(self._credentials), strict=True)):
            item = self.item(row)
            what, _, where = credential.describe().partition("), in ")
            item.setText(f"{what[:1].upper()}{what[1:]})  →  {fate}")
            item.setToolTip(f"Sent with {where}")
            item.setCheckState(Qt.CheckState.Checked if credential.keep
                               else Qt.CheckState.Unchecked)
        self.blockSignals(False)


def fates(credentials: list[Credential]) -> list[str]:
    """What becomes of each credential with its current `keep` flag, in words."""
    keys, unused = key_credentials(credentials), unused_credentials(credentials)
    words = []
    for credential in credentials:
        if any(credential is key for key in keys):
            words.append("the profile's API key (shown masked)")
        elif any(credential is other for other in unused):
            words.append("left out: it cannot be an API key (spaces or other characters)"
                         if not key_credentials([credential]) else
                         f"left out: the profile sends one kind of key, in {keys[0].header}")
        elif credential.keep and credential.kind == COOKIE:
            words.append("kept in the Cookie header")
        elif credential.kind == COOKIE:
            words.append("dropped (check it to send these cookies)")
        else:
            words.append("dropped (check it to make it the API key)")
    return words
