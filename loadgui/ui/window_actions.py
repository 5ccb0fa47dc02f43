"""The main window's toolbar (Start, Stop, the mock server) and its File and Run menus."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QPushButton, QWidget

from loadgui.resources import example_profiles


@dataclass(frozen=True)
class Handlers:
    start: Callable[[], object]
    stop: Callable[[], object]
    new: Callable[[], object]
    open: Callable[[], object]
    open_example: Callable[[Path], object]
    save: Callable[[], object]
    save_as: Callable[[], object]
    export_csv: Callable[[], object]
    export_png: Callable[[], object]
    export_json: Callable[[], object]
    quit: Callable[[], object]


@dataclass(frozen=True)
class WindowActions:
    start_button: QPushButton
    stop_button: QPushButton
    export_csv: QAction
    export_png: QAction
    export_json: QAction


def build_actions(window: QMainWindow, on: Handlers, recent: QMenu,
                  toolbar_extras: Sequence[QWidget]) -> WindowActions:
    start = _button("▶  Start", "startButton", QKeySequence("Ctrl+R"), "Start the run (Ctrl+R)")
    start.clicked.connect(on.start)
    stop = _button("■  Stop", "stopButton", QKeySequence(Qt.Key.Key_Escape),
                   "Stop the run and keep its data (Esc)")
    stop.clicked.connect(on.stop)

    toolbar = window.addToolBar("Run")
    toolbar.setObjectName("runToolbar")
    toolbar.setMovable(False)
    toolbar.addWidget(start)
    toolbar.addWidget(stop)
    toolbar.addSeparator()
    for widget in toolbar_extras:
        toolbar.addWidget(widget)

    file_menu = window.menuBar().addMenu("&File")
    file_menu.addAction("&New", QKeySequence.StandardKey.New, on.new)
    file_menu.addAction("&Open…", QKeySequence.StandardKey.Open, on.open)
    file_menu.addMenu(recent)
    examples = file_menu.addMenu("&Examples")
    for path in example_profiles():
        examples.addAction(path.stem.replace("-", " "), _bind(on.open_example, path))
    file_menu.addAction("&Save", QKeySequence.StandardKey.Save, on.save)
    file_menu.addAction("Save &As…", QKeySequence("Ctrl+Shift+S"), on.save_as)
    file_menu.addSeparator()
    export_csv = file_menu.addAction("Export &CSV…", on.export_csv)
    export_png = file_menu.addAction("Export &PNG…", on.export_png)
    export_json = file_menu.addAction("Export report as &JSON…", on.export_json)
    file_menu.addSeparator()
    file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, on.quit)
    run_menu = window.menuBar().addMenu("&Run")
    run_menu.addAction("Start", on.start)
    run_menu.addAction("Stop", on.stop)
    return WindowActions(start, stop, export_csv, export_png, export_json)


def _button(text: str, name: str, shortcut: QKeySequence, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setShortcut(shortcut)
    button.setToolTip(tip)
    return button


def _bind(handler: Callable[[Path], object], path: Path) -> Callable[[], None]:
    def call() -> None:
        handler(path)

    return call
