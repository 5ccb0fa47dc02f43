"""File > Open Recent, kept in QSettings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import cast

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

from loadgui.ui.examples import example_at

MAX_RECENT = 8


class RecentProfiles:
    def __init__(self, settings: QSettings, open_path: Callable[[str], None]):
        self._settings = settings
        self._open = open_path
        self.menu = QMenu("Open &Recent")
        self.menu.setObjectName("recentMenu")
        self._rebuild()

    def paths(self) -> list[str]:
        value: object = self._settings.value("profile/recent", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        paths = [str(v) for v in cast("Iterable[object]", value or [])]  # a list, or None
        return [p for p in paths if example_at(p) is None]  # examples never belong here

    def add(self, path: str) -> None:
        if example_at(path) is not None:
            return
        path = str(Path(path).resolve())
        paths = [path, *[p for p in self.paths() if p != path]][:MAX_RECENT]
        self._settings.setValue("profile/recent", paths)
        self._rebuild()

    def _rebuild(self) -> None:
        self.menu.clear()
        for path in self.paths():
            self.menu.addAction(path, partial(self._open, path))
        self.menu.setEnabled(bool(self.paths()))
