"""Take the README screenshots: the window mid-run against its embedded mock server.

Run under a real X server so the xcb platform renders it as a user sees it:
    Xvfb :99 -screen 0 1440x900x24 &
    DISPLAY=:99 python scripts/screenshot.py resources/screenshot.png
    DISPLAY=:99 python scripts/screenshot.py --cluster resources/screenshot-cluster.png
    DISPLAY=:99 python scripts/screenshot.py --failed failed.png
(QT_QPA_PLATFORM=offscreen also works, for a quick look.)
"""

from __future__ import annotations

import argparse
import asyncio
import socket

import qasync  # type: ignore[import-untyped]
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


async def take_failed(path: str, shot_after: float) -> None:
    """A run aimed at a port nothing listens on: it fails, and the banner says why."""
    QSettings().clear()
    w = MainWindow(start_mock=False)
    w.resize(1400, 880)
    w.show()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    w.form.base_url.setText(f"http://127.0.0.1:{port}")
    w.form.concurrency.setValue(20)
    w.form.retries.setValue(0)
    w.form.total_requests.setValue(400)
    w.start_run()
    await w.controller.wait()
    w.results.show_failures()  # as the banner's "Show failures" button does
    await asyncio.sleep(0.3)  # let the last report paint
    w.grab().save(path)
    await stop_and_close(w)


async def take_cluster(path: str, shot_after: float) -> None:
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
    await asyncio.sleep(shot_after)
    w.grab().save(path)
    await stop_and_close(w)


async def take(path: str, shot_after: float) -> None:
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
    await asyncio.sleep(shot_after)
    w.grab().save(path)
    await stop_and_close(w)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="screenshot.png", help="the PNG to write")
    scene = parser.add_mutually_exclusive_group()
    scene.add_argument("--cluster", action="store_true",
                       help="the autoscaling mock cluster under bursts")
    scene.add_argument("--failed", action="store_true",
                       help="a run against a refused port: the failure banner and table")
    parser.add_argument("--after", type=float, default=SHOT_AFTER_S, metavar="SECONDS",
                        help=f"take the shot this long into the run (default {SHOT_AFTER_S:g})")
    args = parser.parse_args()
    app = make_application([])
    app.setOrganizationName("loadgui-screenshot")
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    take_scene = take_cluster if args.cluster else take_failed if args.failed else take
    with loop:
        loop.run_until_complete(take_scene(args.path, args.after))


if __name__ == "__main__":
    main()
