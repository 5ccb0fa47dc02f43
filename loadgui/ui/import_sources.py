"""The four import dialogs: a pasted cURL command, a HAR file, an OpenAPI document (a file or
a URL the user types) and a Postman collection."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from loadgui.imports import (
    ImportInputError,
    ImportOptions,
    ImportResult,
    load_openapi,
    parse_curl,
    read_har,
    read_postman,
)
from loadgui.ui.file_dialogs import ask_open_path
from loadgui.ui.import_base import ImportDialog
from loadgui.ui.import_entries import SEEN

PARSE_AFTER_MS = 300  # after the last keystroke in the cURL box
MAX_PREVIEW_BODY = 2000
STATIC_ASSET = "static asset"  # har.py's reason for leaving one out


def _monospace(edit: QPlainTextEdit) -> None:
    edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))


class CurlImportDialog(ImportDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, "curlImportDialog", "Import cURL",
                         "Paste a curl command, as DevTools (Copy as cURL (bash)) or Postman "
                         "give it. Its URL, method, headers and body become the target; an "
                         "Authorization header becomes the API key.", table=False)
        self.command = QPlainTextEdit()
        self.command.setObjectName("curlCommandEdit")
        self.command.setPlaceholderText("curl 'https://api.example.com/users' -H "
                                        "'Authorization: Bearer …'")
        _monospace(self.command)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("importPreview")
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText("The request shows here once the command reads.")
        _monospace(self.preview)
        self.source.addWidget(self.command, 2)
        self.source.addWidget(QLabel("The request:"))
        self.source.addWidget(self.preview, 2)
        self._parse_later = QTimer(self, singleShot=True, interval=PARSE_AFTER_MS)
        self._parse_later.timeout.connect(self.parse_command)
        self.command.textChanged.connect(self._parse_later.start)
        self.command.textChanged.connect(self._refresh_controls)  # Import waits for the parse

    def set_command(self, text: str) -> asyncio.Task[bool]:
        self.command.setPlainText(text)
        return self.parse_command()

    def parse_command(self) -> asyncio.Task[bool]:
        self._parse_later.stop()
        text = self.command.toPlainText()

        def parse() -> ImportResult:
            if not text.strip():
                raise ImportInputError("paste a curl command above")
            return parse_curl(text)

        return self._load("Reading the command…", parse)

    def result_is_current(self) -> bool:
        parse_later = getattr(self, "_parse_later", None)  # None while __init__ runs
        return parse_later is None or not parse_later.isActive()

    def reset(self) -> None:
        super().reset()
        self._parse_later.stop()
        self.command.blockSignals(True)
        self.command.clear()
        self.command.blockSignals(False)

    def _clear_result(self) -> None:
        super()._clear_result()
        self.preview.clear()

    def _show_result(self, result: ImportResult) -> None:
        super()._show_result(result)
        target = result.profile.target
        lines = [f"{target.method} {target.base_url}{target.endpoint}",
                 *(f"{name}: {value}" for name, value in target.headers.items())]
        if target.body is not None:
            body = target.body
            lines += ["", body if len(body) <= MAX_PREVIEW_BODY else
                      body[:MAX_PREVIEW_BODY] + f"… ({len(body):,} characters)"]
        self.preview.setPlainText("\n".join(lines))


class FileImportDialog(ImportDialog):
    """A source named in a field (a path, or for OpenAPI a URL), read when the user says so."""

    file_filter = "All files (*)"

    def __init__(self, parent: QWidget | None, name: str, title: str, intro: str,
                 placeholder: str):
        super().__init__(parent, name, title, intro)
        self.path = QLineEdit()
        self.path.setObjectName("importSourceEdit")
        self.path.setPlaceholderText(placeholder)
        self.path.returnPressed.connect(self.load)
        browse = QPushButton("Choose file…")
        browse.setObjectName("importBrowseButton")
        browse.clicked.connect(self._browse)
        load = QPushButton("Read")
        load.setObjectName("importLoadButton")
        load.clicked.connect(self.load)
        self.source_row = QHBoxLayout()
        self.source_row.addWidget(self.path, 1)
        self.source_row.addWidget(browse)
        self.source_row.addWidget(load)
        self.source.addLayout(self.source_row)
        self._inputs += [self.path, browse, load]

    def load_source(self, source: str | Path) -> asyncio.Task[bool]:
        """Read `source` (what a test or the file chooser gives) as if typed and read."""
        self.path.setText(str(source))
        return self.load()

    def load(self) -> asyncio.Task[bool]:
        source = self.path.text().strip()
        shown = Path(source).name if "://" not in source else source
        problem: ImportInputError | None = None
        try:
            options = self.options()  # read from the widgets here, on the GUI thread
        except ImportInputError as exc:
            options, problem = ImportOptions(), exc

        def read() -> ImportResult:
            if problem is not None:
                raise problem
            if not source:
                raise ImportInputError("choose a file first")
            return self.read(source if "://" in source else os.path.expanduser(source),
                             options)

        return self._load(f"Reading {shown}…", read)

    def options(self) -> ImportOptions:
        return ImportOptions()

    def read(self, source: str, options: ImportOptions) -> ImportResult:
        """Runs off the GUI thread; raises ImportInputError."""
        raise NotImplementedError

    def reset(self) -> None:
        super().reset()
        self.path.clear()

    def _browse(self) -> None:
        path = ask_open_path(self, self.windowTitle(), self.file_filter)
        if path is not None:
            self.load_source(path)


class HarImportDialog(FileImportDialog):
    file_filter = "HAR files (*.har);;JSON (*.json);;All files (*)"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, "harImportDialog", "Import HAR",
                         "A HAR file (DevTools: Network, Save all as HAR) becomes a weighted "
                         "request mix: one request per method and URL, weighted by how often "
                         "the browser sent it.", "the .har file")
        self.include_static = QCheckBox("Include static assets")
        self.include_static.setObjectName("importIncludeStatic")
        self.include_static.setToolTip("Images, fonts, stylesheets and scripts: left out "
                                       "unless checked")
        self.include_static.toggled.connect(self._include_static)
        self.entry_tools.insertWidget(3, self.include_static)
        self._inputs.append(self.include_static)

    def read(self, source: str, options: ImportOptions) -> ImportResult:
        return read_har(source, options)

    def _show_result(self, result: ImportResult) -> None:
        self.include_static.blockSignals(True)
        self.include_static.setChecked(False)
        self.include_static.blockSignals(False)
        statics = sum(1 for c in result.candidates if c.reason_left_out == STATIC_ASSET)
        self.include_static.setText(f"Include {statics} static asset"
                                    f"{'s' if statics != 1 else ''}")
        self.include_static.setVisible(statics > 0)
        super()._show_result(result)

    def shown_notes(self, result: ImportResult) -> list[str]:
        return [note for note in result.notes if STATIC_ASSET not in note]  # the checkbox

    def _include_static(self, include: bool) -> None:
        self.model.set_selected(include, lambda c: c.reason_left_out == STATIC_ASSET)


class OpenApiImportDialog(FileImportDialog):
    file_filter = "OpenAPI documents (*.json *.yaml *.yml);;All files (*)"

    def __init__(self, parent: QWidget | None = None,
                 target_url: Callable[[], str] = lambda: ""):
        super().__init__(parent, "openapiImportDialog", "Import OpenAPI",
                         "An OpenAPI 3 document (JSON or YAML) becomes a request mix: one "
                         "request per operation, with example bodies and {id} in path "
                         "parameters. Pick the operations and their weights.",
                         "a file, or a URL such as http://127.0.0.1:8000/openapi.json")
        self.target_url = target_url
        from_target = QPushButton("Target's /openapi.json")
        from_target.setObjectName("importFromTargetButton")
        from_target.setToolTip("Put the profile's base URL + /openapi.json in the field; "
                               "Read fetches it")
        from_target.clicked.connect(self._from_target)
        self.source_row.insertWidget(1, from_target)
        self._inputs.append(from_target)
        self.table.setColumnHidden(SEEN, True)

    def read(self, source: str, options: ImportOptions) -> ImportResult:
        return load_openapi(source, options)

    def _from_target(self) -> None:
        base = self.target_url().strip().rstrip("/")
        if base:
            self.path.setText(f"{base}/openapi.json")
            self.path.setFocus()


class PostmanImportDialog(FileImportDialog):
    file_filter = "Postman collections (*.json);;All files (*)"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, "postmanImportDialog", "Import Postman collection",
                         "A Postman collection (v2.1 or v2.0) becomes a request mix; folders "
                         "become name prefixes and auth is inherited as in Postman.",
                         "the collection's .json file")
        self.variables = QPlainTextEdit()
        self.variables.setObjectName("postmanVariablesEdit")
        self.variables.setPlaceholderText("Variables over the collection's, one NAME=VALUE "
                                          "a line (e.g. baseUrl=https://staging.example.com); "
                                          "read again after changing them")
        self.variables.setMaximumHeight(54)
        self.source.addWidget(self.variables)
        self._inputs.append(self.variables)
        self.table.setColumnHidden(SEEN, True)

    def read(self, source: str, options: ImportOptions) -> ImportResult:
        return read_postman(source, options)

    def options(self) -> ImportOptions:
        found = {}
        for line in self.variables.toPlainText().splitlines():
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise ImportInputError(f"the variable line {line.strip()!r} must look like "
                                       f"NAME=VALUE")
            found[name.strip()] = value.strip()
        return ImportOptions(variables=found)
