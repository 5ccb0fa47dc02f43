"""API keys: pasted or loaded from a file, always shown masked."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loadgui.engine.load.keys import mask
from loadgui.profile import ProfileError, read_key_file
from loadgui.ui.file_dialogs import ask_open_path


class KeyListEditor(QWidget):
    """Holds either an inline list of keys or a key file; `keys()`/`key_file()` read it back."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._keys: list[str] = []
        self._file: str | None = None
        self.list = QListWidget()
        self.list.setObjectName("keyList")
        self.list.setMaximumHeight(90)
        self.input = QLineEdit()
        self.input.setObjectName("keyInput")
        self.input.setEchoMode(QLineEdit.EchoMode.Password)
        self.input.setPlaceholderText("paste keys (one per line or comma separated)")
        self.input.returnPressed.connect(self._add_from_input)
        self.source = QLabel()
        self.source.setObjectName("keySource")
        add = QPushButton("Add")
        add.clicked.connect(self._add_from_input)
        load = QPushButton("Load from file…")
        load.clicked.connect(self._choose_file)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_selected)
        clear = QPushButton("Clear")
        clear.clicked.connect(lambda: self.set_keys([], None))
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(add)
        buttons = QHBoxLayout()
        for button in (load, remove, clear):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)
        layout.addWidget(self.source)
        layout.addLayout(buttons)
        self._refresh()

    def keys(self) -> list[str]:
        return [] if self._file else list(self._keys)

    def key_file(self) -> str | None:
        return self._file

    def set_keys(self, keys: list[str], key_file: str | None) -> None:
        self._file = key_file
        self._keys = list(keys)
        if key_file:
            try:
                self._keys = read_key_file(key_file)
            except ProfileError:
                self._keys = []  # shown as "no keys read"; validation at Start says why
        self._refresh()
        self.changed.emit()

    def add_text(self, text: str) -> None:
        """Add every key in pasted text; switches from a key file to an inline list."""
        new = [k for k in re.split(r"[\s,]+", text) if k and not k.startswith("#")]
        if not new:
            return
        if self._file:
            self._file, self._keys = None, []
        self._keys.extend(new)
        self._refresh()
        self.changed.emit()

    def _add_from_input(self) -> None:
        self.add_text(self.input.text())
        self.input.clear()

    def _choose_file(self) -> None:
        path = ask_open_path(self, "Load API keys", "Text files (*.txt);;All files (*)")
        if path is None:
            return
        try:
            read_key_file(path)
        except ProfileError as exc:
            QMessageBox.warning(self, "API keys", str(exc))
            return
        self.set_keys([], path)

    def _remove_selected(self) -> None:
        rows = sorted((self.list.row(i) for i in self.list.selectedItems()), reverse=True)
        if self._file and rows:
            self._keys, self._file = list(self._keys), None
        for row in rows:
            del self._keys[row]
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        self.list.clear()
        self.list.addItems([mask(k) for k in self._keys])
        if self._file and not self._keys:
            self.source.setText(f"no keys read from {self._file}")
        elif self._file:
            self.source.setText(f"{len(self._keys)} keys from {self._file}")
        else:
            self.source.setText(f"{len(self._keys)} keys, rotated round robin" if self._keys
                                else "no keys: requests are sent without one")
