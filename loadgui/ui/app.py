"""The QApplication and its qasync event loop: the only place the loop is made."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import cast

import qasync  # type: ignore[import-untyped]  # no stubs or py.typed
from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from loadgui.resources import resource
from loadgui.ui.main_window import MainWindow

ORGANIZATION, APPLICATION = "loadgui", "loadgui"


def make_application(argv: list[str] | None = None) -> QApplication:
    # The stubs type instance() as QCoreApplication; the one made here is a QApplication.
    existing = cast("QApplication | None", QApplication.instance())
    app = existing or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("loadgui")
    app.setWindowIcon(QIcon(str(resource("icons", "loadgui.svg"))))
    return app


def run_window(profile_path: str | None = None, start_mock: bool = True) -> int:
    app = make_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    window = MainWindow(start_mock=start_mock)
    if profile_path:
        window.open_profile_path(profile_path)
    window.show()
    # Ctrl+C in the terminal closes the window as the close button does (stopping the run
    # and the mock server first); the timer lets Python see the signal inside Qt's loop.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(200)
    with loop:
        loop.run_until_complete(quitting.wait())
    return 0
