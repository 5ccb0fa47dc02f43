"""Render the window's named scenes into resources/screenshots/ (and the README's picture).

Run under a real X server so the xcb platform draws the window as a user sees it:
    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 python scripts/screenshot.py                 # every scene
    DISPLAY=:99 python scripts/screenshot.py burst failed    # some of them
    DISPLAY=:99 python scripts/screenshot.py --readme        # also resources/screenshot.png
(QT_QPA_PLATFORM=offscreen also works, for a quick look.) Scenes run against the embedded
mock server or a refused port on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import qasync  # type: ignore[import-untyped]
from PySide6.QtCore import QSettings

from loadgui.profile import Check
from loadgui.store import HOME_ENV
from loadgui.ui.app import make_application
from loadgui.ui.examples import examples
from loadgui.ui.main_window import MainWindow
from loadgui.ui.results_view import CHECKS_TAB, CLUSTER_TAB, FAILURES_TAB, KEYS_TAB, LATENCY_TAB

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "screenshots"
README_SCENE = "mid-run"
SIZE = (1400, 880)

Scene = Callable[[MainWindow, Path], Awaitable[None]]


async def until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the scene did not get there in time")
        await asyncio.sleep(0.05)


async def shoot(w: MainWindow, path: Path, settle: float = 0.4) -> None:
    await asyncio.sleep(settle)  # the last report painted
    w.grab().save(str(path))
    print(f"wrote {path}")


async def with_mock(w: MainWindow, latency_ms: tuple[float, float] = (10, 500),
                    error_pct: float = 0.0) -> None:
    w.mock.set_on(True)
    await until(lambda: bool(w.mock.url) and not w.mock.busy)
    popover = w.mock.popover
    popover.min_latency.setValue(latency_ms[0])
    popover.max_latency.setValue(latency_ms[1])
    popover.error_rate.setValue(error_pct)


async def idle(w: MainWindow, out: Path) -> None:
    """The first launch: aimed at the mock, nothing run yet."""
    await with_mock(w)
    await shoot(w, out / "idle.png")


async def mid_run(w: MainWindow, out: Path, name: str = "mid-run.png") -> None:
    """A sine-wave load with API keys and 3 % errors, 12 s into a 40 s run."""
    await with_mock(w, error_pct=3)
    w.form.keys.add_text("sk-demo-7f3a91c2 sk-demo-0b44e815")
    w.form.concurrency.setValue(60)
    w.form.pattern.setCurrentText("sin")
    w.form.duration.setValue(40)
    w.start_run()
    await asyncio.sleep(12)
    await shoot(w, out / name, settle=0)


async def failed(w: MainWindow, out: Path) -> None:
    """A run at a port nothing listens on: the banner says why; then the Failures tab."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    w.form.base_url.setText(f"http://127.0.0.1:{port}")
    w.form.concurrency.setValue(20)
    w.form.retries.setValue(0)
    w.form.total_requests.setValue(400)
    w.start_run()
    await w.controller.wait()
    await shoot(w, out / "failed-run.png")
    w.results.tabs.setCurrentIndex(FAILURES_TAB)  # as the banner's Show failures does
    await shoot(w, out / "failures-view.png")


async def validation(w: MainWindow, out: Path) -> None:
    """Three fields Start can't take: the bar beside Start names each."""
    await with_mock(w)
    w.form.base_url.setText("localhost:8000")
    w.form.concurrency.setValue(0)
    w.form.keys.set_keys([], "/nonexistent/api-keys.txt")
    await shoot(w, out / "validation-bar.png")


async def burst(w: MainWindow, out: Path) -> None:
    """The "Burst of 100 solves" example: 100 CPU-heavy POSTs released at once."""
    await with_mock(w, latency_ms=(0, 0))
    w.files.open_example(next(e for e in examples() if e.name == "Burst of 100 solves"))
    w.start_run()
    await w.controller.wait()
    await shoot(w, out / "burst.png")


async def autoscaling(w: MainWindow, out: Path) -> None:
    """The autoscaling mock cluster under bursts of 100 slow POSTs, every 4 s."""
    popover = w.mock.popover
    popover.mode.setCurrentText("autoscaling")
    popover.min_instances.setValue(2)
    popover.max_instances.setValue(6)
    popover.cold_start.setValue(1.0)
    popover.cool_down.setValue(2.0)
    await with_mock(w)
    w.form.endpoint.setText("/solve")
    w.form.method.setCurrentText("POST")
    w.form.headers.set_headers({"Content-Type": "application/json"})
    w.form.body.setPlainText('{"kind": "io", "seconds": 1.5}')
    w.form.mode.setCurrentText("burst")
    w.form.concurrency.setValue(100)
    w.form.burst_interval.setValue(4.0)
    w.form.retries.setValue(0)
    w.form.duration.setValue(40)
    w.start_run()
    w.results.tabs.setCurrentIndex(CLUSTER_TAB)
    await asyncio.sleep(14)
    await shoot(w, out / "autoscaling-cluster.png", settle=0)


async def mock_settings(w: MainWindow, out: Path) -> None:
    """Mock settings… open in autoscaling mode: every row full height, the note whole."""
    await with_mock(w)
    menu = w.mock.menu
    menu.popup(w.mock.settings_button.mapToGlobal(w.mock.settings_button.rect().bottomLeft()))
    w.mock.popover.mode.setCurrentText("cluster")
    await asyncio.sleep(0.2)
    w.mock.popover.mode.setCurrentText("autoscaling")  # changed while open, as a user does
    await asyncio.sleep(0.4)
    menu.grab().save(str(out / "mock-settings.png"))
    print(f"wrote {out / 'mock-settings.png'}")
    menu.hide()
    w.mock.popover.mode.setCurrentText("single")
    w.mock.set_on(False)


async def small(w: MainWindow, out: Path) -> None:
    """1024x700: every plot whole, the summary without a horizontal scroll bar."""
    w.resize(1024, 700)
    await mid_run(w, out, "1024x700.png")


async def histogram(w: MainWindow, out: Path) -> None:
    """The live latency histogram of a run against the mock (10-500 ms)."""
    await with_mock(w)
    w.form.concurrency.setValue(40)
    w.form.duration.setValue(20)
    w.start_run()
    w.results.tabs.setCurrentIndex(LATENCY_TAB)
    await asyncio.sleep(8)
    await shoot(w, out / "latency-histogram.png", settle=0)


async def compare(w: MainWindow, out: Path) -> None:
    """Two runs of one profile, the second against a slower mock with 4 % errors, compared
    with one click (Compare with last)."""
    await with_mock(w)
    w.form.concurrency.setValue(40)
    w.form.pattern.setCurrentText("sin")
    w.form.duration.setValue(12)
    w.save_profile(Path(os.environ[HOME_ENV]) / "checkout.json")  # runs named "checkout"
    for latency_ms, error_pct in (((10, 120), 0.0), ((20, 240), 4.0)):
        w.mock.popover.min_latency.setValue(latency_ms[0])
        w.mock.popover.max_latency.setValue(latency_ms[1])
        w.mock.popover.error_rate.setValue(error_pct)
        w.start_run()
        await w.controller.wait()
    await until(w.window_actions.compare_last_button.isEnabled)
    w.window_actions.compare_last_button.click()
    await until(lambda: w.history.pages.currentWidget() is w.history.compare)
    await shoot(w, out / "compare.png")


@contextlib.contextmanager
def own_store() -> Iterator[None]:
    """A run store of the scene's own (LOADGUI_HOME), removed after."""
    home = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = tempfile.mkdtemp(prefix="loadgui-screenshot-")
    try:
        yield
    finally:
        shutil.rmtree(os.environ[HOME_ENV], ignore_errors=True)
        if home is None:
            os.environ.pop(HOME_ENV)
        else:
            os.environ[HOME_ENV] = home


async def checks(w: MainWindow, out: Path) -> None:
    """A run with checks, thresholds, two API keys, one retry and a new connection per
    attempt against the mock with 3 % errors: the badges over the plots and the summary's
    retry line, then the Checks and API keys tabs."""
    await with_mock(w, latency_ms=(10, 300), error_pct=3)
    profile = w.form.profile().draft()
    profile.target.checks = [Check(status="2xx"), Check(name="under 250 ms",
                                                        max_latency_ms=250)]
    profile.thresholds = ["p95 < 400ms", "error_rate < 1%", "checks > 95%"]
    profile.keys.keys = ["sk-demo-7f3a91c2", "sk-demo-0b44e815"]
    profile.retry.retries, profile.retry.backoff, profile.retry.base = 1, "fixed", 0.2
    profile.target.connection = "new"  # connect times measured apart
    profile.load.concurrency = 40
    profile.limits.duration = 20
    w.form.set_profile(profile)
    w.start_run()
    await asyncio.sleep(10)
    await shoot(w, out / "thresholds.png", settle=0)
    await w.controller.wait()
    w.results.tabs.setCurrentIndex(CHECKS_TAB)
    await shoot(w, out / "checks.png")
    w.results.tabs.setCurrentIndex(KEYS_TAB)
    await shoot(w, out / "keys.png")


SCENES: dict[str, Scene] = {
    "idle": idle, "mid-run": mid_run, "failed": failed, "validation": validation,
    "burst": burst, "autoscaling": autoscaling, "small": small, "histogram": histogram,
    "mock-settings": mock_settings, "compare": compare, "checks": checks,
}


async def take(name: str, out: Path) -> None:
    QSettings().clear()
    w = MainWindow(start_mock=False)
    w.resize(*SIZE)
    w.show()
    try:
        with own_store():  # the scenes' runs stay out of the user's history
            await SCENES[name](w, out)
            w.stop_run()
            await w.controller.wait()
    finally:
        w.stop_run()
        await w.controller.wait()
        w.dirty = False
        w.close()
        await until(lambda: w._closed_cleanly)


async def take_all(names: list[str], out: Path) -> None:
    for name in names:
        await take(name, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", nargs="*", metavar="SCENE",
                        help=f"scenes to take (default all): {', '.join(SCENES)}")
    parser.add_argument("--out", type=Path, default=OUT, help="the folder to write to")
    parser.add_argument("--readme", action="store_true",
                        help=f"copy the {README_SCENE} scene to resources/screenshot.png")
    args = parser.parse_args()
    names = args.scenes or list(SCENES)
    unknown = [n for n in names if n not in SCENES]
    if unknown:
        parser.error(f"no scene {', '.join(unknown)}; choose from {', '.join(SCENES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    app = make_application([sys.argv[0]])
    app.setOrganizationName("loadgui-screenshot")
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(take_all(names, args.out))
    if args.readme:
        shutil.copyfile(args.out / f"{README_SCENE}.png", ROOT / "resources" / "screenshot.png")
        print("wrote resources/screenshot.png")


if __name__ == "__main__":
    main()
