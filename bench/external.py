"""Other load generators for the comparison, each run as a subprocess when it is available."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def locust_python() -> str | None:
    """An interpreter with locust: this one, or the one named by $BENCH_LOCUST_PYTHON."""
    import importlib.util

    if importlib.util.find_spec("locust") is not None:
        return sys.executable
    candidate = os.environ.get("BENCH_LOCUST_PYTHON")
    return candidate if candidate and Path(candidate).exists() else None


def run_locust(python: str, user_class: str, base_url: str, path: str, users: int,
               seconds: float, processes: int = 1) -> dict:
    """Locust headless (its own --processes when more than one); rps over the sending time."""
    command = [python, "-m", "locust", "-f", str(BENCH / "locustfile.py"), "--headless",
               "-u", str(users), "-r", "100000", "-t", f"{seconds:g}s", "-H", base_url,
               "--only-summary", "--json", "--skip-log", user_class]
    if processes > 1:
        command[3:3] = ["--processes", str(processes)]
    unpin = (lambda: os.sched_setaffinity(0, range(os.cpu_count() or 1))) if processes > 1 \
        else None
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                          env={**os.environ, "BENCH_PATH": path}, check=False,
                          preexec_fn=unpin)
    entries = [e for e in _json_documents(done.stdout) if e["num_requests"]]
    entries.sort(key=lambda e: -e["num_requests"])  # with --processes, the master's totals
    if not entries:
        raise RuntimeError(f"locust printed no stats: {done.stderr.strip()[-300:]}")
    stats = entries[0]
    took = stats["last_request_timestamp"] - stats["start_time"]
    times = {int(ms): n for ms, n in stats["response_times"].items()}
    return {"requests": stats["num_requests"], "elapsed": took,
            "rps": stats["num_requests"] / took, "errors": stats["num_failures"],
            "p50_ms": bucket_percentile(times, 0.50), "p99_ms": bucket_percentile(times, 0.99)}


def _json_documents(text: str) -> list[dict]:
    """Every stats entry in stdout: locust --processes prints one JSON list per process."""
    decoder, entries, at = json.JSONDecoder(), [], 0
    text = text.strip()
    while at < len(text):
        document, end = decoder.raw_decode(text, at)
        entries.extend(document if isinstance(document, list) else [document])
        at = end
        while at < len(text) and text[at].isspace():
            at += 1
    return entries


def bucket_percentile(counts: dict[int, int], q: float) -> float | None:
    """Locust keeps response times rounded to whole milliseconds (and coarser above 100 ms)."""
    total = sum(counts.values())
    seen = 0
    for ms in sorted(counts):
        seen += counts[ms]
        if seen >= q * total:
            return float(ms)
    return None


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run_wrk(url: str, connections: int, seconds: float) -> dict:
    """wrk with one thread (one core) and `connections` keep-alive connections."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
               url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30,
                         check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests": requests, "elapsed": requests / rps if rps else 0.0, "rps": rps,
            "errors": int(errors.group(1)) if errors else 0,
            "p50_ms": wrk_latency(out, "50%"), "p99_ms": wrk_latency(out, "99%")}


def wrk_latency(out: str, label: str) -> float | None:
    match = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    return float(match.group(1)) * UNITS_MS[match.group(2)] if match else None
