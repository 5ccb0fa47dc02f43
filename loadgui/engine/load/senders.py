"""A run spread over senders (worker processes, cluster shares): the batch a sender sends,
and on the parent's side each sender's last counters and watermark, their sums, and the
report's time held to the slowest one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loadgui.engine.load.handle import RunCore
from loadgui.engine.load.run import Run

COUNTERS = ("asked", "dropped", "done", "level", "in_flight")


def rows_batch(run: Run, sent: int) -> tuple[tuple[Any, ...], int]:
    """The ("rows", ...) message of the rows recorded since row `sent`, and the new count."""
    # Taken before the rows: anything recorded later ends after this moment.
    watermark = run.elapsed
    columns = run.recorder.columns()
    count = len(columns["t_start"])
    rows = {name: col[sent:count].copy() for name, col in columns.items()}
    counters = {"asked": run.asked, "dropped": run.dropped, "done": run.completed_requests,
                "level": run.level, "in_flight": run.in_flight}
    return ("rows", watermark, rows, list(run.recorder.messages), counters,
            run.gauges.latest_lag), count


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


class SpreadRun(RunCore):
    """RunCore for a run whose rows arrive in batches from several senders."""

    def _senders(self) -> Sequence[Sender]:
        raise NotImplementedError

    def _count(self, name: str) -> int:
        return sum(sender.counters[name] for sender in self._senders())

    def _done(self) -> int:
        return self._count("done")

    def _load_facts(self) -> dict[str, Any]:
        return {name: self._count(name) for name in ("asked", "dropped", "level", "in_flight")}

    def _report_elapsed(self) -> float:
        # While running, intervals close only up to what every live sender has reported.
        if self._t_end is not None:
            return self.elapsed
        live = [s.watermark for s in self._senders() if not s.finished]
        return min(self.elapsed, min(live, default=self.elapsed))
