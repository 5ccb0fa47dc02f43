"""The history page's Rename… and Tags…: a small window-modal input dialog (opened, not
exec'd: the loop goes on), then the store call in a worker thread and the list again."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from loadgui.store import RunInfo
from loadgui.ui import history_store as store
from loadgui.ui.history_store import shown_if_refused

if TYPE_CHECKING:
    from loadgui.ui.history_window import RunHistory

MESSAGE_MS = 8000


def parse_tags(text: str) -> list[str]:
    """"nightly, release v2" as ["nightly", "release", "v2"]: spaces or commas part them."""
    return [tag for tag in re.split(r"[\s,]+", text) if tag]


class HistoryNaming:
    def __init__(self, history: RunHistory):
        self.history = history
        self.window = history.window

    def _known(self, run_id: int) -> RunInfo | None:
        return next((run for run in self.history.runs if run.id == run_id), None)

    def _ask(self, name: str, title: str, label: str, text: str) -> QInputDialog:
        dialog = QInputDialog(self.window)
        dialog.setObjectName(name)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.open()
        return dialog

    def ask_rename(self, run_id: int) -> QInputDialog:
        info = self._known(run_id)
        dialog = self._ask("renameRunDialog", "Rename run", f"New name of run {run_id}:",
                           info.name if info else "")
        dialog.textValueSelected.connect(lambda name: self.rename(run_id, name))
        return dialog

    def ask_tags(self, run_id: int) -> QInputDialog:
        info = self._known(run_id)
        dialog = self._ask("tagRunDialog", "Tag run",
                           f"Tags of run {run_id} (separated by spaces or commas):",
                           " ".join(info.tags) if info else "")
        dialog.textValueSelected.connect(lambda text: self.set_tags(run_id, parse_tags(text)))
        return dialog

    def rename(self, run_id: int, name: str) -> asyncio.Task[RunInfo | None]:
        return self.history.spawn(self._change("Rename run", store.rename, run_id, name))

    def set_tags(self, run_id: int, tags: list[str]) -> asyncio.Task[RunInfo | None]:
        return self.history.spawn(self._change("Tag run", store.set_tags, run_id, tags))

    async def _change(self, title: str, call: Callable[..., RunInfo], run_id: int,
                      value: str | list[str]) -> RunInfo | None:
        info = await shown_if_refused(self.window.show_error, title, call, run_id, value)
        if info is None:
            return None
        await self.history.relist()
        self.history.view.select([info.id])
        tags = f" [{', '.join(info.tags)}]" if info.tags else ""
        self.window.statusBar().showMessage(f"Run {info.id} is now {info.name}{tags}",
                                            MESSAGE_MS)
        return info
