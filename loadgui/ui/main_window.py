"""The main window: configuration on the left, live plots and summary on the right."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QWidget,
)

from loadgui.engine import Snapshot
from loadgui.engine.export import write_csv
from loadgui.engine.stats.breakdown import breakdowns
from loadgui.engine.stats.series import series_of
from loadgui.profile import DEFAULT_BASE_URL, Profile, ProfileError
from loadgui.resources import example_profiles
from loadgui.ui.cluster_view import ClusterView
from loadgui.ui.dashboard import Dashboard
from loadgui.ui.mock_control import MockControl
from loadgui.ui.profile_form import ProfileForm
from loadgui.ui.recent import RecentProfiles
from loadgui.ui.run_controller import RunController
from loadgui.ui.run_status import RunStatus
from loadgui.ui.summary_table import SummaryTable
from loadgui.ui.theme import STYLESHEET

JSON_FILTER = "loadgui profiles (*.json);;All files (*)"
BREAKDOWN_EVERY = 5  # snapshots (at 10 Hz) between per-request/per-target table updates


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
        self._scopes: list[tuple[str, int]] = []  # the dashboard's scopes after "All"
        self._frames = 0
        self._scope_cache = None  # the selected scope's series, refreshed at 2 Hz

        self.form = ProfileForm()
        self.dashboard = Dashboard()
        self.cluster_view = ClusterView()
        self.summary = SummaryTable()
        self.controller = RunController(self)
        self.mock = MockControl(self)
        self.status = RunStatus(self.statusBar())
        self.recent = RecentProfiles(self.settings, self.open_profile_path)

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
        right = QSplitter(Qt.Orientation.Vertical, objectName="plotSplitter")
        right.addWidget(self.dashboard)
        right.addWidget(self.cluster_view)
        right.addWidget(self.summary)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 0)
        right.setStretchFactor(2, 0)
        right.setSizes([620, 200, 110])
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 900])
        self.setCentralWidget(self.splitter)

    def _build_actions(self) -> None:
        self.start_button = QPushButton("▶  Start", objectName="startButton")
        self.start_button.setShortcut(QKeySequence("Ctrl+R"))
        self.start_button.setToolTip("Start the run (Ctrl+R)")
        self.start_button.clicked.connect(self.start_run)
        self.stop_button = QPushButton("■  Stop", objectName="stopButton")
        self.stop_button.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.stop_button.setToolTip("Stop the run and keep its data (Esc)")
        self.stop_button.clicked.connect(self.stop_run)

        toolbar = self.addToolBar("Run")
        toolbar.setObjectName("runToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.start_button)
        toolbar.addWidget(self.stop_button)
        toolbar.addSeparator()
        toolbar.addWidget(self.mock.toggle)
        toolbar.addWidget(self.mock.settings_button)
        toolbar.addWidget(self.mock.url_label)

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction("&New", QKeySequence.StandardKey.New, self.new_profile)
        file_menu.addAction("&Open…", QKeySequence.StandardKey.Open, self._open_dialog)
        file_menu.addMenu(self.recent.menu)
        examples = file_menu.addMenu("&Examples")
        for path in example_profiles():
            examples.addAction(path.stem.replace("-", " "),
                               lambda p=path: self.open_profile_path(p, example=True))
        file_menu.addAction("&Save", QKeySequence.StandardKey.Save, self._save)
        file_menu.addAction("Save &As…", QKeySequence("Ctrl+Shift+S"), self._save_as)
        file_menu.addSeparator()
        self.export_csv_action = file_menu.addAction("Export &CSV…", self._export_csv_dialog)
        self.export_png_action = file_menu.addAction("Export &PNG…", self._export_png_dialog)
        file_menu.addSeparator()
        file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.close)
        run_menu = self.menuBar().addMenu("&Run")
        run_menu.addAction("Start", self.start_run)
        run_menu.addAction("Stop", self.stop_run)

    def _connect(self) -> None:
        self.form.changed.connect(self._profile_edited)
        self.form.validityChanged.connect(lambda _valid: self._update_controls())
        self.mock.urlChanged.connect(self._mock_url_changed)
        self.mock.clusterReport.connect(self.cluster_view.show_report)
        self.mock.busyChanged.connect(lambda _busy: self._update_controls())
        self.controller.snapshot.connect(self._show_snapshot)
        self.controller.finished.connect(self._run_finished)
        self.dashboard.scope.currentIndexChanged.connect(self._scope_changed)

    # --- running ----------------------------------------------------------------------------
    def start_run(self) -> None:
        if self.controller.running or not self.start_button.isEnabled():
            return
        try:
            profile = self.form.validated_profile()
        except ProfileError as exc:
            self.show_error("Cannot start", str(exc))
            return
        self.dashboard.clear(profile.limits.duration)
        self.summary.clear_rows()
        run = self.controller.start(profile)
        labels = run.recorder.labels
        self._scopes = [(kind, i) for kind in ("request", "target") if len(labels[kind]) > 1
                        for i in range(len(labels[kind]))]
        self.dashboard.set_scopes([f"{kind}: {labels[kind][i]}" for kind, i in self._scopes])
        self._frames = 0
        self._scope_cache = None
        self.status.run_started(profile)
        self._update_controls()

    def stop_run(self) -> None:
        self.controller.stop()

    def _show_snapshot(self, snapshot: Snapshot) -> None:
        self._frames += 1
        run = self.controller.run
        # Per-request and per-target figures, and the selected scope's series, cost O(rows):
        # they are refreshed twice a second and at the end; the frames between reuse them.
        if not self.controller.running or self._frames % BREAKDOWN_EVERY == 0:
            self.summary.show_breakdowns(breakdowns(run.recorder), snapshot.elapsed)
            self._scope_cache = self._scope_series(run, snapshot.elapsed)
        self.dashboard.show_snapshot(snapshot, self._scope_cache)
        self.summary.show_snapshot(snapshot)
        self.status.show(snapshot, run)

    def _scope_changed(self) -> None:
        run = self.controller.run
        if run is None:
            return
        self._scope_cache = self._scope_series(run, run.elapsed)
        if not self.controller.running:
            self._show_snapshot(run.snapshot())  # no more ticks will come

    def _scope_series(self, run, elapsed: float):
        """The series of the dashboard's selected request or target, or None for all."""
        index = self.dashboard.scope.currentIndex() - 1
        if index < 0 or run is None:
            return None
        kind, number = self._scopes[index]
        columns = run.recorder.columns()
        return series_of(columns, columns[kind] == number, run.recorder.interval, elapsed)

    def _run_finished(self, state: str) -> None:
        self.status.run_finished(state, self.controller.run)
        self._update_controls()
        if self.controller.run.error:
            self.show_error("The run failed", self.controller.run.error)
        self.runFinished.emit(state)

    def _update_controls(self) -> None:
        running = self.controller.running
        self.start_button.setEnabled(not running and self.form.is_valid()
                                     and not self.mock.busy)
        self.stop_button.setEnabled(running)
        self.form.set_editable(not running)
        has_data = self.controller.run is not None
        self.export_csv_action.setEnabled(has_data)
        self.export_png_action.setEnabled(has_data)

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
        last = self.settings.value("profile/last", "", type=str)
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
    def export_csv(self, path: str | Path) -> asyncio.Task:
        """Write the run's rows off the GUI thread; the task's result is True on success."""
        run = self.controller.run
        columns = run.recorder.columns() if run else None
        labels = run.recorder.labels if run else None
        return asyncio.ensure_future(self._export(
            "CSV", path, lambda: write_csv(columns, path, labels) if columns is not None else None))

    def export_png(self, path: str | Path) -> asyncio.Task:
        """Render the dashboard now (GUI thread), encode and write it off the GUI thread."""
        image = self.dashboard.grab().toImage()

        def save() -> None:
            if not image.save(str(path), "PNG"):
                raise OSError(f"could not write {path}")

        return asyncio.ensure_future(self._export("PNG", path, save))

    async def _export(self, kind: str, path: str | Path, write) -> bool:
        try:
            if self.controller.run is None:
                raise OSError("there is no run to export yet")
            await asyncio.get_running_loop().run_in_executor(None, write)
        except OSError as exc:
            self.show_error(f"Export {kind}", f"Could not export to {path}: "
                            f"{exc.strerror or exc}. The run's data is kept; try another place.")
            return False
        self.statusBar().showMessage(f"Exported {kind} to {path}", 5000)
        return True

    def _export_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export CSV", self._folder(),
                                              "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def _export_png_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export PNG", self._folder(),
                                              "PNG image (*.png)")
        if path:
            self.export_png(path)

    # --- messages, settings, closing --------------------------------------------------------
    def show_error(self, title: str, text: str) -> QMessageBox:
        """A window-modal message that does not block the event loop."""
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
