"""`loadgui` in a process of its own, as a user runs it: the tests' one way to start it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

CLI = [sys.executable, "-m", "loadgui"]


def loadgui(*args: str, timeout: float = 60,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`loadgui ARGS` to its end; `env` on top of this process's environment."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def start(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`command` started with its output captured (`env`: its whole environment)."""
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)


def finish(proc: subprocess.Popen[str], timeout: float = 60) -> tuple[str, str]:
    """Wait for the process; whatever happens, it is not left running (killed by its pid)."""
    try:
        return proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
