"""What checks cost: the engine's Run with the fast client against a server answering a 1 KB
JSON body, with no checks and with five, in alternating rounds. Prints requests/s and
requests per CPU-second of the generator (the steadier figure on a shared machine) for each,
best and median over the rounds, and their ratios (target: >= 0.8).

`python bench/checks.py [SECONDS]` (default 1 s a run, six rounds) starts its own
server (`--serve PORT_FILE`) in a process pinned to core 1, pins itself to core 0 and sends
traffic to 127.0.0.1 only. Asserts nothing.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server import pin, wait_for_port  # noqa: E402  (bench/server.py: run from bench/)

CONCURRENCY = 32
ROUNDS = 6  # each runs both, in turn first: what runs first in a round runs a little slower
BODY = json.dumps({
    "data": {"id": 42, "name": "widget", "tags": ["a", "b", "c"], "ok": True,
             "text": "x" * 906},
    "meta": {"page": 1, "of": 10},
}).encode()
ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
          + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)
FIVE_CHECKS = [
    {"status": "2xx"},
    {"max_latency_ms": 1000},
    {"json_path": "data.id"},
    {"json_path": "data.name", "json_equals": "widget"},
    {"header": "Content-Type", "header_equals": "application/json"},
]


class Answer(asyncio.Protocol):
    """Keep-alive; every request (read up to its blank line) gets the same 1 KB JSON."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport, self.buffer = transport, b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            self.buffer = self.buffer[end + 4:]
            self.transport.write(ANSWER)


def serve(port_file: str) -> None:
    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Answer, "127.0.0.1", 0)
        Path(port_file).write_text(str(server.sockets[0].getsockname()[1]))
        await server.serve_forever()

    pin(1)
    asyncio.run(main())


def start_server() -> tuple[subprocess.Popen[bytes], int]:
    port_file = Path(tempfile.mkdtemp()) / "port"
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file)])
    return server, wait_for_port(server, port_file, "checks bench server")


def one_round(port: int, checks: list[dict[str, Any]], seconds: float) -> tuple[float, float]:
    """(requests/s, requests per CPU-second of this process) for one run."""
    from loadgui.engine import Run
    from loadgui.profile import Profile

    profile = Profile.from_dict({
        "target": {"base_url": f"http://127.0.0.1:{port}", "endpoint": "/", "client": "fast",
                   "checks": checks},
        "load": {"concurrency": CONCURRENCY}, "retry": {"retries": 0},
        "limits": {"duration": seconds}})
    run = Run(profile)
    before = resource.getrusage(resource.RUSAGE_SELF)
    asyncio.run(run.run())
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    report = run.report()
    assert report.errors == (), report.errors  # every check passes on this body
    return report.rps, report.requests / cpu


def main(seconds: float) -> None:
    server, port = start_server()
    pin(0)
    try:
        one_round(port, [], 0.5)  # warm up: imports, first connections
        results: dict[str, list[tuple[float, float]]] = {"no checks": [], "5 checks": []}
        runs: list[tuple[str, list[dict[str, Any]]]] = [("no checks", []),
                                                         ("5 checks", FIVE_CHECKS)]
        for number in range(ROUNDS):
            for name, checks in runs if number % 2 == 0 else runs[::-1]:
                results[name].append(one_round(port, checks, seconds))
    finally:
        server.kill()
        server.wait()
    print(f"fast client, concurrency {CONCURRENCY}, {len(BODY)}-byte JSON body, "
          f"{ROUNDS} rounds of {seconds:g} s")
    # The best run is the least disturbed by other work on the machine; the median shows
    # how much that was.
    for label, pick in (("best", max), ("median", statistics.median)):
        figures = {name: (pick(r[0] for r in rows), pick(r[1] for r in rows))
                   for name, rows in results.items()}
        for name, (rps, per_cpu) in figures.items():
            print(f"  {label:<6} {name:<10} {rps:>10,.0f} req/s  {per_cpu:>10,.0f} req/CPU-s")
        rps_ratio = figures["5 checks"][0] / figures["no checks"][0]
        cpu_ratio = figures["5 checks"][1] / figures["no checks"][1]
        print(f"  {label:<6} ratio      {rps_ratio:>10.2f} (req/s)  {cpu_ratio:>7.2f} "
              f"(req/CPU-s)   target >= 0.80")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--serve":
        serve(sys.argv[2])
    else:
        main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
