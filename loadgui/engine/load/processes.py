"""A run spread over worker processes, merged into one recorder in the parent.

Each child runs the same engine (Run) on its own event loop (uvloop when installed) with its
share of the concurrency, rate and count, and every BATCH_PERIOD_S sends the rows it recorded
since the last batch as numpy arrays with a watermark: its clock at sending, below which it
will record nothing more. The parent appends rows in completion order up to the lowest
watermark of the live children, so its recorder looks like one run's.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

import numpy as np

from loadgui.engine.load.mix import labels_for
from loadgui.engine.load.run import Run, RunState, run_progress
from loadgui.engine.stats.recorder import Recorder, Snapshot
from loadgui.profile import Profile

BATCH_PERIOD_S = 0.1
READY_TIMEOUT_S = 30.0
EXIT_TIMEOUT_S = 3.0


def process_count(profile: Profile) -> int:
    wanted = profile.load.processes
    count = (os.cpu_count() or 1) if wanted == "auto" else int(wanted)
    return max(1, min(count, profile.load.concurrency))


def split_profile(profile: Profile, count: int) -> list[Profile]:
    """Shares of one profile: concurrency, rate and request count divided as evenly as can be."""

    def share(total: int, i: int) -> int:
        return total // count + (1 if i < total % count else 0)

    parts = []
    for i in range(count):
        part = Profile.from_dict(profile.to_dict())
        part.load.processes = 1
        part.load.concurrency = share(profile.load.concurrency, i)
        part.load.rate = profile.load.rate / count
        if profile.limits.total_requests is not None:
            part.limits.total_requests = share(profile.limits.total_requests, i)
            if part.limits.total_requests == 0:
                continue
        parts.append(part)
    return parts


def make_run(profile: Profile) -> Run | ProcessRun:
    """A Run in this process, or a ProcessRun when the profile asks for several processes."""
    return ProcessRun(profile) if process_count(profile.validate()) > 1 else Run(profile)


class ProcessRun:
    """The same surface as Run (run, stop, snapshot, progress, state...) over N processes."""

    def __init__(self, profile: Profile, *, clock: Callable[[], float] = time.perf_counter):
        self.profile = profile.validate()
        profile.resolved_keys()  # a bad key file is an input error, found before spawning
        self.parts = split_profile(profile, process_count(profile))
        self.recorder = Recorder()
        self.recorder.labels = labels_for(profile)
        self.state = RunState.PENDING
        self.error: str | None = None
        self._clock = clock
        self._t0: float | None = None
        self._t_end: float | None = None
        self._stop = multiprocessing.get_context("spawn").Event()
        self._stop_requested = False
        self._pending: list[dict[str, np.ndarray]] = []
        self._watermarks = [0.0] * len(self.parts)
        self._counters = [{"asked": 0, "dropped": 0, "done": 0, "level": 0}
                          for _ in self.parts]
        self._finished = [False] * len(self.parts)
        self._all_done: asyncio.Future | None = None
        self.processes: list[multiprocessing.Process] = []

    # --- the Run surface ----------------------------------------------------------------------
    @property
    def elapsed(self) -> float:
        if self._t0 is None:
            return 0.0
        return (self._t_end if self._t_end is not None else self._clock()) - self._t0

    @property
    def level(self) -> int:
        return sum(c["level"] for c in self._counters)

    @property
    def completed_requests(self) -> int:
        return sum(c["done"] for c in self._counters)

    @property
    def asked_rps(self) -> float:
        asked = sum(c["asked"] for c in self._counters)
        return asked / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def running(self) -> bool:
        return self.state is RunState.RUNNING

    def progress(self) -> float | None:
        return run_progress(self.profile.limits, self.elapsed, self.completed_requests)

    def snapshot(self, exact: bool = True) -> Snapshot:
        # While running, intervals close only up to what every child has reported.
        elapsed = self.elapsed if self._t_end is not None else min(
            self.elapsed, min(self._watermarks, default=self.elapsed))
        snapshot = self.recorder.snapshot(elapsed, exact=exact)
        if self.profile.load.mode == "rate":
            snapshot = dataclasses.replace(
                snapshot, asked=sum(c["asked"] for c in self._counters),
                dropped=sum(c["dropped"] for c in self._counters))
        return snapshot

    def stop(self) -> None:
        self._stop_requested = True
        self._stop.set()

    async def run(self) -> Snapshot:
        if self.state is not RunState.PENDING:
            raise RuntimeError("a Run can only be run once")
        loop = asyncio.get_running_loop()
        self._all_done = loop.create_future()
        self.state = RunState.RUNNING
        context = multiprocessing.get_context("spawn")
        children: list[tuple[multiprocessing.Process, Connection]] = []
        try:
            for part in self.parts:
                parent_end, child_end = context.Pipe()
                process = context.Process(target=child_main, daemon=True,
                                          args=(part.to_json(), child_end, self._stop))
                process.start()
                self.processes.append(process)
                child_end.close()
                children.append((process, parent_end))
            await asyncio.gather(*(loop.run_in_executor(None, _wait_ready, conn)
                                   for _, conn in children))
            self._t0 = self._clock()
            for index, (_, conn) in enumerate(children):
                conn.send(("go", self._t0))
                threading.Thread(target=self._read, args=(loop, index, conn), daemon=True,
                                 name=f"loadgui-process-{index}").start()
            await asyncio.shield(self._all_done)
        except asyncio.CancelledError:
            self.stop()
            raise
        except (OSError, EOFError, TimeoutError) as exc:
            self.error = f"worker processes did not start: {exc}"
        finally:
            self._stop.set()
            self._t_end = self._clock() if self._t0 is not None else None
            await loop.run_in_executor(None, _join, [p for p, _ in children])
            self._flush(math.inf)
            self.state = (RunState.FAILED if self.error else
                          RunState.STOPPED if self._stop_requested else RunState.COMPLETED)
        return self.snapshot()

    # --- receiving ------------------------------------------------------------------------------
    def _read(self, loop: asyncio.AbstractEventLoop, index: int, conn: Connection) -> None:
        """Reader thread: hand every message to the loop; report a child that dies."""
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                message = ("crashed",)
            with contextlib.suppress(RuntimeError):  # the loop may be gone at exit
                loop.call_soon_threadsafe(self._on_message, index, message)
            if message[0] in ("done", "crashed"):
                conn.close()
                return

    def _on_message(self, index: int, message: tuple) -> None:
        kind = message[0]
        if kind == "rows":
            _, watermark, rows, counters = message
            self._pending.append(rows)
            self._watermarks[index] = watermark
            self._counters[index] = counters
        elif kind == "done" or kind == "crashed":
            if kind == "crashed" and not self._finished[index]:
                self.error = (f"worker process {index + 1} of {len(self.parts)} exited "
                              "unexpectedly; the data it sent before that is kept")
            elif message[1]:
                self.error = message[1]
            self._finished[index] = True
            self._watermarks[index] = math.inf
        live = [w for w, done in zip(self._watermarks, self._finished, strict=True) if not done]
        self._flush(min(live, default=math.inf))
        if all(self._finished) and not self._all_done.done():
            self._all_done.set_result(None)

    def _flush(self, watermark: float) -> None:
        """Append pending rows that ended at or before the watermark, in completion order."""
        if not self._pending:
            return
        rows = {name: np.concatenate([b[name] for b in self._pending])
                for name in self._pending[0]}
        ends = rows["t_start"] + rows["latency"]
        ready = ends <= watermark
        order = np.argsort(ends[ready], kind="stable")
        self.recorder.extend({name: col[ready][order] for name, col in rows.items()})
        rest = {name: col[~ready] for name, col in rows.items()}
        self._pending = [rest] if len(rest["t_start"]) else []


def _wait_ready(conn: Connection) -> None:
    if not conn.poll(READY_TIMEOUT_S):
        raise TimeoutError(f"no worker process was ready within {READY_TIMEOUT_S:g} s")
    message = conn.recv()
    if message[0] != "ready":
        raise OSError(message[1] if len(message) > 1 else "a worker process failed")


def _join(processes: list[multiprocessing.Process]) -> None:
    deadline = time.monotonic() + EXIT_TIMEOUT_S
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)


# --- the child side ------------------------------------------------------------------------------
def child_main(profile_json: str, conn: Connection, stop: threading.Event) -> None:
    """Entry point of a worker process: run its share and stream rows back."""
    # Ctrl+C in a terminal reaches the whole process group; the parent stops the children
    # through the stop event, so a child ignores SIGINT rather than print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        profile = Profile.from_json(profile_json)
        asyncio.run(_child(profile, conn, stop))
    except Exception as exc:  # reported to the parent as this process's error
        with contextlib.suppress(OSError):
            conn.send(("done", f"worker process failed: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


async def _child(profile: Profile, conn: Connection, stop: threading.Event) -> None:
    run = Run(profile)
    conn.send(("ready",))
    _, t0 = conn.recv()
    task = asyncio.ensure_future(run.run(t0=t0))
    sent = 0
    while not task.done():
        await asyncio.wait({task}, timeout=BATCH_PERIOD_S)
        if stop.is_set():
            run.stop()
        sent = _send_rows(conn, run, sent)
    with contextlib.suppress(Exception):
        await task
    _send_rows(conn, run, sent)
    conn.send(("done", run.error))


def _send_rows(conn: Connection, run: Run, sent: int) -> int:
    # Taken before the rows: anything recorded later ends after this moment.
    watermark = run.elapsed
    columns = run.recorder.columns()
    count = len(columns["t_start"])
    rows = {name: col[sent:count].copy() for name, col in columns.items()}
    counters = {"asked": run.asked, "dropped": run.dropped, "done": run.completed_requests,
                "level": run.level}
    conn.send(("rows", watermark, rows, counters))
    return count
