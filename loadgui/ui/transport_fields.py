"""The form's transport fields: connection policy, HTTP/2, TLS and a proxy.

The proxy's password has a masked field of its own: the URL field never shows it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from loadgui.profile_sections import Target
from loadgui.profile_transport import CONNECTION_POLICIES, split_password, with_password
from loadgui.ui.file_dialogs import ask_open_path
from loadgui.ui.form_fields import ComboBox, combo
from loadgui.ui.form_layout import FormLayout

SECTION = "transport"  # the form's "More targets and transport" section
PEM_FILTER = "PEM files (*.pem *.crt *.key);;All files (*)"


class PathField(QWidget):
    """A file path typed in or chosen with a button."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText("none")
        self._title = title
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(choose)

    def path(self) -> str | None:
        return self.edit.text().strip() or None

    def set_path(self, path: str | None) -> None:
        self.edit.setText(path or "")

    def _choose(self) -> None:
        path = ask_open_path(self, self._title, PEM_FILTER)
        if path is not None:
            self.edit.setText(path)


class TransportFields(QObject):
    """The widgets, and the Target values they stand for; `changed` on every edit."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.connection: ComboBox = combo("connection", CONNECTION_POLICIES)
        self.connection.setToolTip("keep-alive: reuse the connection; close: ask the server to "
                                   "close it after each response; new: a fresh connection per "
                                   "attempt, its connect time in the latency")
        self.http2 = QCheckBox("Offer HTTP/2 (httpx client)")
        self.http2.setObjectName("http2")
        self.verify_tls = QCheckBox("Verify the server's certificate")
        self.verify_tls.setObjectName("verifyTls")
        self.client_cert = PathField("clientCert", "Client certificate (PEM)")
        self.client_key = PathField("clientKey", "Client certificate key (PEM)")
        self.proxy = QLineEdit()
        self.proxy.setObjectName("proxy")
        self.proxy.setPlaceholderText("none, or http://[user@]host:3128")
        self.proxy_password = QLineEdit()
        self.proxy_password.setObjectName("proxyPassword")
        self.proxy_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.proxy_password.setPlaceholderText("none")
        self.connection.currentTextChanged.connect(self.changed)
        for box in (self.http2, self.verify_tls):
            box.toggled.connect(self.changed)
        for edit in (self.client_cert.edit, self.client_key.edit, self.proxy,
                     self.proxy_password):
            edit.textChanged.connect(self.changed)

    def values(self) -> dict[str, Any]:
        """The Target fields as the widgets show them (not validated)."""
        return {"connection": self.connection.currentText(), "http2": self.http2.isChecked(),
                "verify_tls": self.verify_tls.isChecked(),
                "client_cert": self.client_cert.path(), "client_key": self.client_key.path(),
                "proxy": with_password(self.proxy.text().strip(), self.proxy_password.text())
                or None}

    def set_values(self, target: Target) -> None:
        self.connection.setCurrentText(target.connection)
        self.http2.setChecked(target.http2)
        self.verify_tls.setChecked(target.verify_tls)
        self.client_cert.set_path(target.client_cert)
        self.client_key.set_path(target.client_key)
        url, password = split_password(target.proxy or "")
        self.proxy.setText(url)
        self.proxy_password.setText(password)


def add_transport_fields(form: FormLayout) -> TransportFields:
    """The fields, added to the form's transport section and registered (red mark, label in
    the validation bar, focus) under their profile keys."""
    fields = TransportFields()
    section = form.sections[SECTION]
    for key, label, widget in (
            ("target.connection", "Connection", fields.connection),
            ("target.http2", "HTTP/2", fields.http2),
            ("target.verify_tls", "TLS", fields.verify_tls),
            ("target.client_cert", "Client certificate", fields.client_cert),
            ("target.client_key", "Certificate key", fields.client_key),
            ("target.proxy", "Proxy", fields.proxy),
            ("", "Proxy password", fields.proxy_password)):
        section.add_row(label, widget)
        if key:
            form._register(key, label, widget)
            form._sections[key] = section
    return fields
