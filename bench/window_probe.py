"""What the window benchmarks share: the application on its qasync loop (offscreen unless a
display is asked for), a probe of paints and event-loop gaps, and closing a window."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qasync  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, QObject, QTimer

from loadgui.ui.app import make_application
from loadgui.ui.main_window import MainWindow

PROBE_MS = 10
T = TypeVar("T")


class Probe(QObject):
    """Paints of the widgets it filters (frames Qt really drew: it merges updates), and the
    gaps between 10 ms timer ticks (a long gap is a blocked loop)."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)
        self.timer.start(PROBE_MS)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("not shown in time")
        await asyncio.sleep(0.001)


async def close(w: MainWindow) -> None:
    """Close the window as a user does, without asking about its unsaved run."""
    w.dirty = False
    w.close()
    await until(lambda: w._closed_cleanly)


def run_in_window_loop(main: Coroutine[Any, Any, T]) -> T:
    """`main` run to its end on the application's qasync loop."""
    app = make_application([sys.argv[0]])
    app.setOrganizationName("loadgui-bench")
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result: T = loop.run_until_complete(main)
    return result
