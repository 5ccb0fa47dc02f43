"""Recorder memory and report cost at 10k..1M attempts, and the histogram on the same data.

`python bench/memory.py` prints one JSON object; bench/throughput.py runs it in a fresh process
so that the RSS it measures is this work's alone.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadgui.engine import Recorder
from loadgui.engine.stats.histogram import LatencyHistogram
from loadgui.engine.stats.recorder import COLUMN_TYPES
from loadgui.engine.stats.report_build import report_of_rows

ROWS = 1_000_000
BATCH = 10_000
SIZES = (10_000, 100_000, 1_000_000)
RUN_SECONDS = 100.0  # the made-up run the rows are spread over (100 one-second intervals)


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def attempts(n: int, seed: int = 6) -> dict[str, np.ndarray]:
    """n rows that look like a run: lognormal latencies, 1 % 503s, completion-ordered."""
    rng = np.random.default_rng(seed)
    latency = rng.lognormal(np.log(0.020), 0.6, n)
    end = np.sort(rng.uniform(0.02, RUN_SECONDS, n))
    status = np.where(rng.random(n) < 0.01, 503, 200).astype(np.int16)
    rows = {"t_start": np.maximum(end - latency, 0.0), "latency": latency, "status": status,
            "bytes": np.full(n, 512, np.int64), "attempt": np.ones(n, np.uint8),
            "key": np.full(n, -1, np.int32), "error": np.zeros(n, np.uint8)}
    # Every other column (wait, request, target, ...) as zeros of its type.
    return {name: rows.get(name, np.zeros(n, dtype)) for name, dtype in COLUMN_TYPES.items()}


def timed(function, repeat: int = 1) -> float:
    """Best of `repeat` wall-clock times of function(), in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    data = attempts(ROWS)
    result: dict = {"rows": ROWS}

    before, peak_before = rss_bytes(), peak_rss_bytes()
    recorder = Recorder()
    for lo in range(0, ROWS, BATCH):
        recorder.extend({name: col[lo:lo + BATCH] for name, col in data.items()})
    result["extend_rss_growth_mb"] = (rss_bytes() - before) / 2**20
    result["extend_peak_growth_mb"] = (peak_rss_bytes() - peak_before) / 2**20
    result["row_bytes"] = sum(np.dtype(t).itemsize for t in COLUMN_TYPES.values())
    del recorder

    adder = Recorder()
    add = adder.add
    columns = [data[name].tolist() for name in COLUMN_TYPES]
    started = time.perf_counter()
    for row in zip(*columns, strict=True):
        add(*row)
    result["add_us_per_row"] = (time.perf_counter() - started) / ROWS * 1e6
    del adder, columns

    for n in SIZES:
        part = {name: col[:n] for name, col in data.items()}
        recorder = Recorder()
        recorder.extend(part)
        cold = timed(lambda r=recorder: report_of_rows(r, RUN_SECONDS, final=False))
        warm = timed(lambda r=recorder: report_of_rows(r, RUN_SECONDS, final=False), repeat=3)
        final = timed(lambda r=recorder: report_of_rows(r, RUN_SECONDS), repeat=3)
        exact = timed(lambda p=part: np.percentile(p["latency"], [50, 90, 99]), repeat=3)
        histogram = LatencyHistogram()
        fill = timed(lambda h=histogram, p=part: h.add_many(p["latency"]))
        query = timed(lambda h=histogram: h.percentiles([50, 90, 99]), repeat=20)
        truth = np.percentile(part["latency"], [50, 99])
        estimate = np.array(histogram.percentiles([50, 99]))
        result[str(n)] = {
            "snapshot_cold_ms": cold * 1e3, "snapshot_warm_ms": warm * 1e3,
            "snapshot_exact_ms": final * 1e3,
            "exact_percentiles_ms": exact * 1e3, "histogram_fill_ms": fill * 1e3,
            "histogram_percentiles_ms": query * 1e3,
            "histogram_max_rel_error": float(np.abs(estimate / truth - 1).max()),
        }

    ten_k = data["latency"][:BATCH]
    histogram = LatencyHistogram()
    result["histogram_add_many_us_per_10k"] = timed(lambda: histogram.add_many(ten_k),
                                                    repeat=50) * 1e6
    result["histogram_bytes"] = histogram._counts.nbytes
    print(json.dumps(result))


if __name__ == "__main__":
    main()
