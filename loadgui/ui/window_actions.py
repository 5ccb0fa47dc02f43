"""The main window's toolbar (Start, why it can't, Stop, the mock server) and its menus."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMenu, QPushButton, QWidget

from loadgui.ui.examples import Example
from loadgui.ui.validation_bar import ValidationBar

START_KEY, STOP_KEY = QKeySequence("Ctrl+R"), QKeySequence(Qt.Key.Key_Escape)
START_TIP = "Start the run (Ctrl+R)"
AGAIN_TIP = "Start a new run of the stored run's profile, as the form shows it (Ctrl+R)"
HISTORY_KEY, COMPARE_KEY = QKeySequence("Ctrl+H"), QKeySequence("Ctrl+Shift+D")


@dataclass(frozen=True)
class Handlers:
    start: Callable[[], object]
    stop: Callable[[], object]
    new: Callable[[], object]
    open: Callable[[], object]
    open_example: Callable[[Example], object]
    save: Callable[[], object]
    save_as: Callable[[], object]
    export_csv: Callable[[], object]
    export_png: Callable[[], object]
    export_json: Callable[[], object]
    export_html: Callable[[], object]
    quit: Callable[[], object]
    about: Callable[[], object]
    readme: Callable[[], object]
    history: Callable[[], object]
    compare_last: Callable[[], object]


@dataclass(frozen=True)
class WindowActions:
    start_button: QPushButton
    stop_button: QPushButton
    validation_bar: ValidationBar
    start: QAction
    stop: QAction
    # Ctrl+R while Start is greyed: says why instead of doing nothing.
    explain: QShortcut
    export_csv: QAction
    export_png: QAction
    export_json: QAction
    export_html: QAction
    file_menu: QMenu
    edit_menu: QMenu
    examples_menu: QMenu
    history: QAction  # View > History: the history page instead of the plots
    history_button: QPushButton
    compare_last: QAction
    compare_last_button: QPushButton

    def update(self, can_start: bool, running: bool, why_not: str, short: str,
               again: bool = False) -> None:
        """Grey what can't act now, and say why Start can't: `why_not` in full (tooltips),
        `short` in a few words (the Run menu). `again`: a stored run is shown, and Start
        reads "Run again"."""
        self.start.setEnabled(can_start)
        self.start_button.setEnabled(can_start)
        self.explain.setEnabled(not can_start and not running)
        self.stop.setEnabled(running)
        self.stop_button.setEnabled(running)
        tip = (AGAIN_TIP if again else START_TIP) if can_start else f"Can't start: {why_not}"
        for item in (self.start_button, self.start):
            if item.toolTip() != tip:
                item.setToolTip(tip)
        self.start.setStatusTip("" if can_start else tip)
        word = "&Run again" if again else "&Start"
        text = word if can_start or running else f"{word} — can't: {short}"
        if self.start.text() != text:
            self.start.setText(text)
        button = "▶  Run again" if again else "▶  Start"
        if self.start_button.text() != button:
            self.start_button.setText(button)

    def enable_exports(self, has_run: bool, stored: bool) -> None:
        """CSV, PNG and JSON once there is a run to export; HTML once it is stored."""
        for action in (self.export_csv, self.export_png, self.export_json):
            action.setEnabled(has_run)
        self.export_html.setEnabled(stored)


def build_actions(window: QMainWindow, on: Handlers, recent: QMenu, examples: Sequence[Example],
                  toolbar_extras: Sequence[QWidget]) -> WindowActions:
    start_button = _button("▶  Start", "startButton", START_TIP, on.start)
    stop_button = _button("■  Stop", "stopButton", "Stop the run and keep its data (Esc)",
                          on.stop)
    validation_bar = ValidationBar()
    toolbar = window.addToolBar("Run")
    toolbar.setObjectName("runToolbar")
    toolbar.setMovable(False)
    toolbar.addWidget(start_button)
    toolbar.addWidget(stop_button)
    validation_bar.place(toolbar.addWidget(validation_bar))
    toolbar.addSeparator()
    history_button = _button("History", "historyButton",
                             "Every run kept on this machine: open, compare, share (Ctrl+H)",
                             on.history)
    history_button.setCheckable(True)
    compare_button = _button("Compare with last", "compareLastButton",
                             "Compare the run shown with the last run of its profile before it",
                             on.compare_last)
    toolbar.addWidget(history_button)
    toolbar.addWidget(compare_button)
    toolbar.addSeparator()
    for widget in toolbar_extras:
        toolbar.addWidget(widget)

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("fileMenu")
    file_menu.addAction("&New", QKeySequence.StandardKey.New, on.new)
    file_menu.addAction("&Open…", QKeySequence.StandardKey.Open, on.open)
    file_menu.addMenu(recent)
    examples_menu = file_menu.addMenu("&Examples")
    examples_menu.setObjectName("examplesMenu")
    examples_menu.setToolTipsVisible(True)
    for example in examples:
        action = examples_menu.addAction(example.name, partial(on.open_example, example))
        action.setToolTip(example.description)
        action.setStatusTip(example.description)
    file_menu.addAction("&Save", QKeySequence.StandardKey.Save, on.save)
    file_menu.addAction("Save &As…", QKeySequence("Ctrl+Shift+S"), on.save_as)
    # File > Import goes here: import_dialogs.add_import_actions puts its submenu before the
    # first separator, between Save As and the exports.
    file_menu.addSeparator()
    export_csv = file_menu.addAction("Export &CSV…", on.export_csv)
    export_png = file_menu.addAction("Export &PNG…", on.export_png)
    export_json = file_menu.addAction("Export report as &JSON…", on.export_json)
    export_html = file_menu.addAction("Export &HTML report…", on.export_html)
    export_html.setObjectName("exportHtmlAction")
    file_menu.addSeparator()
    file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, on.quit)
    edit_menu = bar.addMenu("&Edit")  # Edit > Copy as cURL comes from import_dialogs
    edit_menu.setObjectName("editMenu")

    run_menu = bar.addMenu("&Run")
    run_menu.setObjectName("runMenu")
    start = run_menu.addAction("&Start", START_KEY, on.start)
    start.setObjectName("startAction")
    stop = run_menu.addAction("S&top", STOP_KEY, on.stop)
    stop.setObjectName("stopAction")
    explain = QShortcut(START_KEY, window, on.start)
    explain.setEnabled(False)

    view_menu = bar.addMenu("&View")
    view_menu.setObjectName("viewMenu")
    history = view_menu.addAction("&History", HISTORY_KEY, on.history)
    history.setObjectName("historyAction")
    history.setCheckable(True)
    compare_last = view_menu.addAction("&Compare with last run", COMPARE_KEY, on.compare_last)
    compare_last.setObjectName("compareLastAction")

    help_menu = bar.addMenu("&Help")
    help_menu.setObjectName("helpMenu")
    help_menu.addAction("&README", QKeySequence.StandardKey.HelpContents, on.readme)
    help_menu.addAction("&About loadgui", on.about).setObjectName("aboutAction")
    return WindowActions(start_button, stop_button, validation_bar, start, stop, explain,
                         export_csv, export_png, export_json, export_html, file_menu, edit_menu,
                         examples_menu, history, history_button, compare_last, compare_button)


def _button(text: str, name: str, tip: str, handler: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.clicked.connect(handler)
    return button
