"""ProcessRun: one run spread over worker processes, merged into one recorder in the parent.

Each child runs the same engine (Run) on its own event loop (uvloop when installed) with its
share of the concurrency, rate and count, and every BATCH_PERIOD_S sends the rows it recorded
since the last batch as numpy arrays with a watermark: its clock at sending, below which it
will record nothing more. The parent appends rows in completion order up to the lowest
watermark of the live children, so its recorder looks like one run's. A child that fails or
dies ends the run FAILED with its reason; what it sent before is kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from loadgui.engine.load.processes_child import child_main
from loadgui.engine.load.senders import Sender, SpreadRun, split_profile
from loadgui.engine.stats.report import WorkerFigures
from loadgui.profile import Profile

READY_TIMEOUT_S = 30.0
EXIT_TIMEOUT_S = 3.0


class _Child(Sender):
    """The parent's view of one worker process."""

    def __init__(self, index: int, process: BaseProcess, conn: Connection):
        super().__init__(index)
        self.process = process
        self.conn = conn


class ProcessRun(SpreadRun):
    """The run surface over N worker processes."""

    def __init__(self, profile: Profile, *, clock: Callable[[], float] = time.perf_counter):
        super().__init__(profile, clock=clock)
        self.profile.resolved_keys()  # a bad key file is an input error, found before spawning
        self.parts = split_profile(self.profile, self.profile.process_count())
        self._stop_event = multiprocessing.get_context("spawn").Event()
        self._children: list[_Child] = []

    @property
    def processes(self) -> list[BaseProcess]:
        return [child.process for child in self._children]

    def _senders(self) -> Sequence[_Child]:
        return self._children

    def _facts(self) -> dict[str, Any]:
        workers = tuple(
            WorkerFigures(f"process {c.index + 1}", c.process.pid, c.requests,
                          "lost" if c.reason and not c.finished else
                          "done" if c.finished else "running", c.reason)
            for c in self._children)
        return {**self._load_facts(), "workers": workers}

    def _wake(self) -> None:
        self._stop_event.set()

    # --- running -----------------------------------------------------------------------------
    async def _execute(self) -> None:
        loop = asyncio.get_running_loop()
        self._all_done = loop.create_future()
        context = multiprocessing.get_context("spawn")
        try:
            for index, part in enumerate(self.parts):
                parent_end, child_end = context.Pipe()
                process = context.Process(target=child_main, daemon=True,
                                          args=(part, child_end, self._stop_event))
                process.start()
                child_end.close()
                self._children.append(_Child(index, process, parent_end))
            await asyncio.gather(*(loop.run_in_executor(None, _wait_ready, child)
                                   for child in self._children))
        except ChildFailed as exc:
            self.fail(str(exc))
        except (OSError, EOFError, TimeoutError) as exc:
            self.fail(f"worker processes did not start: {exc}")
        if self._failure is None and not self._stop_requested:
            self._t0 = self.clock()
            for child in self._children:
                child.conn.send(("go", self._t0))
                threading.Thread(target=self._read, args=(loop, child), daemon=True,
                                 name=f"loadgui-process-{child.index}").start()
            try:
                await self._control()
            finally:
                self._t_end = self.clock()
        self._stop_event.set()
        await loop.run_in_executor(None, _join, self.processes)
        self._merge.flush(math.inf)

    # --- receiving ---------------------------------------------------------------------------
    def _read(self, loop: asyncio.AbstractEventLoop, child: _Child) -> None:
        """Reader thread: hand every message to the loop; report a child that dies."""
        while True:
            try:
                message = child.conn.recv()
            except (EOFError, OSError):
                message = ("crashed",)
            with contextlib.suppress(RuntimeError):  # the loop may be gone at exit
                loop.call_soon_threadsafe(self._on_message, child, message)
            if message[0] in ("done", "crashed"):
                child.conn.close()
                return

    def _on_message(self, child: _Child, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "crashed" and not child.finished:
            child.process.join(0.5)
            code = child.process.exitcode
            child.reason = (f"worker process {child.index + 1} of {len(self.parts)} (pid "
                            f"{child.process.pid}) exited unexpectedly"
                            + (f" with exit code {code}" if code is not None else "")
                            + "; the data it sent before that is kept")
            self.fail(child.reason, stop=False)
        elif kind == "done":
            child.reason = message[1]
            if message[1]:
                self.fail(message[1])
        else:
            self._take(child, message)
        if kind in ("done", "crashed"):
            child.finished = True
            child.watermark = math.inf
        self._settle()


class ChildFailed(Exception):
    """A worker process could not start its share; the message says why."""


def _wait_ready(child: _Child) -> None:
    if not child.conn.poll(READY_TIMEOUT_S):
        raise TimeoutError(f"no worker process was ready within {READY_TIMEOUT_S:g} s")
    message = child.conn.recv()
    if message[0] == "failed":
        raise ChildFailed(message[1])
    if message[0] != "ready":
        raise OSError(message[1] if len(message) > 1 else "a worker process failed")


def _join(processes: list[BaseProcess]) -> None:
    deadline = time.monotonic() + EXIT_TIMEOUT_S
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)
