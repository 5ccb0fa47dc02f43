"""The main window: configuration on the left, the run's report on the right; only wiring."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QSplitter, QWidget

from loadgui.engine import Report
from loadgui.profile import DEFAULT_BASE_URL, Profile, ProfileError
from loadgui.ui.exports import Exports
from loadgui.ui.mock_control import MockControl
from loadgui.ui.profile_form import ProfileForm
from loadgui.ui.recent import RecentProfiles
from loadgui.ui.results_view import ResultsView
from loadgui.ui.run_controller import RunController
from loadgui.ui.run_status import RunStatus
from loadgui.ui.theme import STYLESHEET
from loadgui.ui.window_actions import Handlers, build_actions

JSON_FILTER = "loadgui profiles (*.json);;All files (*)"


class MainWindow(QMainWindow):
    runFinished = Signal(str)  # the run's final state: completed, stopped or failed

    def __init__(self, start_mock: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setStyleSheet(STYLESHEET)
        self.settings = QSettings()
        self.profile_path: Path | None = None
        self.dirty = False
        self._closing = False
        self._closed_cleanly = False
        self._dialogs: list[QMessageBox] = []
        self._shutdown: asyncio.Task[None] | None = None

        self.form = ProfileForm()
        self.results = ResultsView()
        # The views the tests and exports reach directly:
        self.dashboard = self.results.dashboard
        self.cluster_view = self.results.cluster_view
        self.summary = self.results.summary
        self.failures = self.results.failures
        self.banner = self.results.banner
        self.controller = RunController(self)
        self.mock = MockControl(self)
        self.status = RunStatus(self.statusBar())
        self.recent = RecentProfiles(self.settings, self.open_profile_path)
        self.exports = Exports(self, self.controller, self.dashboard, self.show_error,
                               self._folder)

        self._build_central()
        self._build_actions()
        self._connect()
        self._restore_settings()
        self._update_title()
        self._update_controls()
        if start_mock and self.settings.value("mock/enabled", True, type=bool):
            self.mock.set_on(True)

    # --- construction -----------------------------------------------------------------------
    def _build_central(self) -> None:
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(self.results)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 900])
        self.setCentralWidget(self.splitter)

    def _build_actions(self) -> None:
        actions = build_actions(self, Handlers(
            start=self.start_run, stop=self.stop_run, new=self.new_profile,
            open=self._open_dialog, open_example=self._open_example, save=self._save,
            save_as=self._save_as, export_csv=self.exports.csv_dialog,
            export_png=self.exports.png_dialog, export_json=self.exports.json_dialog,
            quit=self.close),
            self.recent.menu, (self.mock.toggle, self.mock.settings_button, self.mock.url_label))
        self.start_button, self.stop_button = actions.start_button, actions.stop_button
        self.export_csv_action, self.export_png_action = actions.export_csv, actions.export_png
        self.export_json_action = actions.export_json

    def _connect(self) -> None:
        self.form.changed.connect(self._profile_edited)
        self.form.validityChanged.connect(lambda _valid: self._update_controls())
        self.mock.urlChanged.connect(self._mock_url_changed)
        self.mock.clusterReport.connect(self.cluster_view.show_report)
        self.mock.busyChanged.connect(lambda _busy: self._update_controls())
        self.controller.report.connect(self._show_report)
        self.controller.finished.connect(self._run_finished)

    # --- running ----------------------------------------------------------------------------
    def start_run(self) -> None:
        if self.controller.running or not self.start_button.isEnabled():
            return
        try:
            profile = self.form.validated_profile()
        except ProfileError as exc:
            self.show_error("Cannot start", str(exc))
            return
        self.results.clear(profile.limits.duration)
        self.controller.start(profile)
        self.status.run_started()
        self._update_controls()

    def stop_run(self) -> None:
        self.controller.stop()

    def _show_report(self, report: Report) -> None:
        self.results.show_report(report)
        self.status.show_report(report)

    def _run_finished(self, state: str) -> None:
        self.status.run_finished(state)
        self._update_controls()
        self.runFinished.emit(state)

    def _update_controls(self) -> None:
        running = self.controller.running
        self.start_button.setEnabled(not running and self.form.is_valid()
                                     and not self.mock.busy)
        self.stop_button.setEnabled(running)
        self.form.set_editable(not running)
        has_data = self.controller.handle is not None
        self.export_csv_action.setEnabled(has_data)
        self.export_png_action.setEnabled(has_data)
        self.export_json_action.setEnabled(has_data)

    # --- mock server ------------------------------------------------------------------------
    def _mock_url_changed(self, url: str) -> None:
        if url and not self.controller.running:
            was_dirty = self.dirty
            self.form.set_base_url(url)
            self.dirty = was_dirty  # aiming at the mock is not an edit of the profile
            self._update_title()
        self._update_controls()

    # --- profiles ---------------------------------------------------------------------------
    def _profile_edited(self) -> None:
        self.dirty = True
        self._update_title()
        self._update_controls()

    def _update_title(self) -> None:
        name = self.profile_path.name if self.profile_path else "untitled"
        self.setWindowTitle(f"{name}{'*' if self.dirty else ''} — loadgui")

    def new_profile(self) -> None:
        if self.dirty and not self.ask_save_changes():
            return
        profile = Profile()
        if self.mock.url:
            profile.target.base_url = self.mock.url
        self.form.set_profile(profile)
        self.profile_path, self.dirty = None, False
        self._update_title()

    def load_profile(self, path: str | Path) -> Profile:
        """Read a profile into the form; raises ProfileError (the menu shows it)."""
        profile = Profile.read(path)
        self.form.set_profile(profile)
        self.profile_path, self.dirty = Path(path), False
        self.settings.setValue("profile/last", str(path))
        self.recent.add(str(path))
        self._update_title()
        return profile

    def save_profile(self, path: str | Path) -> None:
        """Write the form's profile as JSON; raises OSError (the menu shows it)."""
        self.form.profile().write(path)
        self.profile_path, self.dirty = Path(path), False
        self.settings.setValue("profile/last", str(path))
        self.recent.add(str(path))
        self._update_title()

    def open_profile_path(self, path: str | Path, example: bool = False) -> None:
        if self.dirty and not self.ask_save_changes():
            return
        try:
            profile = self.load_profile(path)
        except ProfileError as exc:
            self.show_error("Cannot open profile", str(exc))
            return
        if example:
            # Examples aim at the default address; with the mock on, aim at the mock instead.
            self.profile_path = None
            if self.mock.url and profile.target.base_url == DEFAULT_BASE_URL:
                self.form.set_base_url(self.mock.url)
            self.dirty = False
            self._update_title()

    def _open_example(self, path: Path) -> None:
        self.open_profile_path(path, example=True)

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open profile", self._folder(), JSON_FILTER)
        if path:
            self.open_profile_path(path)

    def _save(self) -> bool:
        if self.profile_path is None:
            return self._save_as()
        return self._save_to(self.profile_path)

    def _save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save profile", self._folder(), JSON_FILTER)
        return bool(path) and self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.save_profile(path)
        except OSError as exc:
            self.show_error("Cannot save profile", f"{path}: {exc.strerror or exc}")
            return False
        return True

    def _folder(self) -> str:
        last = str(self.settings.value("profile/last", "", type=str))
        return str(Path(last).parent) if last else str(Path.home())

    def ask_save_changes(self) -> bool:
        """True when it is fine to drop the unsaved changes (saved, or discarded)."""
        answer = QMessageBox.question(
            self, "Unsaved changes", "The profile has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self._save()
        return answer == QMessageBox.StandardButton.Discard

    # --- exports ----------------------------------------------------------------------------
    def export_csv(self, path: str | Path) -> asyncio.Task[bool]:
        """Write the run's rows off the GUI thread; the task's result is True on success."""
        return self.exports.export_csv(path)

    def export_json(self, path: str | Path) -> asyncio.Task[bool]:
        """Write the run's report (its documented JSON) off the GUI thread."""
        return self.exports.export_json(path)

    def export_png(self, path: str | Path) -> asyncio.Task[bool]:
        """Render the plots now, encode and write them off the GUI thread."""
        return self.exports.export_png(path)

    # --- messages, settings, closing --------------------------------------------------------
    def show_error(self, title: str, text: str) -> QMessageBox:
        """A window-modal message that does not block the event loop (for file errors; a
        run's failure shows in the banner above the plots)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self)
        box.setObjectName("errorDialog")
        box.finished.connect(lambda _r, b=box: self._dialogs.remove(b))
        self._dialogs.append(box)
        box.open()
        return box

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("mock/enabled", self.mock.toggle.isChecked())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed_cleanly:
            event.accept()
            return
        event.ignore()
        if self._closing:
            return
        if self.dirty and not self.ask_save_changes():
            return
        self._closing = True
        self._save_settings()
        self._shutdown = asyncio.ensure_future(self._shut_down_and_close())

    async def _shut_down_and_close(self) -> None:
        """Stop the run and the mock server, wait for both, then really close."""
        self.controller.stop()
        await self.controller.wait()
        await self.mock.shut_down()
        self.dashboard.cleanup()
        self._closed_cleanly = True
        self.close()
