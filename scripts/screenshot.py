"""Take the README screenshot: the window mid-run against its embedded mock server.

Run under a real X server so the xcb platform renders it as a user sees it:
    Xvfb :99 -screen 0 1440x900x24 &
    DISPLAY=:99 python scripts/screenshot.py resources/screenshot.png
    DISPLAY=:99 python scripts/screenshot.py --cluster resources/screenshot-cluster.png
"""

from __future__ import annotations

import asyncio
import sys

import qasync
from PySide6.QtCore import QSettings

from loadgui.ui.app import make_application
from loadgui.ui.main_window import MainWindow

RUN_SECONDS = 40.0
SHOT_AFTER_S = 16.0


async def stop_and_close(w: MainWindow) -> None:
    w.stop_run()
    await w.controller.wait()
    w.dirty = False
    w.close()
    while not w._closed_cleanly:
        await asyncio.sleep(0.05)


async def take_cluster(path: str) -> None:
    """The autoscaling mock cluster under repeated bursts of 100 slow POSTs to /solve."""
    QSettings().clear()
    w = MainWindow(start_mock=False)
    w.resize(1400, 980)
    w.show()
    popover = w.mock.popover
    popover.mode.setCurrentText("autoscaling")
    popover.min_instances.setValue(2)
    popover.max_instances.setValue(6)
    popover.cold_start.setValue(1.0)
    popover.cool_down.setValue(2.0)
    w.mock.set_on(True)
    while not w.mock.url:
        await asyncio.sleep(0.05)
    w.form.endpoint.setText("/solve")
    w.form.method.setCurrentText("POST")
    w.form.headers.set_headers({"Content-Type": "application/json"})
    w.form.body.setPlainText('{"kind": "io", "seconds": 1.5}')
    w.form.mode.setCurrentText("burst")
    w.form.concurrency.setValue(100)
    w.form.burst_interval.setValue(4.0)
    w.form.retries.setValue(0)
    w.form.duration.setValue(RUN_SECONDS)
    w.start_run()
    await asyncio.sleep(SHOT_AFTER_S)
    w.grab().save(path)
    await stop_and_close(w)


async def take(path: str) -> None:
    QSettings().clear()
    w = MainWindow(start_mock=True)
    w.resize(1400, 880)
    w.show()
    while not w.mock.url:
        await asyncio.sleep(0.05)
    w.mock.popover.error_rate.setValue(3)
    w.form.keys.add_text("sk-demo-7f3a91c2 sk-demo-0b44e815")
    w.form.concurrency.setValue(60)
    w.form.pattern.setCurrentText("sin")
    w.form.duration.setValue(RUN_SECONDS)
    w.start_run()
    await asyncio.sleep(SHOT_AFTER_S)
    w.grab().save(path)
    await stop_and_close(w)


def main() -> None:
    app = make_application([])
    app.setOrganizationName("loadgui-screenshot")
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        scene = take_cluster if "--cluster" in sys.argv else take
        paths = [a for a in sys.argv[1:] if not a.startswith("--")]
        loop.run_until_complete(scene(paths[0] if paths else "screenshot.png"))


if __name__ == "__main__":
    main()
