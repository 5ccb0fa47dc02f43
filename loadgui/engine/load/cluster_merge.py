"""Batches of rows from several senders, appended to one recorder in completion order.

Each sender's batch carries a watermark: its clock (on the driver's timeline) when it took the
rows, below which it will record nothing more. Rows are held until every live sender's
watermark has passed their end, then appended sorted, so the recorder reads like one run's.
Worker processes (ProcessRun) and cluster shares (ClusterRun) both merge through it.
"""

from __future__ import annotations

import numpy as np

from loadgui.engine.stats.recorder import Recorder


class BatchMerge:
    def __init__(self, recorder: Recorder):
        self.recorder = recorder
        self._pending: list[dict[str, np.ndarray]] = []

    @property
    def pending(self) -> int:
        return sum(len(batch["t_start"]) for batch in self._pending)

    def add(self, rows: dict[str, np.ndarray], messages: list[str]) -> None:
        """Hold a batch, its message indices re-indexed into the recorder's messages."""
        if not len(rows["t_start"]):
            return
        if len(messages) > 1:
            remap = np.array([self.recorder.intern(m) if m else 0 for m in messages], np.uint16)
            rows = {**rows, "message": remap[rows["message"]]}
        self._pending.append(rows)

    def flush(self, watermark: float) -> None:
        """Append held rows that ended at or before the watermark, in completion order."""
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
