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
    quit: Callable[[], object]
    about: Callable[[], object]
    readme: Callable[[], object]


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
    file_menu: QMenu
    edit_menu: QMenu
    examples_menu: QMenu

    def update(self, can_start: bool, running: bool, why_not: str, short: str) -> None:
        """Grey what can't act now, and say why Start can't: `why_not` in full (tooltips),
        `short` in a few words (the Run menu)."""
        self.start.setEnabled(can_start)
        self.start_button.setEnabled(can_start)
        self.explain.setEnabled(not can_start and not running)
        self.stop.setEnabled(running)
        self.stop_button.setEnabled(running)
        tip = START_TIP if can_start else f"Can't start: {why_not}"
        for item in (self.start_button, self.start):
            if item.toolTip() != tip:
                item.setToolTip(tip)
        self.start.setStatusTip("" if can_start else tip)
        text = "&Start" if can_start or running else f"&Start — can't: {short}"
        if self.start.text() != text:
            self.start.setText(text)


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

    help_menu = bar.addMenu("&Help")
    help_menu.setObjectName("helpMenu")
    help_menu.addAction("&README", QKeySequence.StandardKey.HelpContents, on.readme)
    help_menu.addAction("&About loadgui", on.about).setObjectName("aboutAction")
    return WindowActions(start_button, stop_button, validation_bar, start, stop, explain,
                         export_csv, export_png, export_json, file_menu, edit_menu,
                         examples_menu)


def _button(text: str, name: str, tip: str, handler: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.clicked.connect(handler)
    return button
