"""hypercorn started by PID, serving HTTP/2 over TLS (with tests/tls_certificates.py's
certificates) and h2c."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).parent
REPO = HERE.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"hypercorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"hypercorn did not listen on port {port} within {seconds:g} s")


@contextmanager
def hypercorn(cert: Path, key: Path, *extra: str) -> Iterator[tuple[int, int]]:
    """hypercorn serving transport_helpers:answer: (TLS port, plain port for h2c).

    Started as a process and stopped by its PID.
    """
    tls_port, plain_port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO)])}
    process = subprocess.Popen(
        [sys.executable, "-m", "hypercorn", "--bind", f"127.0.0.1:{tls_port}",
         "--insecure-bind", f"127.0.0.1:{plain_port}", "--certfile", str(cert),
         "--keyfile", str(key), "--log-level", "warning", *extra,
         "transport_helpers:answer"],
        cwd=HERE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(tls_port, process)
        wait_for_port(plain_port, process)
        yield tls_port, plain_port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
