"""Beside Start: why it cannot start, one link per invalid field; a click goes to the field."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

MAX_LINKS = 4  # more fields than that are counted, not named, to keep the toolbar one line


class ValidationBar(QFrame):
    """Hidden while the profile can run. `fieldChosen(key)` when an entry is clicked."""

    fieldChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("validationBar")
        self.lead = QLabel("Can't start — fix:")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 2, 8, 2)
        self._layout.setSpacing(4)
        self._layout.addWidget(self.lead)
        self.more = QLabel()
        self._links: list[QToolButton] = []
        self.entries: list[tuple[str, str, str]] = []  # (field key, label, message)
        self._action: QAction | None = None
        self.setVisible(False)

    def place(self, action: QAction) -> None:
        """In a toolbar, the action that holds the bar shows and hides it."""
        self._action = action
        action.setVisible(bool(self.entries))

    def show_errors(self, entries: list[tuple[str, str, str]]) -> None:
        """(field key, label, message) per invalid field; empty hides the bar."""
        if entries == self.entries:
            return
        self.entries = list(entries)
        for link in self._links:
            self._layout.removeWidget(link)
            link.deleteLater()
        self._layout.removeWidget(self.more)
        self._links = []
        for key, label, message in entries[:MAX_LINKS]:
            link = QToolButton()
            link.setObjectName("validationLink")
            link.setText(label)
            link.setToolTip(message)
            link.clicked.connect(partial(self.fieldChosen.emit, key))
            self._layout.addWidget(link)
            self._links.append(link)
        hidden = len(entries) - MAX_LINKS
        self.more.setText(f"and {hidden} more" if hidden > 0 else "")
        if hidden > 0:
            self._layout.addWidget(self.more)
        self.setToolTip(self.reason())
        if self._action is not None:
            self._action.setVisible(bool(entries))
        self.setVisible(bool(entries))

    def labels(self) -> list[str]:
        return [label for _, label, _ in self.entries]

    def links(self) -> list[QToolButton]:
        return list(self._links)

    def reason(self) -> str:
        """Every field and why, one a line (for tooltips and the status bar)."""
        return "\n".join(f"{label}: {message}" for _, label, message in self.entries)
