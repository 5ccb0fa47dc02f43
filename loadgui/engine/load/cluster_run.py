"""ClusterRun: one run spread over the worker processes of a Dask cluster, merged into one
recorder on the driver.

Each share runs in a LoadShare actor (cluster_actor.py) and streams the same watermarked
numpy batches a worker process sends; the driver merges them in completion order, so the
report, exports and history see one run. The rules follow ProcessRun's:
- a share that fails ends the run FAILED with its reason;
- a share whose worker dies, or that sends no batch for `silence_limit` seconds (a frozen
  machine keeps its socket open), is declared lost: the run goes on with the others, keeps
  what the lost share sent, and ends FAILED saying which worker was lost and when;
- stop() reaches every share at once; a share that has not ended `STOP_WAIT_S` after it is
  declared lost, so no run waits on a silent machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from loadgui.engine.load.cluster_actor import Message
from loadgui.engine.load.senders import Sender, SpreadRun
from loadgui.engine.stats.report import WorkerFigures
from loadgui.profile import Profile, ProfileError

if TYPE_CHECKING:
    from loadgui.engine.load.cluster_link import ClusterLink, ShareInfo

SILENCE_LIMIT_S = 5.0
CONNECT_TIMEOUT_S = 5.0
SETUP_TIMEOUT_S = 30.0
STOP_WAIT_S = 2.0
INSTALL_HINT = 'a cluster run needs Dask distributed: pip install "loadgui[cluster]"'


class _Share(Sender):
    """The driver's view of one share of the run."""

    def __init__(self, index: int, info: ShareInfo, now: float):
        super().__init__(index)
        self.info = info
        self.last_seen = now
        self.lost = False

    def state(self) -> str:
        return "lost" if self.lost else "done" if self.finished else "running"


class ClusterRun(SpreadRun):
    """The run surface over the worker processes of a Dask cluster."""

    def __init__(self, profile: Profile, *, clock: Callable[[], float] = time.perf_counter,
                 silence_limit: float = SILENCE_LIMIT_S,
                 connect_timeout: float = CONNECT_TIMEOUT_S):
        super().__init__(profile, clock=clock)
        if not self.profile.load.cluster:
            raise ProfileError("a cluster run needs the address of a Dask scheduler",
                               "load.cluster")
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise ProfileError(INSTALL_HINT, "load.cluster") from None
        self.profile.resolved_keys()  # a bad key file is an input error, found before sending
        self.address = self.profile.load.cluster
        self.silence_limit = silence_limit
        self.connect_timeout = connect_timeout
        self._shares: list[_Share] = []
        self._link: ClusterLink | None = None
        self._woken = asyncio.Event()
        self._stop_sent_at: float | None = None

    @property
    def clock_uncertainty(self) -> float | None:
        """The largest uncertainty of the workers' clock offsets, in seconds."""
        return max((s.info.clock.uncertainty for s in self._shares), default=None)

    def _senders(self) -> Sequence[_Share]:
        return self._shares

    def _facts(self) -> dict[str, Any]:
        workers = tuple(WorkerFigures(self._name(s), s.info.pid, s.requests, s.state(),
                                      s.reason, s.info.clock.uncertainty)
                        for s in self._shares)
        return {**self._load_facts(), "workers": workers}

    def _name(self, share: _Share) -> str:
        return f"cluster worker {share.index + 1} on {share.info.host}"

    def _who(self, share: _Share) -> str:
        return (f"cluster worker {share.index + 1} of {len(self._shares)} "
                f"({share.info.host}, pid {share.info.pid})")

    def _wake(self) -> None:
        self._woken.set()
        if self._link is not None and self._t0 is not None:
            self._link.stop()
            if self._stop_sent_at is None:
                self._stop_sent_at = self.clock()

    # --- running -----------------------------------------------------------------------------
    async def _execute(self) -> None:
        from loadgui.engine.load.cluster_link import ClusterLink

        loop = asyncio.get_running_loop()
        self._all_done = loop.create_future()

        def deliver(index: int, message: Message) -> None:  # on the link's thread
            with contextlib.suppress(RuntimeError):  # the loop may be gone at exit
                loop.call_soon_threadsafe(self._on_message, index, message)

        link = self._link = ClusterLink(self.address, deliver, self.connect_timeout)
        try:
            await self._set_up(link)
            if self._failure is None and not self._stop_requested:
                self._t0 = self.clock()
                for share in self._shares:
                    share.last_seen = self._t0
                link.go(self._t0)
                try:
                    await self._control()
                finally:
                    self._t_end = self.clock()
        finally:
            self._link = None
            await link.close()
        self._merge.flush(math.inf)

    async def _set_up(self, link: ClusterLink) -> None:
        """Place the shares, unless stop() comes first."""
        from loadgui.engine.load.cluster_link import ClusterFailed

        setup = asyncio.ensure_future(link.setup(
            self.profile, self.profile.load.cluster_workers, max(2 * self.silence_limit, 10.0),
            self.clock))
        woken = asyncio.ensure_future(self._woken.wait())
        try:
            await asyncio.wait({setup, woken}, timeout=SETUP_TIMEOUT_S,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            setup.cancel()  # no effect once done
        if setup.cancelled():
            if not self._woken.is_set():
                self.fail(f"the Dask cluster at {self.address} did not take the run within "
                          f"{SETUP_TIMEOUT_S:g} s")
        elif isinstance(setup.exception(), ClusterFailed):
            self.fail(str(setup.exception()))
        else:
            now = self.clock()
            self._shares = [_Share(i, info, now) for i, info in enumerate(setup.result())]

    def _tick(self, now: float) -> None:
        """Declare lost the shares that went silent, or did not end soon after stop()."""
        for share in self._shares:
            if share.finished:
                continue
            if now - share.last_seen > self.silence_limit:
                self._lose(share, f"it sent nothing for {self.silence_limit:g} s")
            elif self._stop_sent_at is not None and now - self._stop_sent_at > STOP_WAIT_S:
                self._lose(share, f"it had not ended {STOP_WAIT_S:g} s after the run was "
                                  f"stopped")

    # --- receiving ---------------------------------------------------------------------------
    def _on_message(self, index: int, message: Message) -> None:
        share = self._shares[index]
        if share.finished:  # a share declared lost: what it sends later is not counted
            return
        share.last_seen = self.clock()
        kind = message[0]
        if kind == "done":
            share.finished = True
            if message[1]:
                share.reason = f"{self._who(share)}: {message[1]}"
                self.fail(share.reason)
        elif kind == "lost":
            self._lose(share, f"its Dask worker stopped answering ({message[1]})")
        else:
            self._take(share, message)
        self._settle()

    def _lose(self, share: _Share, why: str) -> None:
        when = self.clock() - self._t0 if self._t0 is not None else 0.0
        share.finished = share.lost = True
        share.reason = (f"{self._who(share)} was lost {when:.1f} s into the run: {why}; "
                        f"the data it sent before that is kept")
        self.fail(share.reason, stop=False)
        if self._link is not None:
            self._link.drop(share.index)
        self._settle()
