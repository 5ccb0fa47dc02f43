"""File > Export: the run's rows as CSV, its report as JSON, its plots as PNG and, once it
is in the run store, its HTML report; written off the GUI thread. The run is the one shown:
a stored run opened from the history (`stored`), else the window's own.

The PNG is report_png's picture of the report (plots only, a title line, 2× pixels): Qt
draws it on the GUI thread, and the encoding and writing go to a worker thread.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QMainWindow

from loadgui.engine import Report
from loadgui.engine.export import write_csv_batches, write_report
from loadgui.profile import Profile
from loadgui.store import StoredRun, StoreError
from loadgui.ui.file_dialogs import ask_save_path
from loadgui.ui.report_png import render_report_image
from loadgui.ui.run_controller import RunController


class Exports:
    def __init__(self, window: QMainWindow, controller: RunController,
                 show_error: Callable[[str, str], object], name: Callable[[], str],
                 profile: Callable[[], Profile]):
        self.window = window
        self.controller = controller
        self.show_error = show_error
        self.name = name  # the profile's name, for titles and suggested file names
        self.profile = profile  # the profile of the run shown
        self.started = datetime.now()  # of the run shown: suggested names carry it
        self.stored: StoredRun | None = None  # a run opened from the history, shown
        self.run_id: int | None = None  # the run shown's id in the run store, once there

    def available(self) -> tuple[bool, bool]:
        """(a run to export, a stored run for the HTML report)."""
        return (self.stored is not None or self.controller.handle is not None,
                self.run_id is not None)

    def _report(self) -> Report | None:
        if self.stored is not None:
            return self.stored.report
        handle = self.controller.handle
        return handle.report() if handle is not None else None

    def export_csv(self, path: str | Path) -> asyncio.Task[bool]:
        """Write the run's rows off the GUI thread; the task's result is True on success."""
        handle, stored = self.controller.handle, self.stored
        write: Callable[[], object] | None = None
        if stored is not None:  # its rows are read from the store, in the worker too

            def write() -> object:  # chunk by chunk: a long run's rows need not fit
                return write_csv_batches(stored.batches(), path, stored.labels)

        elif handle is not None:
            recorder = handle.recorder
            # The rows recorded so far, taken now: later rows are not written.
            batches, labels = recorder.batches(), dict(recorder.labels)

            def write() -> object:
                return write_csv_batches(batches, path, labels)

        return asyncio.ensure_future(self._export("CSV", path, write))

    def export_json(self, path: str | Path) -> asyncio.Task[bool]:
        """Write the run's report as JSON (final once the run has ended) off the GUI thread."""
        report = self._report()
        write: Callable[[], object] | None = None
        if report is not None:

            def write() -> object:
                write_report(report, path)
                return None

        return asyncio.ensure_future(self._export("JSON", path, write))

    def export_png(self, path: str | Path) -> asyncio.Task[bool]:
        """Draw the report's picture now (GUI thread), encode and write it off it."""
        report, stored = self._report(), self.stored
        write: Callable[[], object] | None = None
        if report is not None:
            profile = stored.profile if stored is not None else None
            image = render_report_image(report, profile or self.profile(), name=self.title())

            def write() -> object:
                if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # str
                    raise OSError(f"cannot write PNG to {path}")
                return None

        return asyncio.ensure_future(self._export("PNG", path, write))

    def export_html(self, path: str | Path) -> asyncio.Task[bool]:
        """Write the run's HTML report (`loadgui report`'s) from the store, off the GUI thread."""
        run_id, stored = self.run_id, self.stored
        write: Callable[[], object] | None = None
        if run_id is not None:

            def write() -> object:
                from loadgui.report_html import write_html
                from loadgui.store import RunStore

                return write_html(path, stored or RunStore.open().open_run(run_id))

        return asyncio.ensure_future(self._export(
            "HTML", path, write, "the run is not in the run store yet (it is kept when it ends)"))

    async def _export(self, kind: str, path: str | Path, write: Callable[[], object] | None,
                      missing: str = "there is no run to export yet") -> bool:
        try:
            if write is None:
                raise OSError(missing)
            await asyncio.get_running_loop().run_in_executor(None, write)
        except (OSError, StoreError) as exc:
            why = getattr(exc, "strerror", None) or exc
            self.show_error(f"Export {kind}", f"Could not export to {path}: {why}. "
                            "The run's data is kept; try another place.")
            return False
        self.window.statusBar().showMessage(f"Exported {kind} to {path}", 5000)
        return True

    def title(self) -> str:
        """The run's name: its profile's (a stored run's name may be its target URL)."""
        return self.stored.info.name if self.stored is not None else self.name()

    def suggested(self, what: str, suffix: str) -> str:
        """e.g. "mock-smoke-test-2026-05-01-1412-report.json"."""
        stem = re.sub(r"[^\w.]+", "-", self.title().lower()).strip("-.") or "loadgui"
        return f"{stem}-{self.started:%Y-%m-%d-%H%M}{what}{suffix}"

    def csv_dialog(self) -> asyncio.Task[bool] | None:
        path = ask_save_path(self.window, "Export CSV", self.suggested("", ".csv"),
                             "CSV (*.csv)", ".csv")
        return self.export_csv(path) if path is not None else None

    def json_dialog(self) -> asyncio.Task[bool] | None:
        path = ask_save_path(self.window, "Export report as JSON",
                             self.suggested("-report", ".json"), "JSON (*.json)", ".json")
        return self.export_json(path) if path is not None else None

    def html_dialog(self) -> asyncio.Task[bool] | None:
        path = ask_save_path(self.window, "Export HTML report",
                             self.suggested("-report", ".html"), "HTML (*.html)", ".html")
        return self.export_html(path) if path is not None else None

    def png_dialog(self) -> asyncio.Task[bool] | None:
        path = ask_save_path(self.window, "Export PNG", self.suggested("-plots", ".png"),
                             "PNG image (*.png)", ".png")
        return self.export_png(path) if path is not None else None
