"""Throughput, latency accuracy and recorder memory of loadgui, against references in the same run.

    /work/venv/bin/python bench/throughput.py [--seconds 5] [--quick]

Starts bench/server.py pinned to core 1, pins every load generator to core 0, sends traffic to
127.0.0.1 only, and prints three tables. It measures and prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import external  # noqa: E402
from server import pin, start_server  # noqa: E402

SERVER_CORE, GENERATOR_CORE = 1, 0
CONCURRENCIES = (64, 256)
LATENCY_CONCURRENCY = 16

Row = Callable[[str, int, float], dict]  # (url, concurrency, seconds) -> result


def server_delays(port: int) -> dict:
    """The 20 ms delays the server really served since the last call (and resets them)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/__delays")
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def unpin() -> None:
    """In a child: undo the generator-core pin, for rows that spread over every core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))


def child(command: list[str], seconds: float, unpinned: bool = False,
          env: dict[str, str] | None = None) -> tuple[str, float]:
    """Run a generator process; its stdout and the CPU seconds it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, check=True,
                         timeout=seconds + 60, cwd=ROOT, env={**os.environ, **(env or {})},
                         preexec_fn=unpin if unpinned else None).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return out, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def loop_row(name: str) -> Row:
    def row(url: str, concurrency: int, seconds: float) -> dict:
        out, cpu = child([sys.executable, str(BENCH / "loops.py"), name, url,
                          str(concurrency), str(seconds)], seconds)
        return {**json.loads(out), "cpu": cpu}

    return row


def loadgui_row(*flags: str, unpinned: bool = False, env: dict[str, str] | None = None) -> Row:
    """`loadgui run --json` with extra flags, as a user runs it."""

    def row(url: str, concurrency: int, seconds: float) -> dict:
        base, _, path = url.partition("//")[2].partition("/")
        out, cpu = child([sys.executable, "-m", "loadgui", "run", "--base-url",
                          f"http://{base}", "-e", "/" + path, "-c", str(concurrency),
                          "--duration", str(seconds), "--retries", "0", "--json",
                          "--traffic-pattern", "constant", "--no-live-plot", *flags],
                         seconds, unpinned, env)
        summary = json.loads(out.strip().splitlines()[-1])
        return {"requests": summary["requests"], "rps": summary["rps"], "cpu": cpu,
                "errors": summary["failures"] + summary["exceptions"],
                "p50_ms": summary["latency_ms"]["p50"], "p99_ms": summary["latency_ms"]["p99"]}

    return row


loadgui_cli = loadgui_row()


def dask_row(*flags: str, workers: int = 2) -> Row:
    """`loadgui run --cluster` on a loopback Dask cluster (`loadgui scheduler`, `loadgui worker
    --nworkers N`) started unpinned on first use and stopped at exit; CPU counts the cluster's."""
    address: list[str] = []
    started: list[subprocess.Popen] = []

    @atexit.register
    def stop() -> None:  # the workers first: without a scheduler they linger
        for process in reversed(started):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()

    def start_cluster() -> None:
        from distributed import Client

        folder = Path(tempfile.mkdtemp(prefix="loadgui-dask-"))
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL,
                 "preexec_fn": unpin, "cwd": ROOT}
        started.append(subprocess.Popen(
            [sys.executable, "-m", "loadgui", "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--", "--no-dashboard", "--scheduler-file", str(folder / "s.json")], **quiet))
        deadline = time.monotonic() + 30
        while not (folder / "s.json").exists() or not (folder / "s.json").read_text():
            if time.monotonic() > deadline:
                raise RuntimeError("the Dask scheduler did not start")
            time.sleep(0.05)
        scheduler = json.loads((folder / "s.json").read_text())["address"]
        started.append(subprocess.Popen(
            [sys.executable, "-m", "loadgui", "worker", scheduler, "--nworkers", str(workers),
             "--host", "127.0.0.1"], **quiet))
        with Client(scheduler, timeout=30) as client:  # their start-up is not the row's
            client.wait_for_workers(workers, timeout=60)
        address.append(scheduler)

    def row(url: str, concurrency: int, seconds: float) -> dict:
        import psutil  # comes with distributed

        if not address:
            stop()
            started.clear()
            start_cluster()

        def cpu() -> float:
            procs = [psutil.Process(p.pid) for p in started]
            procs += [c for p in procs for c in p.children(recursive=True)]
            return sum(sum(p.cpu_times()[:2]) for p in procs)

        before = cpu()
        result = loadgui_row("--cluster", address[0], "--cluster-workers", str(workers),
                             *flags, unpinned=True)(url, concurrency, seconds)
        return {**result, "cpu": result["cpu"] + cpu() - before}

    return row


def locust_row(python: str, user_class: str, processes: int = 1) -> Row:
    def row(url: str, concurrency: int, seconds: float) -> dict:
        base, _, path = url.partition("//")[2].partition("/")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = external.run_locust(python, user_class, f"http://{base}", "/" + path,
                                     concurrency, seconds, processes)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {**result, "cpu": after.ru_utime - before.ru_utime
                + after.ru_stime - before.ru_stime}

    return row


def wrk_row(url: str, concurrency: int, seconds: float) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = external.run_wrk(url, concurrency, seconds)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {**result, "cpu": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime}


def throughput_rows() -> list[tuple[str, Row]]:
    rows: list[tuple[str, Row]] = [
        ("(a) httpx reference loop", loop_row("httpx")),
        ("(b) loadgui run --json", loadgui_cli),
        ("(b) loadgui run --client fast", loadgui_row("--client", "fast")),
        ("(c) loadgui run --processes 2 *", loadgui_row("--processes", "2", unpinned=True)),
        ("(c) ... --client fast --processes 2 *",
         loadgui_row("--client", "fast", "--processes", "2", unpinned=True)),
        ("(c) ... the same, workers on asyncio *",
         loadgui_row("--client", "fast", "--processes", "2", unpinned=True,
                     env={"LOADGUI_UVLOOP": "0"})),
        ("(c) ... the same, 2 Dask workers *", dask_row("--client", "fast")),
        ("    engine Run + FastClient", loop_row("engine-fast")),
        ("    FastClient alone", loop_row("fast")),
    ]
    if importlib.util.find_spec("aiohttp"):
        rows.append(("    aiohttp alone", loop_row("aiohttp")))
    python = external.locust_python()
    if python:
        rows.append(("(d) Locust HttpUser", locust_row(python, "Plain")))
        rows.append(("(d) Locust FastHttpUser", locust_row(python, "Fast")))
        rows.append(("(d) Locust FastHttpUser --processes 2 *", locust_row(python, "Fast", 2)))
    if external.wrk_path():
        rows.append(("(e) wrk -t1", wrk_row))
    return rows


def print_window(seconds: float) -> None:
    """The fourth table: the window itself under load (bench/window_load.py)."""
    out, _ = child([sys.executable, str(BENCH / "window_load.py"), str(seconds)], seconds,
                   unpinned=True)
    print("\n== The window under load ==")
    print(out.rstrip())


def fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def print_throughput(port: int, seconds: float) -> None:
    url = f"http://127.0.0.1:{port}/"
    rows = throughput_rows()
    for concurrency in CONCURRENCIES:
        print(f"\n== Throughput: GET {url} at concurrency {concurrency}, {seconds:g} s a row ==")
        print("* unpinned: these rows spread over both cores, sharing them with the server")
        print(f"{'generator':32} {'req/s':>9} {'ratio':>7} {'req/CPU-s':>10} {'p50 ms':>8} "
              f"{'p99 ms':>8} {'errors':>7}")
        first = None
        for label, row in rows:
            try:
                r = row(url, concurrency, seconds)
            except Exception as exc:  # a missing or broken tool is a line, not the end
                print(f"{label:32} failed: {type(exc).__name__}: {str(exc)[:80]}")
                continue
            first = first or r["rps"]
            per_cpu = r["requests"] / r["cpu"] if r.get("cpu") else None
            print(f"{label:32} {r['rps']:9.0f} {r['rps'] / first:6.2f}x {fmt(per_cpu, '.0f'):>10}"
                  f" {fmt(r.get('p50_ms'), '.2f'):>8} {fmt(r.get('p99_ms'), '.2f'):>8} "
                  f"{r.get('errors', 0):7d}", flush=True)


def print_latency(port: int, seconds: float) -> None:
    url = f"http://127.0.0.1:{port}/delay20"
    rows: list[tuple[str, Row]] = [
        ("loadgui run --json (httpx)", loadgui_cli),
        ("httpx reference loop", loop_row("httpx")),
        ("engine Run + FastClient", loop_row("engine-fast")),
    ]
    if external.wrk_path():
        rows.append(("wrk -t1", wrk_row))
    print(f"\n== Latency accuracy: target answers after 20 ms, concurrency "
          f"{LATENCY_CONCURRENCY}, {seconds:g} s a row ==")
    print("server p50/p99: the delays the server really served during that row")
    print(f"{'generator':28} {'p50 ms':>8} {'p99 ms':>8} {'server p50':>11} {'server p99':>11} "
          f"{'p50 - server':>13} {'req/s':>7}")
    for label, row in rows:
        server_delays(port)  # reset
        try:
            r = row(url, LATENCY_CONCURRENCY, seconds)
        except Exception as exc:
            print(f"{label:28} failed: {type(exc).__name__}: {str(exc)[:80]}")
            continue
        truth = server_delays(port)
        gap = (r["p50_ms"] - truth["p50_ms"]) if r.get("p50_ms") and truth["p50_ms"] else None
        print(f"{label:28} {fmt(r.get('p50_ms'), '.2f'):>8} {fmt(r.get('p99_ms'), '.2f'):>8} "
              f"{fmt(truth['p50_ms'], '.2f'):>11} {fmt(truth['p99_ms'], '.2f'):>11} "
              f"{fmt(gap, '+.2f'):>13} {r['rps']:7.0f}", flush=True)


def print_memory() -> None:
    out, _ = child([sys.executable, str(BENCH / "memory.py")], 120)
    m = json.loads(out)
    print(f"\n== Recorder: {m['rows']:,} attempts ==")
    print(f"RSS growth after .extend() in 10k batches: {m['extend_rss_growth_mb']:.1f} MB "
          f"({m['row_bytes']} B of columns a row; the rest is capacity doubling)")
    print(f"Recorder.add() in a Python loop: {m['add_us_per_row']:.2f} µs a row")
    print(f"LatencyHistogram: {m['histogram_bytes'] / 1024:.1f} KB fixed; add_many "
          f"{m['histogram_add_many_us_per_10k']:.0f} µs per 10k rows")
    print("snapshot: live (histogram percentiles) the first time and again with no new rows, "
          "and exact (the final summary)")
    print(f"{'rows':>10} {'live 1st':>9} {'live again':>11} {'exact':>7} {'np.percentile':>14} "
          f"{'hist fill':>10} {'hist pctl':>10} {'hist err':>9}   (ms; err = max rel. p50/p99)")
    for n in ("10000", "100000", "1000000"):
        s = m[n]
        print(f"{int(n):>10,} {s['snapshot_cold_ms']:9.2f} {s['snapshot_warm_ms']:11.2f} "
              f"{s['snapshot_exact_ms']:7.2f} "
              f"{s['exact_percentiles_ms']:14.2f} {s['histogram_fill_ms']:10.2f} "
              f"{s['histogram_percentiles_ms']:10.3f} {s['histogram_max_rel_error']:8.2%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput row")
    parser.add_argument("--quick", action="store_true", help="1 s rows, to check it runs")
    args = parser.parse_args()
    seconds = 1.0 if args.quick else args.seconds
    started = time.perf_counter()
    server, port = start_server(SERVER_CORE)
    pinned = pin(GENERATOR_CORE)
    print(f"loadgui bench: Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"server on core {SERVER_CORE}, generators "
          f"{'on core ' + str(GENERATOR_CORE) if pinned else 'not pinned'}")
    print(f"load average at start: {os.getloadavg()[0]:.2f} (other work on the machine makes "
          f"req/s noisy; req/CPU-s is steadier)")
    sniffio = importlib.util.find_spec("sniffio") is not None
    print("sniffio: " + ("installed" if sniffio else "MISSING, so httpcore retries a failed "
                         "import several times a request and httpx runs ~1.5x slower"))
    try:
        print_throughput(port, seconds)
        print_latency(port, min(seconds, 4.0))
        print_memory()
        print_window(max(seconds, 5.0))
    finally:
        server.terminate()
        server.wait(5)
    print(f"\ndone in {time.perf_counter() - started:.0f} s; "
          f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
