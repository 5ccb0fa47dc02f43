"""The main window: configuration on the left, the run's report on the right; only wiring."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QSplitter, QWidget

from loadgui.engine import Report
from loadgui.profile import Profile, ProfileError
from loadgui.profile_http import MOCK_BASE_URL
from loadgui.ui.about import readme_markdown, show_about, show_readme
from loadgui.ui.examples import examples
from loadgui.ui.exports import Exports
from loadgui.ui.form_check import as_saved
from loadgui.ui.history_window import RunHistory
from loadgui.ui.mock_control import MockControl
from loadgui.ui.profile_files import ProfileFiles
from loadgui.ui.profile_form import ProfileForm
from loadgui.ui.results_view import ResultsView
from loadgui.ui.run_controller import RunController
from loadgui.ui.run_status import RunStatus
from loadgui.ui.theme import STYLESHEET
from loadgui.ui.window_actions import Handlers, build_actions

try:  # File > Import and Edit > Copy as cURL, when that module is there
    from loadgui.ui.import_dialogs import add_import_actions
except ImportError:  # pragma: no cover - depends on what is installed
    add_import_actions = None  # type: ignore[assignment]

MESSAGE_MS = 8000


class MainWindow(QMainWindow):
    runFinished = Signal(str)  # the run's final state: completed, stopped or failed

    def __init__(self, start_mock: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setStyleSheet(STYLESHEET)
        self.settings = QSettings()
        self._closing = False
        self._closed_cleanly = False
        self._dialogs: list[QMessageBox] = []
        self._shutdown: asyncio.Task[None] | None = None
        self._run_profile: Profile | None = None  # the profile of the run shown

        self.form = ProfileForm()
        self.results = ResultsView()
        # The views the tests and exports reach directly:
        self.dashboard = self.results.dashboard
        self.cluster_view = self.results.cluster_view
        self.summary = self.results.summary
        self.failures = self.results.failures
        self.banner = self.results.banner
        self.histogram = self.results.histogram
        self.controller = RunController(self)
        self.mock = MockControl(self)
        self.status = RunStatus(self.statusBar())
        self.files = ProfileFiles(self, self.form, self.settings, self.show_error)
        self.recent = self.files.recent
        self.exports = Exports(self, self.controller, self.show_error, self.files.name,
                               lambda: self._run_profile or self.form.profile())
        self.history = RunHistory(self)  # the right side's pages: plots, history, compare

        self._build_central()
        self._build_actions()
        self._connect()
        self._restore_settings()
        if start_mock and self.settings.value("mock/enabled", True, type=bool):
            self.form.mock_pending = True
            self.form.set_base_url(MOCK_BASE_URL)  # aims at the mock once it is up
            self.mock.set_on(True)
        self._update_title()
        self._update_controls()

    # --- construction -----------------------------------------------------------------------
    def _build_central(self) -> None:
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(self.history.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 900])
        self.setCentralWidget(self.splitter)

    def _build_actions(self) -> None:
        self.window_actions = build_actions(self, Handlers(
            start=self.start_run, stop=self.stop_run, new=self.new_profile,
            open=self.files.open_dialog, open_example=self.files.open_example,
            save=self.files.save_current, save_as=self.files.save_as,
            export_csv=self.exports.csv_dialog, export_png=self.exports.png_dialog,
            export_json=self.exports.json_dialog, export_html=self.exports.html_dialog,
            quit=self.close, about=lambda: show_about(self), readme=self.show_readme,
            history=self.history.toggle, compare_last=self.history.compare_last),
            self.recent.menu, examples(),
            (self.mock.toggle, self.mock.settings_button, self.mock.url_label))
        actions = self.window_actions
        self.start_button, self.stop_button = actions.start_button, actions.stop_button
        self.validation_bar = actions.validation_bar
        self.history.attach(actions)
        if add_import_actions is not None:
            add_import_actions(self, actions.file_menu, actions.edit_menu, self.form)

    def _connect(self) -> None:
        self.files.titleChanged.connect(self._update_title)
        self.form.validityChanged.connect(lambda _valid: self._update_controls())
        self.form.errorsChanged.connect(self._update_controls)
        self.validation_bar.fieldChosen.connect(self.form.focus_field)
        self.mock.urlChanged.connect(self._mock_url_changed)
        self.mock.clusterReport.connect(self.results.show_cluster)
        self.mock.busyChanged.connect(lambda _busy: self._update_controls())
        self.controller.report.connect(self._show_report)
        self.controller.finished.connect(self._run_finished)
        self.history.changed.connect(self._update_controls)

    # --- running ----------------------------------------------------------------------------
    def why_not_start(self) -> str:
        """Why Start can't act now, in a sentence; "" when it can."""
        if self._closing:
            return "the window is closing"
        if self.controller.running:
            return "a run is going; Stop it first"
        if self.mock.busy:
            return "the mock server is starting or stopping; a moment"
        if self.form.errors:
            return "; ".join(f"{self.form.label(key)}: {error}"
                             for key, error in self.form.errors.items())
        return ""

    def start_run(self) -> None:
        """Start, or say why not (the status bar, and the cursor in the first bad field)."""
        why = self.why_not_start()
        if not why:
            try:
                profile = self.form.validated_profile()
            except ProfileError as exc:  # e.g. the key file went away since the last check
                why = str(exc)
        if why:
            self.statusBar().showMessage(f"Can't start: {why}", MESSAGE_MS)
            if self.form.errors and not self.controller.running and not self._closing:
                self.form.focus_field(next(iter(self.form.errors)))
            return
        self._run_profile = profile
        self.exports.started = self.exports.started.now()
        self.results.clear(profile.limits.duration)
        path = self.profile_path
        self.controller.start(profile, name=path.stem if path is not None else None,
                              stored_profile=as_saved(profile, self.mock.url))
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
        why = self.why_not_start()
        labels = [self.form.label(key) for key in self.form.errors]
        short = ("fix " + ", ".join(labels)) if labels and not self.mock.busy else why
        self.window_actions.update(not why, running, why, short, self.history.stored is not None)
        entries = [(key, self.form.label(key), str(error))
                   for key, error in self.form.errors.items()]
        self.validation_bar.show_errors([] if running or self._closing else entries)
        self.form.set_editable(not running and not self._closing)
        self.window_actions.enable_exports(*self.exports.available())

    # --- mock server ------------------------------------------------------------------------
    def _mock_url_changed(self, url: str) -> None:
        self.form.mock_pending = False
        self.form.set_mock_url(url)  # a base URL aimed at the mock follows it
        self._update_controls()

    # --- profiles ---------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.files.dirty

    @dirty.setter
    def dirty(self, dirty: bool) -> None:
        self.files.dirty = dirty

    @property
    def profile_path(self) -> Path | None:
        return self.files.path

    def _update_title(self) -> None:
        self.setWindowTitle(self.files.title())

    def new_profile(self) -> None:
        self.files.new()

    def load_profile(self, path: str | Path) -> Profile:
        """Read a profile into the form; raises ProfileError (the menu shows it)."""
        return self.files.load(path)

    def save_profile(self, path: str | Path, store_keys: bool = False) -> None:
        """Write the form's profile as JSON, inline API keys only with `store_keys`;
        raises OSError (the menu shows it)."""
        self.files.save(path, store_keys)

    def open_profile_path(self, path: str | Path) -> None:
        self.files.open_path(path)

    # --- exports ----------------------------------------------------------------------------
    def export_csv(self, path: str | Path) -> asyncio.Task[bool]:
        """Write the run's rows off the GUI thread; the task's result is True on success."""
        return self.exports.export_csv(path)

    def export_json(self, path: str | Path) -> asyncio.Task[bool]:
        """Write the run's report (its documented JSON) off the GUI thread."""
        return self.exports.export_json(path)

    def export_png(self, path: str | Path) -> asyncio.Task[bool]:
        """Draw the report's picture now, encode and write it off the GUI thread."""
        return self.exports.export_png(path)

    # --- messages, help, settings, closing ---------------------------------------------------
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

    def show_readme(self) -> asyncio.Task[None]:
        async def read_and_show() -> None:
            text = await asyncio.get_running_loop().run_in_executor(None, readme_markdown)
            show_readme(self, text)

        return asyncio.ensure_future(read_and_show())

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

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # the system went light <-> dark
            # The style sheet keeps the children's palettes: the plots are told.
            for view in (self.dashboard, self.histogram, self.cluster_view, self.form.preview,
                         self.history.compare):
                view.apply_palette()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed_cleanly:
            event.accept()
            return
        event.ignore()
        if self._closing:
            return
        if self.dirty and not self.files.ask_save_changes():
            return
        self._closing = True
        self._save_settings()
        self._update_controls()  # nothing starts from here on
        self._shutdown = asyncio.ensure_future(self._shut_down_and_close())
        self.hide()  # gone for the user at once; the run and the mock stop behind it

    async def _shut_down_and_close(self) -> None:
        """Stop the run and the mock server together (the mock going away also ends the
        run's requests in flight), then really close."""
        self.controller.stop()
        await asyncio.gather(self.controller.wait(), self.mock.shut_down())
        self.dashboard.cleanup()
        self._closed_cleanly = True
        self.close()
        app = QApplication.instance()
        # A hidden window's close() is not "the last window closed": quit as it would.
        if isinstance(app, QApplication) and app.quitOnLastWindowClosed() \
                and not any(w.isVisible() for w in app.topLevelWidgets()):
            app.quit()
