"""File > Export: the run's rows as CSV, its report as JSON and the plots as PNG, written
off the GUI thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from loadgui.engine.export import write_csv, write_report
from loadgui.ui.run_controller import RunController


class Exports:
    def __init__(self, window: QMainWindow, controller: RunController, plots: QWidget,
                 show_error: Callable[[str, str], object], folder: Callable[[], str]):
        self.window = window
        self.controller = controller
        self.plots = plots
        self.show_error = show_error
        self.folder = folder

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
        """Render the plots now (GUI thread), encode and write them off the GUI thread."""
        image = self.plots.grab().toImage()

        def save() -> None:
            if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # str works
                raise OSError(f"could not write {path}")

        return asyncio.ensure_future(
            self._export("PNG", path, save if self.controller.handle is not None else None))

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

    def csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export CSV", self.folder(),
                                              "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def json_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export report as JSON",
                                              self.folder(), "JSON (*.json)")
        if path:
            self.export_json(path)

    def png_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export PNG", self.folder(),
                                              "PNG image (*.png)")
        if path:
            self.export_png(path)
