"""Recorder memory and report cost at 10k..1M attempts, and the histogram on the same data.

`python bench/memory.py` prints one JSON object; bench/throughput.py runs it in a fresh process
so that the RSS it measures is this work's alone.

`python bench/memory.py --saved-run [SECONDS] [HOLD]` measures a long saved run instead (about
2 × SECONDS): `loadgui run` with the fast client at concurrency 64 against bench/server.py for
SECONDS (default 90), saved in a temporary run store, once as loadgui runs (stored rows leave
memory past HOLD held rows, default the recorder's 1,000,000) and once keeping every row (the
reference), each in a fresh process whose RSS is sampled every 0.5 s. It prints both, and
what they give for one hour at 40k req/s: the reference's MB per row times 144M rows, and the
bounded run's peak plus its late growth (MB/s over the second half) times the hour left.
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
from loadgui.engine.stats.recorder import COLUMN_TYPES, HOLD_ROWS
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


HOUR_ROWS = 40_000 * 3600


def saved_run(seconds: float, hold: int) -> None:
    import tempfile

    from server import start_server

    with tempfile.TemporaryDirectory() as tmp:
        server, port = start_server()
        try:
            url = f"http://127.0.0.1:{port}"
            runs = {label: _measured_child(url, seconds, rows, os.path.join(tmp, label))
                    for label, rows in (("dropping", hold), ("reference", 10**15))}
        finally:
            server.kill()
            server.wait()
    dropping, reference = runs["dropping"], runs["reference"]
    per_row = (reference["peak_mb"] - reference["rss_start_mb"]) / reference["attempts"]
    # The bounded run's memory is bounded by construction: two sets of columns of
    # 1.25 × HOLD_ROWS rows used in turn (their pages become resident as rows fill them, so
    # the RSS creeps up until both are full: the late slope), plus what else the run keeps
    # per one-second interval (series, gauges: ~1 KB each, 3,600 in an hour), plus the
    # final report's spike over the sending RSS.
    columns_mb = 2 * 1.25 * HOLD_ROWS * dropping["row_bytes"] / 2**20
    spike_mb = max(0.0, dropping["peak_mb"] - dropping["rss_sending_max_mb"])
    hour_bound = (max(dropping["rss_sending_max_mb"], dropping["rss_start_mb"] + columns_mb)
                  + 3600 * 1024 / 2**20 + spike_mb)
    # Pessimistic, and impossible past the bound: the late growth scaled to 40k req/s and
    # carried on linearly for the rest of the hour.
    late = max(0.0, dropping["late_slope_mb_per_s"]) * max(1.0, 40_000 / dropping["rps"])
    linear: float | str = dropping["peak_mb"] + late * (3600 - seconds)
    if dropping["steady_seconds_measured"] < 10:
        linear = "not measured: the run never held rows steadily for 10 s; run longer"
    print(json.dumps({
        "seconds": seconds, "hold_rows": hold, "dropping": dropping, "reference": reference,
        "reference_mb_per_million_rows": per_row * 1e6,
        "one_hour_40k_rps": {
            "rows": HOUR_ROWS,
            "keeping_every_row_mb": reference["rss_start_mb"] + per_row * HOUR_ROWS,
            "dropping_stored_rows_bound_mb": hour_bound,
            "dropping_columns_mb": columns_mb,
            "dropping_if_late_growth_went_on_linearly_mb": linear},
    }, indent=2))


def _measured_child(url: str, seconds: float, hold: int, home: str) -> dict:
    """One `loadgui run` in a fresh process, its RSS sampled every 0.5 s."""
    import subprocess

    argv = [sys.executable, __file__, "--child", str(hold), "run", "--base-url", url,
            "-e", "/", "--client", "fast", "-c", "64", "--duration", str(seconds),
            "--no-live-plot", "--json"]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env={**os.environ, "LOADGUI_HOME": home})
    started = time.monotonic()
    samples: list[tuple[float, float]] = []
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        try:
            with open(f"/proc/{child.pid}/status") as proc:
                rss_kb = next(int(line.split()[1]) for line in proc
                              if line.startswith("VmRSS:"))
            samples.append((time.monotonic() - started, rss_kb / 1024))
        except (OSError, StopIteration):
            pass
        time.sleep(0.5)
    assert child.stdout is not None
    report = json.loads(child.stdout.read().decode().strip().splitlines()[-1])
    attempts = report["attempts"] if "attempts" in report else report["requests"]
    # While sending (the start-up and the final report apart): every 5 s, and the MB/s once
    # steady, as a least-squares line rather than two noisy end points. Steady: after the
    # third trim (the first two allocate the two sets of columns used in turn from then on),
    # or the second half of the run when it never holds `hold` rows.
    sending = np.array([(t, rss) for t, rss in samples if 1.0 <= t <= seconds]).reshape(-1, 2)
    rate = attempts / seconds
    steady_from = max(seconds / 2, 3 * hold / rate + 5 if hold < attempts else 0.0)
    late = sending[sending[:, 0] >= steady_from]
    slope = float(np.polyfit(late[:, 0], late[:, 1], 1)[0]) if len(late) > 2 else 0.0
    every_5s = {f"{t:.0f}s": round(float(rss), 1) for t, rss in sending
                if abs(t / 5 - round(t / 5)) * 5 < 0.26 and round(t) > 0}
    return {"attempts": attempts, "rps": round(attempts / seconds),
            "exit": os.waitstatus_to_exitcode(status),
            "latency_exact": report["latency_ms"].get("exact"),
            "peak_mb": usage.ru_maxrss / 1024,
            "rss_start_mb": float(sending[0, 1]) if len(sending) else 0.0,
            "rss_sending_max_mb": float(sending[:, 1].max()) if len(sending) else 0.0,
            "rss_every_5s_mb": every_5s,
            "late_slope_mb_per_s": slope, "steady_from_s": round(steady_from, 1),
            "steady_seconds_measured": round(max(0.0, seconds - steady_from), 1),
            "row_bytes": sum(np.dtype(t).itemsize for t in COLUMN_TYPES.values())}


def child_run(hold: int, argv: list[str]) -> int:
    """`loadgui` in this process, its recorders holding at most `hold` rows once saved."""
    from loadgui.commands.main import main as loadgui_main
    from loadgui.engine.stats import recorder

    recorder.HOLD_ROWS = hold
    return loadgui_main(argv)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(child_run(int(sys.argv[2]), sys.argv[3:]))
    elif sys.argv[1:2] == ["--saved-run"]:
        saved_run(float(sys.argv[2]) if len(sys.argv) > 2 else 90.0,
                  int(sys.argv[3]) if len(sys.argv) > 3 else HOLD_ROWS)
    else:
        main()
