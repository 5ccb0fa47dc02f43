"""What the window tests share: widgets found by objectName, a run clicked to its end, a
port nothing listens on. A module of its own, not conftest.py (several test folders have
one)."""

from __future__ import annotations

import socket
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QSpinBox

from loadgui.engine import Report


def find(parent: Any, cls: Any, name: str) -> Any:
    widget = parent.findChild(cls, name)
    assert widget is not None, name
    return widget


def click_start(w: Any, qtbot: Any) -> None:
    qtbot.mouseClick(find(w, QPushButton, "startButton"), Qt.MouseButton.LeftButton)


def run_to_end(w: Any, qtbot: Any, timeout: int = 30_000) -> str:
    """Click Start; the state the run finished in."""
    with qtbot.waitSignal(w.runFinished, timeout=timeout) as blocker:
        click_start(w, qtbot)
    state: str = blocker.args[0]
    return state


def run_report(w: Any, qtbot: Any, timeout: int = 30_000) -> Report:
    """Click Start; the run's last report once it finished."""
    run_to_end(w, qtbot, timeout)
    report: Report = w.controller.handle.report()
    return report


def run_and_save(w: Any, qtbot: Any) -> int:
    """Click Start; the id the run was stored under in the run history."""
    with qtbot.waitSignal(w.controller.saved, timeout=30_000) as saved:
        click_start(w, qtbot)
    run_id: int = saved.args[0]
    return run_id


def set_limits(w: Any, total: int, concurrency: int = 5, retries: int = 0) -> None:
    find(w, QSpinBox, "totalRequestsSpin").setValue(total)
    find(w, QSpinBox, "concurrencySpin").setValue(concurrency)
    find(w, QSpinBox, "retriesSpin").setValue(retries)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
