"""A real QApplication on a qasync loop, driven by pytest-qt (see shared/QT-NOTES.md)."""

from __future__ import annotations

import asyncio
import threading

import pytest
import qasync
from import_dialog_helpers import edited, menu
from PySide6.QtCore import QObject, QSettings

from loadgui.ui.app import make_application
from loadgui.ui.import_dialogs import add_import_actions
from loadgui.ui.main_window import MainWindow


@pytest.fixture(scope="session")
def qasync_loop(qapp, tmp_path_factory):
    make_application([])
    qapp.setQuitOnLastWindowClosed(False)  # a closed test window must not quit the app
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("qsettings")))
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.events._set_running_loop(None)  # each test sets it (see `loop` below)
    executor = qasync.QThreadExecutor(4)
    loop.set_default_executor(executor)
    yield loop
    executor.shutdown()  # joins its QThreads, so none is destroyed while running


@pytest.fixture
def loop(qasync_loop):
    """The qasync loop as the running loop for this test only, so that plain asyncio.run()
    in other tests still works."""
    asyncio.set_event_loop(qasync_loop)
    asyncio.events._set_running_loop(qasync_loop)
    yield qasync_loop
    asyncio.events._set_running_loop(None)


@pytest.fixture
def window(loop, qtbot):
    QSettings().clear()
    threads_before = set(threading.enumerate())
    w = MainWindow(start_mock=True)
    w.threads_before = threads_before
    w.show()
    qtbot.waitUntil(lambda: bool(w.mock.url), timeout=10_000)
    quiet_mock(w)
    yield w
    if not w._closed_cleanly:
        w.dirty = False
        w.close()
        qtbot.waitUntil(lambda: w._closed_cleanly, timeout=10_000)


@pytest.fixture
def idle_window(loop, qtbot):
    """A window without the mock server (quicker, for what needs no run)."""
    QSettings().clear()
    w = MainWindow(start_mock=False)
    w.show()
    yield w
    if not w._closed_cleanly:
        w.dirty = False
        w.close()
        qtbot.waitUntil(lambda: w._closed_cleanly, timeout=10_000)


@pytest.fixture
def set_mock():
    return quiet_mock


def quiet_mock(w: MainWindow, latency_ms: float = 0.0, error_rate: float = 0.0) -> None:
    """Set the embedded mock server's latency and error rate through its popover."""
    w.mock.popover.min_latency.setValue(latency_ms)
    w.mock.popover.max_latency.setValue(latency_ms)
    w.mock.popover.error_rate.setValue(error_rate * 100)
    assert w.mock.server.settings.error_rate == error_rate


@pytest.fixture
def w(window):
    """The window with its File > Import and Edit > Copy as cURL actions (for the import
    dialog tests; added here should the window not add them)."""
    if window.findChild(QObject, "importActions") is None:
        add_import_actions(window, menu(window, "File"), menu(window, "Edit"), window.form)
    assert not edited(window)
    return window
