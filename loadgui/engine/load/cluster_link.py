"""The driver's side of a Dask cluster: the client, one LoadShare actor per worker process,
and a long poll per actor, all on a thread with an event loop of its own.

The engine's loop (plain asyncio, or the window's) never runs Dask: it awaits `setup()` and
`close()`, calls `go()` and `stop()`, and receives every batch through `deliver(index,
message)`, called on the link's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from distributed import Client

from loadgui.engine.load.cluster_actor import LoadShare, Message
from loadgui.engine.load.cluster_clock import ClockOffset, estimate_offset
from loadgui.engine.load.senders import split_profile
from loadgui.profile import MIN_RATE, Profile

CONNECT_TIMEOUT_S = 5.0
WORKERS_TIMEOUT_S = 10.0
POLL_WAIT_S = 1.0  # an actor answers a poll after this long even with no batch
STOP_TIMEOUT_S = 1.0
CLOSE_TIMEOUT_S = 3.0

_T = TypeVar("_T")


class ClusterFailed(Exception):
    """The cluster could not take the run; the message says why."""


@dataclass(frozen=True, slots=True)
class ShareInfo:
    """Where one share of the run runs."""

    address: str  # the Dask worker's
    host: str
    pid: int
    clock: ClockOffset


def pick_workers(workers: dict[str, str], count: int) -> list[str]:
    """`count` worker addresses out of {address: host}, taking machines in turn so that
    a share of the cluster spreads over every machine."""
    by_host: dict[str, list[str]] = {}
    for address in sorted(workers):
        by_host.setdefault(workers[address], []).append(address)
    queues = [by_host[host] for host in sorted(by_host)]
    picked: list[str] = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


def share_count(profile: Profile, available: int) -> int:
    """How many shares a profile is split into over `available` workers: never more than
    its concurrency, nor so many that a share's rate falls below the minimum."""
    count = min(available, profile.load.concurrency)
    if profile.load.mode == "rate":
        count = min(count, max(1, int(profile.load.rate / MIN_RATE)))
    return max(1, count)


class ClusterLink:
    def __init__(self, address: str, deliver: Callable[[int, Message], None],
                 connect_timeout: float = CONNECT_TIMEOUT_S):
        self.address = address
        self._connect_timeout = connect_timeout
        self._deliver = deliver
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="loadgui-cluster-link")
        self._thread.start()
        self._client: Any = None
        self._futures: list[Any] = []
        self._actors: list[Any] = []
        self._clocks: list[ClockOffset] = []
        self._polls: dict[int, asyncio.Task[None]] = {}
        self._dropped: set[int] = set()
        self._closed = False

    def _call(self, coro: Coroutine[Any, Any, _T]) -> Awaitable[_T]:
        """Run `coro` on the link's loop; await the result on the caller's."""
        return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self._loop))

    def _post(self, coro: Coroutine[Any, Any, None]) -> None:
        if self._closed:
            coro.close()
        else:
            asyncio.run_coroutine_threadsafe(coro, self._loop)

    # --- called from the engine's loop -------------------------------------------------------
    def setup(self, profile: Profile, wanted: int | None, orphan_after: float,
              clock: Callable[[], float]) -> Awaitable[list[ShareInfo]]:
        """Connect, place one share on each chosen worker, make its clients, read its clock."""
        return self._call(self._setup(profile, wanted, orphan_after, clock))

    def go(self, t0: float) -> None:
        """Start every share at the driver's `t0`, and poll each for its batches."""
        self._post(self._go(t0))

    def stop(self, index: int | None = None) -> None:
        """Ask one share (or all) to stop; a share no longer polled is never waited for."""
        self._post(self._stop(index))

    def drop(self, index: int) -> None:
        """Stop polling a share (declared lost) and ask it to stop, in case it comes back."""
        self._post(self._drop(index))

    async def close(self) -> None:
        """Stop every share, release the actors and the client, and end the thread."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._call(self._close()), CLOSE_TIMEOUT_S + STOP_TIMEOUT_S)
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.get_running_loop().run_in_executor(None, self._thread.join, 2.0)
        if not self._thread.is_alive():
            self._loop.close()

    # --- on the link's loop ------------------------------------------------------------------
    async def _setup(self, profile: Profile, wanted: int | None, orphan_after: float,
                     clock: Callable[[], float]) -> list[ShareInfo]:
        # Kept before it connects, so that close() closes it whatever happens.
        self._client = Client(self.address, asynchronous=True, timeout=self._connect_timeout,
                              direct_to_workers=True, set_as_default=False)
        try:
            await self._client
        except Exception as exc:
            if self.address.startswith("tls://") and "ssl_context" in str(exc):
                raise ClusterFailed(
                    f"{self.address} needs Dask's TLS settings: set DASK_DISTRIBUTED__COMM__TLS"
                    f"__CA_FILE, DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT and DASK_DISTRIBUTED"
                    f"__COMM__TLS__CLIENT__KEY, or the same in a Dask config file") from None
            raise ClusterFailed(f"cannot reach the Dask scheduler at {self.address}: "
                                f"{_said(exc)}") from None
        workers = await self._workers(wanted or 1)
        count = wanted if wanted is not None else share_count(profile, len(workers))
        if len(workers) < count:
            raise ClusterFailed(f"the cluster at {self.address} has {len(workers)} worker "
                                f"process(es); {count} were asked for")
        parts = split_profile(profile, min(count, profile.load.concurrency))
        chosen = pick_workers(workers, len(parts))
        self._futures = [self._client.submit(LoadShare, part, orphan_after, actor=True,
                                             workers=[address], allow_other_workers=False,
                                             pure=False)
                         for part, address in zip(parts, chosen, strict=True)]
        try:
            # Actors bind to the current client as they are unpickled; ours is not the
            # process's default, so that two runs on two clusters never mix.
            with self._client.as_current():
                self._actors = list(await self._client.gather(self._futures))
            found = await asyncio.gather(*(actor.prepare() for actor in self._actors))
        except Exception as exc:
            raise ClusterFailed(f"the cluster's workers could not take the run: "
                                f"{_said(exc)}") from None
        for index, share in enumerate(found):
            if share["failure"] is not None:
                raise ClusterFailed(f"cluster worker {index + 1} ({share['host']}, pid "
                                    f"{share['pid']}): {share['failure']}")
        self._clocks = list(await asyncio.gather(
            *(estimate_offset(actor.now, clock) for actor in self._actors)))
        return [ShareInfo(address, share["host"], share["pid"], offset)
                for address, share, offset in zip(chosen, found, self._clocks, strict=True)]

    async def _workers(self, at_least: int) -> dict[str, str]:
        """The running workers, {address: host}, once there are `at_least` of them."""
        with contextlib.suppress(TimeoutError):
            await self._client.wait_for_workers(at_least, timeout=WORKERS_TIMEOUT_S)
        info = await self._client.scheduler.identity(n_workers=-1)
        return {address: str(worker.get("host", address))
                for address, worker in info["workers"].items()
                if worker.get("status", "running") == "running"}

    async def _go(self, t0: float) -> None:
        for index, (actor, clock) in enumerate(zip(self._actors, self._clocks, strict=True)):
            self._polls[index] = asyncio.ensure_future(
                self._poll(index, actor, clock.to_worker(t0)))

    async def _poll(self, index: int, actor: Any, t0: float) -> None:
        try:
            await actor.go(t0)
            while True:
                for message in await actor.batches(POLL_WAIT_S):
                    self._deliver(index, message)
                    if message[0] == "done":
                        return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # its worker died or its connection broke
            self._deliver(index, ("lost", _said(exc)))

    async def _stop(self, index: int | None) -> None:
        indices = range(len(self._actors)) if index is None else (index,)
        calls = [self._actors[i].stop() for i in indices if i not in self._dropped]
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True),
                                   STOP_TIMEOUT_S)

    async def _drop(self, index: int) -> None:
        self._dropped.add(index)
        poll = self._polls.pop(index, None)
        if poll is not None:
            poll.cancel()
        with contextlib.suppress(Exception):  # best effort: the worker may be frozen or gone
            await asyncio.wait_for(self._actors[index].stop(), STOP_TIMEOUT_S)

    async def _close(self) -> None:
        if self._actors:
            await self._stop(None)
        for poll in self._polls.values():
            poll.cancel()
        await asyncio.gather(*self._polls.values(), return_exceptions=True)
        self._actors.clear()
        self._futures.clear()
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.close(timeout=CLOSE_TIMEOUT_S)
        current = asyncio.current_task()
        leftovers = [t for t in asyncio.all_tasks() if t is not current]
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)


def _said(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
