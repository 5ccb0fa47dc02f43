"""A run spread over senders (worker processes, cluster shares): the batch a sender sends,
and on the parent's side each sender's last counters and watermark, their sums, and the
report's time held to the slowest one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from loadgui.engine.load.handle import RunCore
from loadgui.engine.load.run import Run
from loadgui.engine.stats.key_totals import KeyRest
from loadgui.engine.stats.recorder import Batch, Recorder

# Rows a worker (process or cluster share) holds before those its parent has are dropped.
WORKER_HOLD_ROWS = 200_000


def worker_recorder() -> Recorder:
    return Recorder(hold=WORKER_HOLD_ROWS)

COUNTERS = ("asked", "dropped", "done", "level", "in_flight")


def rows_batch(run: Run, sent: int) -> tuple[tuple[Any, ...], int]:
    """The ("rows", ...) message of the rows recorded since row `sent`, and the new count."""
    # Taken before the rows: anything recorded later ends after this moment.
    watermark = run.elapsed
    base, columns = run.recorder.held()
    count = base + len(columns["t_start"])
    rows = {name: col[sent - base:].copy() for name, col in columns.items()}
    counters = {"asked": run.asked, "dropped": run.dropped, "done": run.completed_requests,
                "level": run.level, "in_flight": run.in_flight}
    return ("rows", watermark, rows, list(run.recorder.messages), counters,
            run.gauges.latest_lag), count


def sent_rows_gone(upto: int) -> Iterator[Batch]:
    raise RuntimeError("a worker's rows went to its parent; read them there")


def forget_sent(run: Run, sent: int) -> None:
    """A worker's rows below `sent` are with its parent: past the recorder's `hold`, they
    leave memory (the totals and series are folded first, a second's rows at a time)."""
    run.recorder.release(sent, sent_rows_gone)


def retry_facts(run: Run) -> tuple[Any, ...]:
    """The ("retry_facts", ...) message: what the rows don't say of retries and keys."""
    return ("retry_facts", run.report_key_rests(), run.retry_after_waits)


class Sender:
    """The parent's view of one sender, as its batches report it."""

    def __init__(self, index: int):
        self.index = index
        self.watermark = 0.0  # its clock when it took its last batch: nothing earlier follows
        self.counters = dict.fromkeys(COUNTERS, 0)
        self.lag = 0.0
        self.requests = 0
        self.finished = False
        self.reason: str | None = None
        # Each sender rotates the keys on its own: its rests are its own (times since t0).
        self.key_rests: tuple[KeyRest, ...] = ()
        self.retry_after_waits = 0

    def take_retry_facts(self, message: tuple[Any, ...]) -> None:
        _, self.key_rests, self.retry_after_waits = message


class SpreadRun(RunCore):
    """RunCore for a run whose rows arrive in batches from several senders."""

    def _senders(self) -> Sequence[Sender]:
        raise NotImplementedError

    def _count(self, name: str) -> int:
        return sum(sender.counters[name] for sender in self._senders())

    def _done(self) -> int:
        return self._count("done")

    def _load_facts(self) -> dict[str, Any]:
        senders = self._senders()
        rests = sorted((rest for s in senders for rest in s.key_rests),
                       key=lambda rest: (rest.start, rest.key))
        return {**{name: self._count(name) for name in ("asked", "dropped", "level",
                                                         "in_flight")},
                "key_rests": tuple(rests),
                "retry_after_waits": sum(s.retry_after_waits for s in senders)}

    def _report_elapsed(self) -> float:
        # While running, intervals close only up to what every live sender has reported.
        if self._t_end is not None:
            return self.elapsed
        live = [s.watermark for s in self._senders() if not s.finished]
        return min(self.elapsed, min(live, default=self.elapsed))
