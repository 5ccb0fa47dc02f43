"""What the import-dialog tests share: sample data and small drivers for the dialogs.
A module of its own, not conftest.py (several test folders have one)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
)
from window_helpers import find

DATA = Path(__file__).parent.parent / "imports" / "data"
TOKEN = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
CURL = (f"curl 'https://api.example.com/v1/items?page=2' \\\n"
        f"  -H 'accept: application/json' \\\n"
        f"  -H 'authorization: Bearer {TOKEN}' \\\n"
        f"  -H 'content-type: application/json' \\\n"
        f"  --data-raw '{{\"name\":\"lamp\"}}'")
HAR_BOUND_S = 10.0  # reading 100,000 entries takes well under a second; CI machines vary


def menu(window, title: str) -> QMenu:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title and action.menu():
            return action.menu()
    return window.menuBar().addMenu(f"&{title}")


def edited(window) -> bool:
    """The window's title marks unsaved changes."""
    return "*" in window.windowTitle()


def open_dialog(w, qtbot, action: str, name: str) -> QDialog:
    find(w, QAction, action).trigger()
    dialog = find(w, QDialog, name)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def finish(qtbot, task, timeout: int = 10_000) -> bool:
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def error_text(dialog) -> str:
    label = find(dialog, QLabel, "importError")
    return label.text() if label.isVisible() else ""


def import_and_close(dialog, qtbot) -> None:
    assert find(dialog, QPushButton, "importButton").isEnabled()
    assert finish(qtbot, dialog.import_selected()), error_text(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def credential_rows(dialog) -> list[tuple[bool, str]]:
    listing = find(dialog, QListWidget, "importCredentials")
    return [(listing.item(row).checkState() == Qt.CheckState.Checked, listing.item(row).text())
            for row in range(listing.count())]
