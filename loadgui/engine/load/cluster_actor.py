"""The worker side of a ClusterRun: a Dask actor that runs one share of the profile.

The load runs on a thread with its own event loop (uvloop when installed), not on the Dask
worker's loop, which carries Dask's communication. Every BATCH_PERIOD_S that thread gathers
the rows recorded since the last batch with a watermark, exactly as a worker process does,
into an outbox that the driver long-polls with `batches()`. A share whose driver stops
polling for `orphan_after` seconds stops itself.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import socket
import threading
import time
from typing import Any

from loadgui.engine.load.run import Run
from loadgui.engine.load.senders import (
    BATCH_PERIOD_S,
    stream_share,
    worker_loop_factory,
    worker_recorder,
)
from loadgui.profile import Profile

Message = tuple[Any, ...]


def _resolve(future: asyncio.Future[float | None], value: float | None) -> None:
    if not future.done():
        future.set_result(value)


class LoadShare:
    """One share of a run, pinned to one Dask worker process (made with actor=True)."""

    def __init__(self, profile: Profile, orphan_after: float):
        self._profile = profile  # validated and frozen on the driver, not validated again
        self._orphan_after = orphan_after
        self._lock = threading.Lock()
        self._outbox: list[Message] = []
        self._mail: asyncio.Event | None = None
        self._worker_loop: asyncio.AbstractEventLoop | None = None
        self._run_loop: asyncio.AbstractEventLoop | None = None
        self._run: Run | None = None
        self._go: asyncio.Future[float | None] | None = None
        self._stopping = False
        self._last_poll = time.monotonic()

    # --- called by the driver (on the Dask worker's loop) ------------------------------------
    async def prepare(self) -> dict[str, Any]:
        """Start the load thread and make a client for every target; who and where we are."""
        self._worker_loop = asyncio.get_running_loop()
        self._mail = asyncio.Event()
        ready: concurrent.futures.Future[str | None] = concurrent.futures.Future()
        threading.Thread(target=self._thread, args=(ready,), daemon=True,
                         name="loadgui-cluster-share").start()
        failure = await asyncio.wrap_future(ready)
        self._last_poll = time.monotonic()
        return {"host": socket.gethostname(), "pid": os.getpid(), "failure": failure}

    async def now(self) -> float:
        """This machine's clock, as the run reads it: the driver estimates the offset."""
        return time.perf_counter()

    async def go(self, t0: float) -> None:
        """Start sending, counting the run from `t0` on this machine's clock."""
        self._last_poll = time.monotonic()
        self._hand_over(t0)

    async def batches(self, wait: float) -> list[Message]:
        """The batches gathered since the last call, or [] after `wait` seconds without one."""
        assert self._mail is not None
        self._last_poll = time.monotonic()
        if not self._outbox:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._mail.wait(), wait)
        self._mail.clear()
        with self._lock:
            out, self._outbox = self._outbox, []
        self._last_poll = time.monotonic()
        return out

    async def stop(self) -> None:
        self._stopping = True
        self._hand_over(None)

    # --- the load thread ---------------------------------------------------------------------
    def _hand_over(self, t0: float | None) -> None:
        loop, go, run = self._run_loop, self._go, self._run
        if loop is None or go is None:
            return
        with contextlib.suppress(RuntimeError):  # the load thread's loop may have ended
            if not go.done():
                loop.call_soon_threadsafe(_resolve, go, t0)
            elif t0 is None and run is not None:
                loop.call_soon_threadsafe(run.stop)

    def _thread(self, ready: concurrent.futures.Future[str | None]) -> None:
        try:
            with asyncio.Runner(loop_factory=worker_loop_factory()) as runner:
                runner.run(self._share(ready))
        except Exception as exc:  # reported to the driver as this share's failure
            failure = f"a cluster worker failed: {type(exc).__name__}: {exc}"
            if not ready.done():
                ready.set_result(failure)
            else:
                self._post(("done", failure))

    async def _share(self, ready: concurrent.futures.Future[str | None]) -> None:
        self._run_loop = asyncio.get_running_loop()
        self._go = self._run_loop.create_future()
        run = self._run = Run(self._profile, top_level=False, recorder=worker_recorder())
        await run.prepare()
        ready.set_result(run.failure)
        if run.failure is not None:
            return
        while not self._go.done():  # a driver gone before `go` must not leave us waiting
            await asyncio.wait({self._go}, timeout=BATCH_PERIOD_S)
            if self._orphaned():
                _resolve(self._go, None)
        t0 = self._go.result()
        if t0 is None:  # stopped before it started
            self._post(("done", None))
            return
        run.start_at(t0)
        await stream_share(run, self._post, lambda: self._stopping or self._orphaned())

    def _orphaned(self) -> bool:
        return time.monotonic() - self._last_poll > self._orphan_after

    def _post(self, message: Message) -> None:
        with self._lock:
            self._outbox.append(message)
        loop, mail = self._worker_loop, self._mail
        if loop is not None and mail is not None:
            with contextlib.suppress(RuntimeError):  # the worker is shutting down
                loop.call_soon_threadsafe(mail.set)
