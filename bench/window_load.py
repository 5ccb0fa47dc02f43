"""The window under full load: dashboard frames per second, event-loop stalls, Stop latency.

Runs offscreen against the embedded mock server (0 latency, no errors) at concurrency 100 for a
few seconds, bounded, on 127.0.0.1 only. Prints figures; asserts nothing.

    python bench/window_load.py [seconds]
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # type: ignore[import-untyped]
from PySide6.QtCore import QSettings, QTimer

from loadgui.ui.app import make_application
from loadgui.ui.main_window import MainWindow
from loadgui.ui.run_controller import REFRESH_HZ

PROBE_MS = 10


async def measure(seconds: float) -> dict[str, float]:
    QSettings().clear()
    w = MainWindow(start_mock=True)
    w.resize(1360, 860)
    w.show()
    while not w.mock.url:
        await asyncio.sleep(0.05)
    for spin in (w.mock.popover.min_latency, w.mock.popover.max_latency,
                 w.mock.popover.error_rate):
        spin.setValue(0)
    w.form.concurrency.setValue(100)
    w.form.total_requests.setValue(0)
    w.form.duration.setValue(0)

    gaps: list[float] = []
    last = [time.perf_counter()]

    def probe() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(probe)
    timer.start(PROBE_MS)
    w.start_run()
    await asyncio.sleep(1.0)  # warm-up
    frames0, t0 = w.dashboard.frames, time.perf_counter()
    gaps.clear()
    await asyncio.sleep(seconds)
    fps = (w.dashboard.frames - frames0) / (time.perf_counter() - t0)
    handle = w.controller.handle
    assert handle is not None
    requests = handle.report().requests
    finished: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def on_finished(state: str) -> None:
        if not finished.done():
            finished.set_result(state)

    w.runFinished.connect(on_finished)
    stop_clicked = time.perf_counter()
    w.stop_button.click()
    await finished
    stop_s = time.perf_counter() - stop_clicked
    timer.stop()
    report = handle.report()  # the final one
    gaps.sort()
    result = {
        "frames_per_s": fps,
        "target_frames_per_s": REFRESH_HZ,
        "stop_to_finished_ms": stop_s * 1000,
        "loop_gap_p50_ms": gaps[len(gaps) // 2] * 1000,
        "loop_gap_p99_ms": gaps[int(len(gaps) * 0.99)] * 1000,
        "loop_gap_max_ms": gaps[-1] * 1000,
        "requests": float(report.requests),
        "rps": report.rps,
        "requests_at_measure_end": float(requests),
    }
    w.dirty = False
    w.close()
    while not w._closed_cleanly:
        await asyncio.sleep(0.05)
    return result


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 8.0
    app = make_application([])
    app.setOrganizationName("loadgui-bench")
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(measure(seconds))
    print(f"window under load (concurrency 100, mock at 0 ms, {seconds:.0f} s, offscreen)")
    print(f"  dashboard frames/s   {result['frames_per_s']:6.1f}   "
          f"ratio to the {REFRESH_HZ} Hz target: {result['frames_per_s'] / REFRESH_HZ:.2f}")
    print(f"  Stop -> run ended    {result['stop_to_finished_ms']:6.1f} ms")
    print(f"  event-loop gaps      p50 {result['loop_gap_p50_ms']:.1f} ms   "
          f"p99 {result['loop_gap_p99_ms']:.1f} ms   max {result['loop_gap_max_ms']:.1f} ms "
          f"(probe every {PROBE_MS} ms)")
    print(f"  load                 {result['requests']:.0f} requests, {result['rps']:.0f} req/s "
          "(generator and mock server share this process)")


if __name__ == "__main__":
    main()
