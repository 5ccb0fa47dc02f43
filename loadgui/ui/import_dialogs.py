"""File > Import (cURL, HAR, OpenAPI, Postman), Edit > Copy as cURL, and a curl command pasted
into the Base URL or Endpoint field offered as an import. `add_import_actions` wires it all
into a window; the dialogs live in import_sources.py."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QLineEdit, QMainWindow, QMenu, QWidget

from loadgui.profile import Profile, ProfileError
from loadgui.ui.import_base import ImportDialog
from loadgui.ui.import_copy import CopyCurlDialog
from loadgui.ui.import_sources import (
    CurlImportDialog,
    HarImportDialog,
    OpenApiImportDialog,
    PostmanImportDialog,
)
from loadgui.ui.profile_form import ProfileForm

PASTE_FIELDS = ("baseUrlEdit", "endpointEdit")
_CURL_COMMAND = re.compile(r"\s*curl(?:\.exe)?\s", re.IGNORECASE)
STATUS_MESSAGE_MS = 10_000


def looks_like_curl(text: str) -> bool:
    return bool(_CURL_COMMAND.match(text))


def add_import_actions(window: QMainWindow, file_menu: QMenu, edit_menu: QMenu,
                       form: ProfileForm) -> None:
    """File > Import > cURL… / HAR… / OpenAPI… / Postman…, Edit > Copy as cURL, and the
    paste detection on the form's Base URL and Endpoint fields."""
    imports = ImportActions(window, form)
    menu = QMenu("&Import", file_menu)
    menu.setObjectName("importMenu")
    for text, name, kind in (("&cURL…", "importCurlAction", "curl"),
                             ("&HAR…", "importHarAction", "har"),
                             ("&OpenAPI…", "importOpenapiAction", "openapi"),
                             ("&Postman…", "importPostmanAction", "postman")):
        action = menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(_bind(imports.open_dialog, kind))
    # Beside File > Export when the menu has sections, else at its end.
    separators = [a for a in file_menu.actions() if a.isSeparator()]
    if separators:
        file_menu.insertSeparator(separators[0])
        file_menu.insertMenu(separators[0], menu)
    else:
        file_menu.addMenu(menu)
    copy = QAction("Copy as c&URL…", edit_menu)
    copy.setObjectName("copyAsCurlAction")
    copy.setToolTip("A request of the profile as a curl command, to replay it by hand")
    copy.triggered.connect(imports.copy_as_curl)
    edit_menu.addAction(copy)
    for name in PASTE_FIELDS:
        edit = form.findChild(QLineEdit, name)
        if edit is not None:
            CurlPasteWatch(edit, imports.curl_pasted)


class ImportActions(QObject):
    """The window's import dialogs (one of each, made when first opened) and what an
    accepted import does to the form and the window."""

    def __init__(self, window: QMainWindow, form: ProfileForm):
        super().__init__(window)
        self.setObjectName("importActions")
        self.window = window
        self.form = form
        self.dialogs: dict[str, ImportDialog] = {}
        self.copy_dialog: CopyCurlDialog | None = None

    def open_dialog(self, kind: str) -> ImportDialog:
        dialog = self.dialogs.get(kind)
        if dialog is None:
            dialog = self._make(kind)
            dialog.imported.connect(self._apply)
            self.dialogs[kind] = dialog
        _show(dialog, reset=dialog.reset)
        return dialog

    def open_curl(self, command: str = "") -> CurlImportDialog:
        dialog = self.open_dialog("curl")
        assert isinstance(dialog, CurlImportDialog)
        if command:
            dialog.set_command(command)
        return dialog

    def _make(self, kind: str) -> ImportDialog:
        makers: dict[str, Callable[[], ImportDialog]] = {
            "curl": lambda: CurlImportDialog(self.window),
            "har": lambda: HarImportDialog(self.window),
            "openapi": lambda: OpenApiImportDialog(self.window, self._base_url),
            "postman": lambda: PostmanImportDialog(self.window),
        }
        return makers[kind]()

    def _base_url(self) -> str:
        edit = self.form.findChild(QLineEdit, PASTE_FIELDS[0])
        return edit.text() if edit is not None else ""

    def _apply(self, imported: Profile, summary: str) -> None:
        """The import's target, mix and keys over the form's load, retries and limits."""
        current = self.form.profile()
        profile = imported.draft()
        profile.load, profile.retry, profile.limits = current.load, current.retry, \
            current.limits
        self.form.set_profile(profile)
        # set_profile is a load, not an edit; whatever tracks unsaved edits listens to this.
        self.form.changed.emit()
        self.window.statusBar().showMessage(summary, STATUS_MESSAGE_MS)

    def copy_as_curl(self) -> CopyCurlDialog:
        if self.copy_dialog is None:
            self.copy_dialog = CopyCurlDialog(self.window)
        try:
            self.copy_dialog.show_profile(self.form.validated_profile())
        except ProfileError as exc:
            self.copy_dialog.show_profile(None, str(exc))
        _show(self.copy_dialog)
        return self.copy_dialog

    def curl_pasted(self, edit: QLineEdit, command: str, previous: str | None) -> None:
        """A curl command pasted into a field: the cURL dialog offers the import. `previous`:
        the field's text to put back when the command landed in it (pasted from its context
        menu, or dropped), with the window's unsaved-changes mark where it has one."""
        was_dirty = getattr(self.window, "dirty", None)

        def offer() -> None:
            if previous is not None:
                edit.setText(previous)
                if isinstance(was_dirty, bool):
                    setattr(self.window, "dirty", was_dirty)  # noqa: B010 - maybe a property
                    _call_if_present(self.window, "_update_title")
            self.open_curl(command)

        QTimer.singleShot(0, offer)  # after the line edit has finished its own edit


class CurlPasteWatch(QObject):
    """Calls `on_paste(edit, command, previous)` for a curl command pasted into `edit`. The
    paste shortcut is caught before the text lands (previous is None); the context menu's
    Paste and a drop are seen once it has (previous: the text before). Typing a command
    letter by letter is left alone."""

    def __init__(self, edit: QLineEdit,
                 on_paste: Callable[[QLineEdit, str, str | None], None]):
        super().__init__(edit)
        self.edit = edit
        self.on_paste = on_paste
        self.previous = edit.text()
        edit.installEventFilter(self)
        # textEdited comes before textChanged, so `previous` is still the text before.
        edit.textEdited.connect(self._edited)
        edit.textChanged.connect(self._changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.matches(QKeySequence.StandardKey.Paste)
                and not self.edit.isReadOnly()):
            text = QGuiApplication.clipboard().text()
            if looks_like_curl(text):
                self.on_paste(self.edit, text, None)
                return True
        return False

    def _edited(self, text: str) -> None:
        if looks_like_curl(text) and len(text) > len(self.previous) + 1:
            self.on_paste(self.edit, text, self.previous)

    def _changed(self, text: str) -> None:
        self.previous = text


def _bind(handler: Callable[[str], object], kind: str) -> Callable[[], None]:
    def call() -> None:
        handler(kind)

    return call


def _show(dialog: QDialog, reset: Callable[[], None] | None = None) -> None:
    """Show a dialog, or bring it forward when it is open already (then it keeps its state)."""
    if dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
    else:
        if reset is not None:
            reset()
        dialog.show()


def _call_if_present(widget: QWidget, name: str) -> None:
    method = getattr(widget, name, None)
    if callable(method):
        method()
