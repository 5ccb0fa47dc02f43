"""The run history in the window: the History page, opening a stored run into the plots,
the Compare page, and sharing runs as files. Every store call runs in a worker thread.

The right side of the window is a stack of three pages: the run's plots, the history and a
comparison. At 1024×700 the plots have no pixel to spare and the form needs its width, so
the history and the comparison take the plots' place while shown rather than a part of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from loadgui.store import RunInfo, StoredRun, StoreError
from loadgui.ui import history_store as store
from loadgui.ui.compare_view import CompareView
from loadgui.ui.history_bar import StoredBar
from loadgui.ui.history_files import HistoryFiles
from loadgui.ui.history_naming import HistoryNaming
from loadgui.ui.history_rows import previous_of, run_label, stored_caption, when
from loadgui.ui.history_store import Comparison, in_worker, shown_if_refused
from loadgui.ui.history_view import HistoryView

if TYPE_CHECKING:
    from loadgui.ui.main_window import MainWindow
    from loadgui.ui.window_actions import WindowActions

T = TypeVar("T")
MESSAGE_MS = 8000


class RunHistory(QObject):
    """`stored` is the run opened from the history while the plots show it; `shown_id` the
    store's id of the run the plots show (opened, or the window's own once saved)."""

    changed = Signal()  # what Start and the exports can do changed

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.results = window.results
        self.view = HistoryView()
        self.compare = CompareView()
        self.bar = StoredBar()
        self.results.add_bar(self.bar)
        self.pages = QStackedWidget()
        self.pages.setObjectName("resultPages")
        for page in (self.results, self.view, self.compare):
            self.pages.addWidget(page)
        self.stored: StoredRun | None = None
        self.shown_id: int | None = None
        self.runs: list[RunInfo] = []
        self.comparison: Comparison | None = None
        self.actions: WindowActions | None = None
        self._back: QWidget = self.results  # where closing the comparison goes
        self._listing = 0  # the latest refresh: an older one finishing later is dropped
        self._tasks: set[asyncio.Task[Any]] = set()

        self.view.openRequested.connect(self.open_run)
        self.view.compareRequested.connect(self.compare_runs)
        self.sharing = HistoryFiles(self)  # delete, export, import
        self.view.exportRequested.connect(self.sharing.export_dialog)
        self.view.deleteRequested.connect(self.sharing.ask_delete)
        self.view.importRequested.connect(self.sharing.import_dialog)
        self.naming = HistoryNaming(self)  # rename, tags
        self.view.renameRequested.connect(self.naming.ask_rename)
        self.view.tagsRequested.connect(self.naming.ask_tags)
        self.compare.closed.connect(lambda: self.pages.setCurrentWidget(self._back))
        self.pages.currentChanged.connect(lambda _index: self._update_actions())
        window.controller.started.connect(self._live_run)
        window.controller.saved.connect(self._saved)

    def attach(self, actions: WindowActions) -> None:
        self.actions = actions
        self._update_actions()
        self.refresh()

    # --- pages -------------------------------------------------------------------------------
    def toggle(self) -> None:
        """View > History: the history page, or back to the plots."""
        self.show_history(self.pages.currentWidget() is not self.view)

    def show_history(self, shown: bool = True) -> None:
        self.pages.setCurrentWidget(self.view if shown else self.results)
        if shown:
            self.refresh()
            self.view.list.setFocus()

    def _update_actions(self) -> None:
        if self.actions is None:
            return
        on_history = self.pages.currentWidget() is self.view
        self.actions.history.setChecked(on_history)
        self.actions.history_button.setChecked(on_history)
        previous = self.previous()
        if previous is not None:
            tip = (f"Compare the run shown (B, run {self.shown_id}) with {run_label(previous)}"
                   f", the last run of its profile before it (A) (Ctrl+Shift+D)")
        elif self.shown_id is None:
            tip = "Run, or open a stored run, first: then compare it with the run before it"
        else:
            tip = f"No earlier run of this profile is stored to compare run {self.shown_id} with"
        for item in (self.actions.compare_last, self.actions.compare_last_button):
            item.setEnabled(previous is not None)
            item.setToolTip(tip)
        self.actions.compare_last.setStatusTip(tip)

    def previous(self) -> RunInfo | None:
        """The last run of the shown run's profile before it, when the history has one."""
        return None if self.shown_id is None else previous_of(self.runs, self.shown_id)

    # --- the store, in worker threads ----------------------------------------------------------
    def spawn(self, coroutine: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run a coroutine of store calls; `idle()` waits for every one."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def idle(self) -> None:
        """Until every store call under way has ended (tests, benchmarks)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def refresh(self) -> asyncio.Task[list[RunInfo]]:
        return self.spawn(self.relist())

    async def relist(self) -> list[RunInfo]:
        """List the runs again; a listing started earlier and finishing later is dropped."""
        self._listing += 1
        number = self._listing
        try:
            listing = await in_worker(store.list_runs)
        except StoreError as exc:
            self.view.set_note(str(exc))
            return self.runs
        if number != self._listing:
            return listing.runs
        self.runs = listing.runs
        if listing.runs != self.view.runs:  # else the list keeps its scroll position
            # The verdicts read with the runs (kept as they were when unreadable).
            self.view.show_runs(listing.runs, self.view.verdicts if listing.verdicts is None
                                else listing.verdicts)
        if listing.notices:
            self.view.set_note("; ".join(listing.notices))
        if self.shown_id is not None and all(run.id != self.shown_id for run in self.runs):
            self._forget_shown()  # removed, here or by another program
        self._update_actions()
        return listing.runs

    def open_run(self, run_id: int) -> asyncio.Task[bool] | None:
        """Show a stored run in the plots (read-only) and its profile in the form."""
        if self.window.controller.running:
            self.window.statusBar().showMessage(
                f"Can't open run {run_id}: a run is going; Stop it first", MESSAGE_MS)
            return None
        if self.window.files.dirty and not self.window.files.ask_save_changes():
            return None  # the form's unsaved profile stays
        return self.spawn(self._open(run_id))

    async def _open(self, run_id: int) -> bool:
        run = await shown_if_refused(self.window.show_error, "Cannot open run",
                                     store.open_run, run_id)
        if run is None or self.window.controller.running:  # started while the run was read
            return False
        self._show_stored(run)
        return True

    def _show_stored(self, run: StoredRun) -> None:
        window, info = self.window, run.info
        self.stored, self.shown_id = run, info.id
        exports = window.exports
        exports.stored, exports.run_id, exports.started = run, info.id, info.started
        if run.profile is not None:
            window.files.dirty = False  # asked already, in open_run
            window.files.new()
            window.form.set_profile(run.profile)
            window.form.set_info(f"<b>The profile of stored run {info.id}</b> "
                                 f"({when(info)}): Run again runs it anew, Save keeps it.")
        self.results.clear(run.report.elapsed)
        self.results.show_report(run.report)
        self.bar.show_run(run)
        self.results.fit()
        window.status.show_report(run.report)
        window.status.state.setText(stored_caption(info))
        self.pages.setCurrentWidget(self.results)
        self.changed.emit()
        self._update_actions()

    def _live_run(self) -> None:
        files = self.window.files
        if self.stored is not None and files.path is None and files.example is None:
            # Run again: the new run joins the history of the run it was run again from.
            self.window.controller.name = self.stored.info.name
        self._leave_stored()
        self.shown_id = self.window.exports.run_id = None
        self.pages.setCurrentWidget(self.results)
        self.changed.emit()
        self._update_actions()

    def _leave_stored(self) -> None:
        if self.stored is not None and self.stored.profile is not None:
            self.window.form.set_info("")
        self.stored = self.window.exports.stored = None
        self.bar.clear()
        self.results.fit()

    def _saved(self, run_id: int) -> None:
        self.window.statusBar().showMessage(
            f"Saved as run {run_id} (loadgui runs show {run_id})", MESSAGE_MS)
        if self.stored is None:  # not a stored run opened while the window's was saved
            self.shown_id = self.window.exports.run_id = run_id
            self.changed.emit()
        self.refresh()

    def _forget_shown(self) -> None:
        """The run shown was removed from the store: nothing left to open, export or compare."""
        if self.stored is not None:
            self._leave_stored()
            self.results.clear()
            self.window.status.state.setText("ready")
            self.window.status.figures.setText("")
        self.shown_id = self.window.exports.run_id = None
        self.changed.emit()

    def compare_runs(self, a_id: int, b_id: int) -> asyncio.Task[bool]:
        """Open the compare page: run B against run A."""
        return self.spawn(self._compare(a_id, b_id))

    async def _compare(self, a_id: int, b_id: int) -> bool:
        comparison = await shown_if_refused(self.window.show_error, "Cannot compare runs",
                                            store.compare, a_id, b_id)
        if comparison is None:
            return False
        self.comparison = comparison
        current = self.pages.currentWidget()
        if current is self.results or current is self.view:
            self._back = current
        self.compare.show_comparison(comparison)
        self.pages.setCurrentWidget(self.compare)
        return True

    def compare_last(self) -> asyncio.Task[bool] | None:
        """The run shown (B) against the last run of its profile before it (A): one click."""
        previous = self.previous()
        if previous is None or self.shown_id is None:
            self._update_actions()
            if self.actions is not None:
                self.window.statusBar().showMessage(self.actions.compare_last.toolTip(),
                                                    MESSAGE_MS)
            return None
        return self.compare_runs(previous.id, self.shown_id)
