"""Edit > Copy as cURL: a request of the profile as a curl command to replay by hand, with
the API key as $LOADGUI_API_KEY unless the user asks for it in clear."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from loadgui.imports import to_curl
from loadgui.imports.curl_export import KEY_VARIABLE
from loadgui.profile import Profile, ProfileError

MAX_ALL_REQUESTS = 200  # "All requests" beyond this would be a wall of text, not a replay


class CopyCurlDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("copyCurlDialog")
        self.setWindowTitle("Copy as cURL")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(760, 420)
        self.profile: Profile | None = None
        self._problem = ""
        self.request = QComboBox()
        self.request.setObjectName("copyCurlRequest")
        self.request.currentIndexChanged.connect(self._refresh)
        self.reveal = QCheckBox("Include the API key in clear")
        self.reveal.setObjectName("copyCurlRevealKey")
        self.reveal.toggled.connect(self._refresh)
        self.text = QPlainTextEdit()
        self.text.setObjectName("copyCurlText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.hint = QLabel()
        self.hint.setObjectName("copyCurlHint")
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button.setObjectName("copyCurlButton")
        self.copy_button.setDefault(True)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.request)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.reveal)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)

    def show_profile(self, profile: Profile | None, problem: str = "") -> None:
        """The profile's requests (None when the form does not hold a valid one: `problem`)."""
        self.profile = profile
        self.request.blockSignals(True)
        self.request.clear()
        mix = profile.request_mix() if profile else []
        has_all = 1 < len(mix) <= MAX_ALL_REQUESTS
        if has_all:
            self.request.addItem(f"All {len(mix)} requests")
        for spec in mix:
            self.request.addItem(f"{spec.method} {spec.path}" if spec.name == spec.path
                                 else spec.name)
        self.request.setCurrentIndex(1 if has_all else 0)
        self.request.setVisible(len(mix) > 1)
        self.request.blockSignals(False)
        has_keys = bool(profile and (profile.keys.keys or profile.keys.file))
        self.reveal.blockSignals(True)
        self.reveal.setChecked(False)
        self.reveal.blockSignals(False)
        self.reveal.setEnabled(has_keys)
        self.copy_button.setEnabled(profile is not None)
        self._problem = problem
        self._refresh()

    def command(self) -> str:
        profile = self.profile
        if profile is None:
            return ""
        mix = profile.request_mix()
        index = self.request.currentIndex()
        if len(mix) > 1 and self.request.count() > len(mix):
            index -= 1  # the first item is "All requests"
        draft = profile.draft()
        draft.requests = mix if index < 0 else [mix[index]]
        return to_curl(draft, reveal_keys=self.reveal.isChecked())

    def copy(self) -> None:
        text = self.command()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.accept()

    def _refresh(self) -> None:
        if self.profile is None:
            self.text.setPlainText("")
            self.hint.setText(f"Fix the profile first: {self._problem}")
            return
        try:
            self.text.setPlainText(self.command())
        except ProfileError as exc:  # the key file cannot be read
            self.text.setPlainText("")
            self.hint.setText(str(exc))
            return
        keys = self.profile.keys
        if not (keys.keys or keys.file):
            self.hint.setText("The profile has no API key.")
        elif self.reveal.isChecked():
            self.hint.setText("The first API key is in the command in clear: do not paste it "
                              "where others can read it.")
        else:
            self.hint.setText(f"The API key shows as ${KEY_VARIABLE}: set that variable in "
                              f"the shell before running the command.")
