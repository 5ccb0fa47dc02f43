"""File dialogs that start in the folder the user last chose (their documents at first),
suggest a name, and add the extension a bare name lacks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

FOLDER_KEY = "files/last_folder"
PROFILE_FILTER = "loadgui profiles (*.json);;All files (*)"


def default_folder() -> str:
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


def last_folder() -> str:
    folder = str(QSettings().value(FOLDER_KEY, "", type=str))
    return folder if folder and Path(folder).is_dir() else default_folder()


def remember_folder(path: str | Path) -> None:
    """The folder of a file the user chose; the next dialog opens there."""
    QSettings().setValue(FOLDER_KEY, str(Path(path).parent))


def with_suffix(path: str, suffix: str) -> str:
    """`myprofile` -> `myprofile.json`; a name that has an extension keeps it."""
    return path if Path(path).suffix else path + suffix


def ask_save_path(parent: QWidget, title: str, suggested: str, name_filter: str,
                  suffix: str) -> str | None:
    """A path to write, or None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(last_folder()) / suggested),
                                          name_filter)
    if not path:
        return None
    path = with_suffix(path, suffix)
    remember_folder(path)
    return path


def ask_open_path(parent: QWidget, title: str, name_filter: str) -> str | None:
    """A path to read, or None when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, last_folder(), name_filter)
    if not path:
        return None
    remember_folder(path)
    return path
