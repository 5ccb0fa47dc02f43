"""A minimal asyncio HTTP/1.1 server for the benchmarks, meant to run in its own process.

GET /         -> 200 "ok" at once
GET /delay20  -> 200 "ok" 20 ms after the request arrived; asyncio's timer wakes up to ~1 ms
                 late, so the server measures each delay it really served (the ground truth)
GET /__delays -> JSON p50/p99 (ms) of the /delay20 delays served since the last call

`python bench/server.py PORT_FILE [CPU]` binds a free port on 127.0.0.1, writes it to PORT_FILE
and serves until killed; with CPU it first pins itself to that core. `start_server()` does that
for the other benchmarks; `wait_for_port` and `pin` serve their own servers too.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
DELAY_S = 0.020


class BenchProtocol(asyncio.Protocol):
    """Keep-alive, no pipelining; requests are read up to the blank line (bodies ignored)."""

    delays: list[float] = []  # noqa: RUF012 (one server per process)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.buffer = b""
        self.loop = asyncio.get_running_loop()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head, self.buffer = self.buffer[:end], self.buffer[end + 4:]
            path = head.split(b" ", 2)[1]
            if path == b"/":
                self.transport.write(OK)
            elif path == b"/delay20":
                self._answer_late(time.perf_counter())
            elif path == b"/__delays":
                self._report_delays()
            else:
                self.transport.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

    def _answer_late(self, arrived: float) -> None:
        def answer() -> None:
            BenchProtocol.delays.append(time.perf_counter() - arrived)
            if not self.transport.is_closing():
                self.transport.write(OK)

        self.loop.call_later(DELAY_S, answer)

    def _report_delays(self) -> None:
        delays = sorted(BenchProtocol.delays)
        BenchProtocol.delays = []

        def at(q: float) -> float | None:
            return round(delays[min(len(delays) - 1, int(q * len(delays)))] * 1000, 3) \
                if delays else None

        body = json.dumps({"count": len(delays), "p50_ms": at(0.50), "p99_ms": at(0.99)})
        self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body.encode()))


async def serve(port_file: str) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(4096)
    # create_server listens again with its own backlog (100 unless told): 256 clients
    # connecting at once would overflow it and wait 1 s for the SYN to be retried.
    server = await asyncio.get_running_loop().create_server(BenchProtocol, sock=sock,
                                                            backlog=4096)
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(sock.getsockname()[1]))
    os.replace(tmp, port_file)  # the reader sees the whole port or nothing
    async with server:
        await server.serve_forever()


def pin(core: int) -> bool:
    """Pin this process to `core`; False where the platform or the machine cannot."""
    if not hasattr(os, "sched_setaffinity") or core >= (os.cpu_count() or 1):
        return False
    os.sched_setaffinity(0, {core})
    return True


def wait_for_port(process: subprocess.Popen[bytes], port_file: Path, what: str,
                  timeout: float = 10.0) -> int:
    """The port a server `process` starting up writes to `port_file`."""
    deadline = time.monotonic() + timeout
    while not (port_file.exists() and port_file.read_text().strip()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"{what} did not start")
        time.sleep(0.02)
    return int(port_file.read_text())


def start_server(core: int | None = None) -> tuple[subprocess.Popen[bytes], int]:
    """This server in a process of its own, pinned to `core` when given: (process, port)."""
    port_file = Path(tempfile.mkdtemp(prefix="loadgui-bench-")) / "port"
    pinned = [] if core is None else [str(core)]
    process = subprocess.Popen([sys.executable, __file__, str(port_file), *pinned])
    return process, wait_for_port(process, port_file, "bench/server.py")


def main() -> None:
    if len(sys.argv) > 2:
        pin(int(sys.argv[2]))
    asyncio.run(serve(sys.argv[1]))


if __name__ == "__main__":
    main()
