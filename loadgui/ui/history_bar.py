"""The bar above the plots while they show a run opened from the history, so that it is
never taken for a live one."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from loadgui.store import StoredRun
from loadgui.ui.history_rows import stored_caption
from loadgui.ui.theme import BANNER_TEXT, THROUGHPUT_COLOR

# Its own light background, as the run banner's, so the dark text reads on any palette.
STYLE = (f"QFrame#storedRunBar {{ border: 1px solid {THROUGHPUT_COLOR}; border-radius: 4px;"
         f" background: #dbeafe; }} QFrame#storedRunBar QLabel {{ color: {BANNER_TEXT}; }}")


def bar_html(run: StoredRun) -> str:
    """One line (at 1024 px the plots have no height to spare); a second for problems."""
    info = run.info
    text = (f"<b>{escape(stored_caption(info))}</b> · {escape(info.name)} · {info.status}"
            " · a saved run, not a live one")
    notes = list(run.problems)
    if run.profile is None:
        notes.append("This loadgui cannot read the run's profile: the form is unchanged.")
    if notes:
        text += "<br><i>" + escape(" ".join(dict.fromkeys(notes))) + "</i>"
    return text


class StoredBar(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("storedRunBar")
        self.setStyleSheet(STYLE)
        self.text = QLabel()
        self.text.setObjectName("storedRunText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.text, 1)
        self.setVisible(False)

    def show_run(self, run: StoredRun) -> None:
        self.text.setText(bar_html(run))
        self.setToolTip("Run again starts a new run of its profile, as the form shows it; "
                        "the history (Ctrl+H) has every run kept")
        self.setVisible(True)

    def clear(self) -> None:
        self.setVisible(False)
        self.text.setText("")
