"""One mock instance as a child process: `python -m mock_server --port 0 ...`.

The child prints its ready line (with its URL) once it serves, and exits when its stdin closes,
so it cannot outlive the process that started it, even one killed with SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from mock_server.settings import MockSettings
from mock_server.threaded_server import MockServerError

_READY = re.compile(r"serving on http://\S*:(\d+)")
# The folder holding the mock_server package, so the child imports the same code.
_IMPORT_ROOT = str(Path(__file__).resolve().parent.parent)
# Seconds an instance keeps an idle connection from the proxy open: longer than any run. The
# proxy never expires its connections either (see proxy.py): neither side may close an idle
# connection that the other side may be about to send a request on.
INSTANCE_KEEP_ALIVE = 24 * 3600


def ready_line(prog: str, url: str, what: str = "") -> str:
    """The line a mock server prints once it accepts requests."""
    return f"{prog}: serving on {url} ({what + '; ' if what else ''}Ctrl+C to stop)"


def port_from_ready_line(line: str) -> int | None:
    match = _READY.search(line)
    return int(match.group(1)) if match else None


class InstanceProcess:
    """A child process running one mock instance on host and a free port."""

    def __init__(self, instance_id: str, settings: MockSettings, host: str = "127.0.0.1") -> None:
        self.instance_id = instance_id
        self.settings = settings
        """What the child was started with."""
        self._host = host
        self._process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def exit_code(self) -> int | None:
        """None while running (or never started); the return code once it has ended."""
        return self._process.poll() if self._process is not None else None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def command(self) -> list[str]:
        s = self.settings
        return [
            sys.executable,
            "-m",
            "mock_server",
            "--host", self._host,
            "--port", "0",
            "--instance-id", self.instance_id,
            "--min-latency", repr(s.min_latency),
            "--max-latency", repr(s.max_latency),
            "--error-rate", repr(s.error_rate),
            "--max-body-bytes", str(s.max_body_bytes),
            "--keep-alive", str(INSTANCE_KEEP_ALIVE),
            "--exit-on-stdin-eof",
        ]  # fmt: skip

    def spawn(self) -> None:
        """Start the child; does not wait for it (see wait_ready)."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_IMPORT_ROOT, env.get("PYTHONPATH")]))
        self._process = subprocess.Popen(
            self.command(),
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # Own session: a terminal's Ctrl+C goes to the owner, which stops us in order.
            start_new_session=True,
        )

    def wait_ready(self) -> int:
        """Block until the child reports its port. Raises MockServerError if it ends first.

        Bound it from outside: `kill()` from another thread ends the wait.
        """
        process = self._process
        if process is None or process.stdout is None:
            raise MockServerError(f"instance {self.instance_id} was never started")
        for raw in process.stdout:
            port = port_from_ready_line(raw.decode(errors="replace"))
            if port is not None:
                self.port = port
                return port
        code = process.wait()
        raise MockServerError(f"instance {self.instance_id} exited with code {code} while starting")

    def stop(self, timeout: float = 3.0) -> None:
        """Ask the child to exit (stdin EOF, then SIGTERM), kill it after timeout, reap it."""
        process = self._process
        if process is None:
            return
        self._close_stdin()
        for ask in (None, signal.SIGTERM, signal.SIGKILL):
            if process.poll() is not None:
                break
            if ask is not None:
                process.send_signal(ask)
            try:
                process.wait(timeout / 2)
            except subprocess.TimeoutExpired:
                continue
        self._reap()

    def kill(self) -> None:
        """SIGKILL and reap. Safe to call from any thread, any number of times."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        self._reap()

    def _reap(self) -> None:
        process = self._process
        assert process is not None
        try:
            process.wait(5.0)
        except subprocess.TimeoutExpired:
            return
        self._close_stdin()
        if process.stdout is not None:
            process.stdout.close()

    def _close_stdin(self) -> None:
        process = self._process
        if process is not None and process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
