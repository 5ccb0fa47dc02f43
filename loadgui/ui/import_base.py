"""The frame every import dialog shares: its source is read off the GUI thread with a busy
state, a failure is one line in the dialog, and Import builds the profile from what the user
chose (requests, weights, credentials) or nothing at all."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loadgui.imports import ImportInputError, ImportResult
from loadgui.imports.credentials import key_credentials
from loadgui.profile import Profile, ProfileError
from loadgui.ui.import_entries import CredentialsList, EntriesModel, entries_view
from loadgui.ui.theme import BANNER_TEXT, ERROR_BACKGROUND, INVALID_COLOR

_T = TypeVar("_T")
BUSY_SHOWN_AFTER_MS = 150  # a parse that is over sooner does not flash a progress bar
WHAT_IMPORT_DOES = ("Import replaces the profile's target, request mix and API keys; its load, "
                    "retries and limits stay as they are.")


class ImportDialog(QDialog):
    """`imported(profile, summary)` carries the validated profile with the kept API keys."""

    imported = Signal(object, str)
    busyChanged = Signal(bool)

    def __init__(self, parent: QWidget | None, name: str, title: str, intro: str, *,
                 table: bool = True):
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(860, 600)
        self.import_result: ImportResult | None = None
        self.busy = False
        self._generation = 0
        self._task: asyncio.Task[bool] | None = None
        self._inputs: list[QWidget] = []  # what a subclass disables while busy

        layout = QVBoxLayout(self)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout.addWidget(intro_label)
        self.source = QVBoxLayout()
        layout.addLayout(self.source)
        self._progress = QProgressBar()
        self._progress.setObjectName("importBusy")
        self._progress.setRange(0, 0)
        self._progress.setTextVisible(False)
        self._progress.setMaximumHeight(6)
        self._busy_label = QLabel()
        busy_row = QHBoxLayout()
        busy_row.addWidget(self._busy_label)
        busy_row.addWidget(self._progress, 1)
        layout.addLayout(busy_row)
        self._show_busy = QTimer(self, singleShot=True, interval=BUSY_SHOWN_AFTER_MS)
        self._show_busy.timeout.connect(lambda: self._set_busy_shown(True))
        self._set_busy_shown(False)
        self.error = QLabel()
        self.error.setObjectName("importError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet(f"QLabel {{ color: {BANNER_TEXT}; background: {ERROR_BACKGROUND};"
                                 f" border: 1px solid {INVALID_COLOR}; border-radius: 4px;"
                                 f" padding: 6px; font-weight: 600; }}")
        self.error.hide()
        layout.addWidget(self.error)

        self.model = EntriesModel(self)
        self.model.changed.connect(self._selection_changed)
        self.entry_tools = QHBoxLayout()
        self.count = QLabel()
        self.count.setObjectName("importCount")
        self.table = entries_view(self.model)
        if table:
            self._add_entry_tools()
            layout.addLayout(self.entry_tools)
            layout.addWidget(self.table, 3)
        self.credentials = CredentialsList()
        self.credentials.changed.connect(self._selection_changed)
        self._credentials_box = QWidget()
        box_layout = QVBoxLayout(self._credentials_box)
        box_layout.setContentsMargins(0, 4, 0, 0)
        heading = QLabel("<b>Credentials found</b>&nbsp;&nbsp;checked ones are kept, the "
                         "others dropped")
        box_layout.addWidget(heading)
        box_layout.addWidget(self.credentials)
        self._credentials_box.hide()
        layout.addWidget(self._credentials_box)
        self.notes = QLabel()
        self.notes.setObjectName("importNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.notes)
        what = QLabel(WHAT_IMPORT_DOES)
        what.setWordWrap(True)
        layout.addWidget(what)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._refresh_controls()

    def _add_entry_tools(self) -> None:
        label = QLabel("Requests")
        label.setStyleSheet("font-weight: bold;")
        self.entry_tools.addWidget(label)
        self.entry_tools.addWidget(self.count)
        self.entry_tools.addStretch()
        for text, name, selected in (("Select all", "importSelectAll", True),
                                     ("Select none", "importSelectNone", False)):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, s=selected: self.model.set_selected(s))
            self.entry_tools.addWidget(button)
            self._inputs.append(button)

    # --- reading and building off the GUI thread -------------------------------------------
    def _load(self, what: str, read: Callable[[], ImportResult]) -> asyncio.Task[bool]:
        """Read a source; on failure nothing of it stays in the dialog."""
        return self._start(what, read, self._show_result, forget_result=True)

    def import_selected(self) -> asyncio.Task[bool]:
        """Build the profile from the checked requests and credentials, then hand it over."""
        result = self.import_result

        def build() -> tuple[Profile, ImportResult]:
            if result is None:
                raise ImportInputError("there is nothing to import yet")
            rebuilt = result.rebuild()
            return rebuilt.profile_with_keys(), rebuilt

        return self._start("Building the profile…", build, self._built, forget_result=False)

    def _start(self, what: str, work: Callable[[], _T], done: Callable[[_T], None], *,
               forget_result: bool) -> asyncio.Task[bool]:
        self._generation += 1
        if self._task is not None:
            self._task.cancel()  # its thread runs on; what it returns is dropped
        self._set_error("")
        self._set_busy(True, what)
        self._task = asyncio.ensure_future(self._work(self._generation, work, done,
                                                      forget_result))
        return self._task

    async def _work(self, generation: int, work: Callable[[], _T], done: Callable[[_T], None],
                    forget_result: bool) -> bool:
        try:
            value = await asyncio.get_running_loop().run_in_executor(None, work)
        except (ImportInputError, ProfileError) as exc:
            error = str(exc)
        except Exception as exc:  # a parser's bug: one line here, not a traceback
            error = f"the import failed unexpectedly ({type(exc).__name__}: {exc})"
        else:
            error = ""
        if generation != self._generation or not shiboken6.isValid(self):
            return False  # superseded, cancelled, or the window closed meanwhile
        self._task = None
        self._set_busy(False)
        if error:
            if forget_result:
                self._clear_result()
            self._set_error(error[:1].upper() + error[1:])
            return False
        done(value)
        return True

    def _set_busy(self, busy: bool, what: str = "") -> None:
        self.busy = busy
        self._busy_label.setText(what)
        if busy:
            self._show_busy.start()
        else:
            self._show_busy.stop()
            self._set_busy_shown(False)
        self._refresh_controls()
        self.busyChanged.emit(busy)

    def _set_busy_shown(self, shown: bool) -> None:
        self._progress.setVisible(shown)
        self._busy_label.setVisible(shown)

    def cancel_work(self) -> None:
        self._generation += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self.busy:
            self._set_busy(False)

    def done(self, code: int) -> None:
        self.cancel_work()
        super().done(code)

    # --- showing a result -------------------------------------------------------------------
    def reset(self) -> None:
        """Empty, for a new import."""
        self.cancel_work()
        self._clear_result()
        self._set_error("")

    def _clear_result(self) -> None:
        self.import_result = None
        self.model.set_candidates([])
        self.credentials.set_credentials([])
        self._credentials_box.hide()
        self.notes.setText("")
        self._refresh_controls()

    def _show_result(self, result: ImportResult) -> None:
        self.import_result = result
        self.model.set_candidates(result.candidates)
        self.credentials.set_credentials(result.credentials)
        self._credentials_box.setVisible(bool(result.credentials))
        self.notes.setText("\n".join([*(f"• {note[:1].upper()}{note[1:]}"
                                        for note in self.shown_notes(result)),
                                      *(f"⚠ {w[:1].upper()}{w[1:]}" for w in result.warnings)]))
        self._refresh_controls()
        (self.import_button if self.import_button.isEnabled() else self.table).setFocus()

    def shown_notes(self, result: ImportResult) -> list[str]:
        return result.notes

    def _built(self, built: tuple[Profile, ImportResult]) -> None:
        profile, result = built
        self.imported.emit(profile, self.summary(result))
        self.accept()

    def summary(self, result: ImportResult) -> str:
        count = len(result.selected)
        text = f"Imported {count} request{'s' if count != 1 else ''}"
        keys = key_credentials(result.credentials)
        if keys:
            text += f"; the {keys[0].describe().split(' in ')[0]} became the API key " \
                    f"(shown masked under API keys)"
        return text

    def _selection_changed(self) -> None:
        self._refresh_controls()

    def _refresh_controls(self) -> None:
        ready = self.import_result is not None and not self.busy and self.result_is_current()
        total = len(self.import_result.candidates) if self.import_result else 0
        chosen = self.model.selected_count() if self.import_result else 0
        self.count.setText(f"{chosen:,} of {total:,} selected" if total else "")
        self.import_button.setEnabled(ready and chosen > 0)
        for widget in (*self._inputs, self.table, self.credentials):
            widget.setEnabled(not self.busy)

    def result_is_current(self) -> bool:
        """False while the source shown has changed since it was read."""
        return True

    def _set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
