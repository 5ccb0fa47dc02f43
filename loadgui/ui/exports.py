"""File > Export: the run's rows as CSV, its report as JSON and its plots as PNG, written
off the GUI thread.

The PNG is report_png's picture of the report (plots only, a title line, 2× pixels): Qt
draws it on the GUI thread, and the encoding and writing go to a worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QMainWindow

from loadgui.engine.export import write_csv, write_report
from loadgui.profile import Profile
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

    def export_csv(self, path: str | Path) -> asyncio.Task[bool]:
        """Write the run's rows off the GUI thread; the task's result is True on success."""
        handle = self.controller.handle
        write: Callable[[], object] | None = None
        if handle is not None:
            recorder = handle.recorder
            # Views of the rows recorded so far, taken now: later rows are not written.
            columns, labels = recorder.columns(), dict(recorder.labels)
            messages = list(recorder.messages)

            def write() -> object:
                return write_csv(columns, path, labels, messages=messages)

        return asyncio.ensure_future(self._export("CSV", path, write))

    def export_json(self, path: str | Path) -> asyncio.Task[bool]:
        """Write the run's report as JSON (final once the run has ended) off the GUI thread."""
        handle = self.controller.handle
        write: Callable[[], object] | None = None
        if handle is not None:
            report = handle.report()

            def write() -> object:
                write_report(report, path)
                return None

        return asyncio.ensure_future(self._export("JSON", path, write))

    def export_png(self, path: str | Path) -> asyncio.Task[bool]:
        """Draw the report's picture now (GUI thread), encode and write it off it."""
        handle = self.controller.handle
        write: Callable[[], object] | None = None
        if handle is not None:
            image = render_report_image(handle.report(), self.profile(), name=self.name())

            def write() -> object:
                if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # str
                    raise OSError(f"cannot write PNG to {path}")
                return None

        return asyncio.ensure_future(self._export("PNG", path, write))

    async def _export(self, kind: str, path: str | Path,
                      write: Callable[[], object] | None) -> bool:
        try:
            if write is None:
                raise OSError("there is no run to export yet")
            await asyncio.get_running_loop().run_in_executor(None, write)
        except OSError as exc:
            self.show_error(f"Export {kind}", f"Could not export to {path}: "
                            f"{exc.strerror or exc}. The run's data is kept; try another place.")
            return False
        self.window.statusBar().showMessage(f"Exported {kind} to {path}", 5000)
        return True

    def suggested(self, what: str, suffix: str) -> str:
        """e.g. "mock-smoke-test-2026-05-01-1412-report.json"."""
        stem = self.name().lower().replace(" ", "-") or "loadgui"
        return f"{stem}-{self.started:%Y-%m-%d-%H%M}{what}{suffix}"

    def csv_dialog(self) -> asyncio.Task[bool] | None:
        path = ask_save_path(self.window, "Export CSV", self.suggested("", ".csv"),
                             "CSV (*.csv)", ".csv")
        return self.export_csv(path) if path is not None else None

    def json_dialog(self) -> asyncio.Task[bool] | None:
        path = ask_save_path(self.window, "Export report as JSON",
                             self.suggested("-report", ".json"), "JSON (*.json)", ".json")
        return self.export_json(path) if path is not None else None

    def png_dialog(self) -> asyncio.Task[bool] | None:
        path = ask_save_path(self.window, "Export PNG", self.suggested("-plots", ".png"),
                             "PNG image (*.png)", ".png")
        return self.export_png(path) if path is not None else None
