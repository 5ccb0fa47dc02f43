"""The window's run history against its budget: a stored 1,000,000-attempt run opened into
the dashboard in <= 1 s, the GUI thread never held up meanwhile.

Two 1M-attempt runs are built with numpy and saved through the store's writer API
(`begin_run`, `append` in 10,000-row chunks, `finish`) in a temporary store; the window
(offscreen) then opens one (store read in a worker thread, then the dashboard drawn), and
compares the two. Each open is timed from the call to the dashboard's next paint. Prints
figures; asserts nothing.

    python bench/window_history.py [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time

import numpy as np
from memory import attempts
from PySide6.QtCore import QSettings
from window_probe import PROBE_MS, Probe, close, run_in_window_loop, until

from loadgui.engine import Recorder
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.profile import Limits, Profile, Target
from loadgui.store import RunStore
from loadgui.ui.main_window import MainWindow

ROWS = 1_000_000
CHUNK = 10_000
BUDGET_S = 1.0


def build_run(store: RunStore, name: str, seed: int) -> tuple[int, float]:
    """A 1M-attempt run through the writer API; (its id, seconds to save it)."""
    columns = attempts(ROWS, seed=seed)
    columns["message"] = (columns["status"] == 503).astype(np.uint16)
    recorder = Recorder(capacity=ROWS)
    recorder.extend(columns, ["", "HTTP 503: overloaded"])
    report = report_of_rows(recorder)
    profile = Profile(target=Target(base_url="http://127.0.0.1:8000"),
                      limits=Limits(total_requests=ROWS))
    started = time.perf_counter()
    writer = store.begin_run(profile, name=name, source="bench")
    for i in range(0, ROWS, CHUNK):
        writer.append({k: v[i:i + CHUNK] for k, v in columns.items()}, recorder.messages)
    info = writer.finish(report)
    return info.id, time.perf_counter() - started


async def timed_open(w: MainWindow, probe: Probe, run_id: int) -> tuple[float, float]:
    """(seconds from open to the dashboard painted with it, longest loop gap in ms)."""
    w.history.show_history(False)
    w.results.clear()
    await asyncio.sleep(0.2)
    probe.gaps.clear()
    paints = probe.paints
    started = time.perf_counter()
    task = w.history.open_run(run_id)
    assert task is not None
    await until(lambda: task.done() and probe.paints > paints)
    took = time.perf_counter() - started
    assert task.result() and w.summary.value("Requests") == f"{ROWS:,}"
    return took, max(probe.gaps, default=0.0) * 1000


async def measure(a_id: int, b_id: int, repeat: int) -> dict[str, list[float]]:
    QSettings().clear()
    w = MainWindow(start_mock=False)
    w.resize(1360, 860)
    w.show()
    await w.history.idle()
    probe = Probe()
    w.dashboard.view.viewport().installEventFilter(probe)
    out: dict[str, list[float]] = {"open_s": [], "gap_ms": [], "compare_s": []}
    for _ in range(repeat):
        took, gap = await timed_open(w, probe, b_id)
        out["open_s"].append(took)
        out["gap_ms"].append(gap)
    for _ in range(repeat):
        started = time.perf_counter()
        await w.history.compare_runs(a_id, b_id)
        await asyncio.sleep(0)
        out["compare_s"].append(time.perf_counter() - started)
    await close(w)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LOADGUI_HOME"] = tmp
        store = RunStore.open()
        a_id, _ = build_run(store, "bench-1m", seed=6)
        b_id, save_s = build_run(store, "bench-1m", seed=7)
        out = run_in_window_loop(measure(a_id, b_id, args.repeat))
    opens, gaps, compares = out["open_s"], out["gap_ms"], out["compare_s"]
    print(f"stored run of {ROWS:,} attempts (saved through the writer in {save_s:.2f} s), "
          f"{os.cpu_count()} cores, offscreen, {args.repeat} opens")
    print(f"  open -> dashboard painted   first {opens[0]:.3f} s, best {min(opens):.3f} s, "
          f"worst {max(opens):.3f} s   budget {BUDGET_S:g} s")
    print(f"  longest GUI-loop gap meanwhile  {max(gaps):.0f} ms (probe every {PROBE_MS} ms)")
    print(f"  compare two 1M runs -> shown   best {min(compares):.3f} s, "
          f"worst {max(compares):.3f} s")


if __name__ == "__main__":
    main()
