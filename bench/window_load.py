"""The window under full load: dashboard frames per second, event-loop stalls, Stop latency.

Two rows, each a few seconds, bounded, on 127.0.0.1 only, offscreen:
  processes  the window drives a `--processes` run of the fast client at full speed against
             bench/server.py in its own process (the window process only merges and draws)
  in-process the window's own loop sends (httpx) to its embedded mock server at 0 ms
Plots are checked against the final report (the drawn count is the report's). Prints
figures; asserts nothing.

    python bench/window_load.py [seconds] [--processes N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from PySide6.QtCore import QSettings
from server import start_server
from window_probe import Probe, close, run_in_window_loop

from loadgui.ui.main_window import MainWindow
from loadgui.ui.run_controller import REFRESH_HZ


async def measure(w: MainWindow, seconds: float) -> dict[str, float]:
    probe = Probe()
    w.start_run()
    handle = w.controller.handle
    assert handle is not None, w.why_not_start()
    await asyncio.sleep(1.5)  # warm-up: worker processes start, connections open
    w.dashboard.view.viewport().installEventFilter(probe)
    frames0, t0 = w.dashboard.frames, time.perf_counter()
    probe.gaps.clear()
    await asyncio.sleep(seconds)
    took = time.perf_counter() - t0
    fps = (w.dashboard.frames - frames0) / took  # reports drawn into the plots
    painted = probe.paints / took  # frames Qt painted on screen
    finished: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    w.runFinished.connect(lambda state: finished.done() or finished.set_result(state))
    stop_clicked = time.perf_counter()
    w.stop_button.click()
    await finished
    stop_s = time.perf_counter() - stop_clicked
    probe.timer.stop()
    report = handle.report()  # the final one
    drawn = w.dashboard.requests_curve.getData()[1]
    gaps = sorted(probe.gaps)
    return {
        "fps": fps, "painted": painted, "stop_ms": stop_s * 1000,
        "gap_p50": gaps[len(gaps) // 2] * 1000,
        "gap_p99": gaps[int(len(gaps) * 0.99)] * 1000, "gap_max": gaps[-1] * 1000,
        "requests": float(report.requests), "rps": report.rps,
        "plotted_ok": float(drawn is not None and int(drawn[-1]) == report.requests
                            and w.summary.value("Requests") == f"{report.requests:,}"),
    }


async def row_processes(seconds: float, processes: int, concurrency: int) -> dict[str, float]:
    server, port = start_server()
    try:
        w = window()
        w.form.base_url.setText(f"http://127.0.0.1:{port}")
        w.form.endpoint.setText("/")
        w.form.client.setCurrentText("fast")
        w.form.processes.setValue(processes)
        w.form.concurrency.setValue(concurrency)
        w.form.retries.setValue(0)
        result = await measure(w, seconds)
        await close(w)
        return result
    finally:
        server.kill()
        server.wait()


async def row_in_process(seconds: float, concurrency: int) -> dict[str, float]:
    w = window(start_mock=True)
    while not w.mock.url or w.mock.busy:
        await asyncio.sleep(0.05)
    for spin in (w.mock.popover.min_latency, w.mock.popover.max_latency,
                 w.mock.popover.error_rate):
        spin.setValue(0)
    w.form.concurrency.setValue(concurrency)
    result = await measure(w, seconds)
    await close(w)
    return result


def window(start_mock: bool = False) -> MainWindow:
    QSettings().clear()
    w = MainWindow(start_mock=start_mock)
    w.resize(1360, 860)
    w.show()
    w.form.total_requests.setValue(0)
    w.form.duration.setValue(0)
    return w


async def run_rows(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    return {
        f"processes ({args.processes} x fast, c={args.concurrency})":
            await row_processes(args.seconds, args.processes, args.concurrency),
        f"in-process (httpx, mock, c={args.concurrency})":
            await row_in_process(args.seconds, args.concurrency),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", nargs="?", type=float, default=8.0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=100)
    args = parser.parse_args()
    rows = run_in_window_loop(run_rows(args))
    print(f"window under load: {args.seconds:g} s a row, {os.cpu_count()} cores, offscreen, "
          f"redraw timer {REFRESH_HZ} Hz")
    print(f"{'row':<36}{'reports/s':>10}{'painted/s':>10}{'ratio':>7}{'req/s':>9}"
          f"{'Stop ms':>9}{'gap p50/p99/max ms':>20}  plots = report")
    for name, r in rows.items():
        gaps = f"{r['gap_p50']:.0f}/{r['gap_p99']:.0f}/{r['gap_max']:.0f}"
        print(f"{name:<36}{r['fps']:>10.1f}{r['painted']:>10.1f}"
              f"{r['painted'] / REFRESH_HZ:>7.2f}{r['rps']:>9,.0f}{r['stop_ms']:>9.0f}"
              f"{gaps:>20}  {'yes' if r['plotted_ok'] else 'NO'}")
    print("reports/s: reports drawn into the plots; painted/s: frames Qt painted; ratio: "
          "painted/s to the redraw timer's rate")


if __name__ == "__main__":
    main()
