"""The history page's removing and sharing: delete runs (after asking), export one to a
`.loadgui-run` file, import one. The store calls run in worker threads."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from loadgui.store import ARCHIVE_SUFFIX, RunInfo, StoreError
from loadgui.ui import history_store as store
from loadgui.ui.file_dialogs import ask_open_path, ask_save_path
from loadgui.ui.history_store import in_worker, shown_if_refused

if TYPE_CHECKING:
    from loadgui.ui.history_window import RunHistory

MESSAGE_MS = 8000
RUN_FILTER = f"loadgui runs (*{ARCHIVE_SUFFIX});;All files (*)"


class HistoryFiles:
    def __init__(self, history: RunHistory):
        self.history = history
        self.window = history.window

    def ask_delete(self, run_ids: list[int]) -> QMessageBox:
        """Ask first (window-modal, the loop goes on); Delete removes them."""
        names = {run.id: run for run in self.history.runs}
        what = (f"run {run_ids[0]} ({names[run_ids[0]].name})"
                if len(run_ids) == 1 and run_ids[0] in names else f"{len(run_ids)} runs")
        box = QMessageBox(QMessageBox.Icon.Question, "Delete runs",
                          f"Delete {what} from the history? Its attempts and report are "
                          "removed from this machine.", QMessageBox.StandardButton.Cancel,
                          self.window)
        box.setObjectName("deleteRunsDialog")
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.finished.connect(lambda _r: box.clickedButton() is delete and self.delete(run_ids))
        box.open()
        return box

    def delete(self, run_ids: list[int]) -> asyncio.Task[list[str]]:
        return self.history.spawn(self._delete(list(run_ids)))

    async def _delete(self, run_ids: list[int]) -> list[str]:
        try:
            problems = await in_worker(store.remove, run_ids)
        except StoreError as exc:
            problems = [str(exc)]
        if problems:
            self.window.show_error("Delete runs", "\n".join(problems))
        await self.history.relist()
        return problems

    def export_dialog(self, run_id: int) -> asyncio.Task[bool] | None:
        path = ask_save_path(self.window, "Export run", f"loadgui-run-{run_id}{ARCHIVE_SUFFIX}",
                             RUN_FILTER, ARCHIVE_SUFFIX)
        return self.export_run(run_id, path) if path is not None else None

    def export_run(self, run_id: int, path: str) -> asyncio.Task[bool]:
        return self.history.spawn(self._export(run_id, path))

    async def _export(self, run_id: int, path: str) -> bool:
        written = await shown_if_refused(self.window.show_error, "Export run",
                                         store.export_run, run_id, path)
        if written is None:
            return False
        self.window.statusBar().showMessage(f"Exported run {run_id} to {written}", MESSAGE_MS)
        return True

    def import_dialog(self) -> asyncio.Task[RunInfo | None] | None:
        path = ask_open_path(self.window, "Import run", RUN_FILTER)
        return self.import_run(path) if path is not None else None

    def import_run(self, path: str) -> asyncio.Task[RunInfo | None]:
        return self.history.spawn(self._import(path))

    async def _import(self, path: str) -> RunInfo | None:
        info = await shown_if_refused(self.window.show_error, "Import run", store.import_run,
                                      path)
        if info is None:
            return None
        await self.history.relist()
        self.history.view.select([info.id])
        self.window.statusBar().showMessage(
            f"Imported {path} as run {info.id} ({info.name})", MESSAGE_MS)
        return info
