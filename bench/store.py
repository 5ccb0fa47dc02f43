"""The run store against its budgets: a 1,000,000-attempt run saved in <= 1 s and <= 16 MB,
opened in <= 1 s; streamed in chunks with flat memory; 200 runs listed.

`python bench/store.py` prints one table (and `--json` one JSON object) and asserts nothing;
beside each figure, the same columns through numpy's own `savez_compressed` as a reference
measured in the same run. Works in a temporary store; nothing else is touched.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import attempts, rss_bytes

from loadgui.engine import Recorder
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.profile import Profile
from loadgui.store import RunStore

ROWS = 1_000_000
CHUNK = 10_000
BUDGET = {"save_s": 1.0, "size_mb": 16.0, "open_s": 1.0}


def timed(function):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main() -> None:
    columns = attempts(ROWS)
    columns["message"] = (columns["status"] == 503).astype(np.uint16)
    recorder = Recorder(capacity=ROWS)
    recorder.extend(columns, ["", "HTTP 503: overloaded"])
    report = report_of_rows(recorder)
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore.open(Path(tmp) / "home")
        save_s, info = timed(lambda: store.save_columns(
            Profile(), report, columns, recorder.messages, name="bench"))
        out["save_s"], out["size_mb"] = save_s, info.size_bytes / 1e6

        def open_all() -> int:
            run = RunStore.open(store.home).open_run(info.id)
            return len(run.columns())

        out["open_s"], rows = timed(open_all)
        assert rows == ROWS

        reference = Path(tmp) / "reference.npz"
        out["ref_save_s"], _ = timed(lambda: np.savez_compressed(reference, **columns))
        out["ref_size_mb"] = reference.stat().st_size / 1e6
        out["ref_open_s"], _ = timed(lambda: {k: v for k, v in np.load(reference).items()})
        out["raw_mb"] = sum(c.nbytes for c in columns.values()) / 1e6

        out.update(streamed(store, columns, report))
        out.update(listed(Path(tmp) / "many"))
    if "--json" in sys.argv:
        print(json.dumps({k: round(v, 4) for k, v in out.items()}))
        return
    print(f"1,000,000 attempts ({out['raw_mb']:.0f} MB in memory), 2-core machine")
    for key, label, unit in (("save_s", "save (one batch)", "s"), ("size_mb", "on disk", "MB"),
                             ("open_s", "open + read columns", "s")):
        ref = out[f"ref_{key}"]
        print(f"  {label:<22} {out[key]:8.3f} {unit:<3} budget {BUDGET[key]:>5g}   "
              f"numpy savez_compressed {ref:7.3f} {unit} (x{out[key] / ref:.2f})")
    print(f"  {'save (100 chunks)':<22} {out['stream_s']:8.3f} s   "
          f"{out['stream_mb']:.1f} MB; memory growth over the last 90 chunks "
          f"{out['stream_rss_growth_mb']:+.1f} MB")
    print(f"  {'list 200 runs':<22} {out['list_s'] * 1000:8.1f} ms; "
          f"open the catalog {out['catalog_open_s'] * 1000:.1f} ms")


def streamed(store: RunStore, columns: dict[str, np.ndarray], report) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The run saved as it goes: 100 batches of 10,000 rows, as a long run would."""
    writer = store.begin_run(Profile(), name="streamed")
    started = time.perf_counter()
    rss_after_10 = 0
    for i in range(0, ROWS, CHUNK):
        writer.append({k: v[i:i + CHUNK] for k, v in columns.items()}, ["", "x"])
        if i == 9 * CHUNK:
            rss_after_10 = rss_bytes()
    info = writer.finish(report)
    return {"stream_s": time.perf_counter() - started, "stream_mb": info.size_bytes / 1e6,
            "stream_rss_growth_mb": (rss_bytes() - rss_after_10) / 1e6}


def listed(home: Path) -> dict[str, float]:
    store = RunStore.open(home)
    small = attempts(1000, seed=2)
    recorder = Recorder()
    recorder.extend(small)
    report = report_of_rows(recorder)
    for _ in range(200):
        store.save_columns(Profile(), report, small, [""], name="small")
    catalog_s, again = timed(lambda: RunStore.open(home))
    list_s, runs = timed(again.list_runs)
    assert len(runs) == 200
    return {"list_s": list_s, "catalog_open_s": catalog_s}


if __name__ == "__main__":
    os.environ.pop("LOADGUI_HOME", None)
    main()
