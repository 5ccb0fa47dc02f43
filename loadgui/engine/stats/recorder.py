"""Every attempt as one row of growable numpy columns, with running totals folded from them."""

from __future__ import annotations

import numpy as np

from loadgui.engine.stats.series import IntervalSeries, Series
from loadgui.engine.stats.totals import RunningTotals

COLUMN_TYPES: dict[str, type] = {
    "t_start": np.float64,  # seconds since the run started (monotonic clock): intended send
    "latency": np.float64,  # seconds from the intended send to the last byte
    "status": np.int16,  # HTTP status, 0 when there was no response
    "bytes": np.int64,  # response bytes received
    "attempt": np.uint8,  # 1 for the first try of a request, 2 for its first retry, ...
    "key": np.int32,  # index of the API key used, -1 for none (never the key itself)
    "error": np.uint8,  # ErrorKind
    "wait": np.float32,  # seconds the send started late (open model); latency - wait = service
    "request": np.uint16,  # index into labels["request"]: which request of the mix
    "target": np.uint16,  # index into labels["target"]: which base URL
    "message": np.uint16,  # index into Recorder.messages: why it failed (0: no message)
    "final": np.uint8,  # 1 when this attempt is its request's last (the request's outcome)
    "req_latency": np.float32,  # on a final attempt: seconds from the request's first
    # intended send to this attempt's end, backoff included; 0 on the others
    "checks": np.uint32,  # bit i set: check i of this request failed (0: none failed)
    "connect": np.float32,  # seconds spent opening a new connection for this attempt, or 0
}
FINE_INTERVAL_S = 0.1
FINE_SPAN_S = 10.0  # short runs and bursts are also kept in FINE_INTERVAL_S intervals
MAX_MESSAGES = 4096  # distinct messages kept; later ones share the last slot


class Recorder:
    """Append-only columns; `totals()` and `series()` summarise them for the report."""

    def __init__(self, capacity: int = 4096, interval: float = 1.0):
        self.interval = interval
        self._n = 0
        self._cols: dict[str, np.ndarray] = {
            name: np.empty(capacity, dtype) for name, dtype in COLUMN_TYPES.items()}
        self._series = IntervalSeries(interval)
        self._scoped: dict[str, IntervalSeries] = {}
        self._fine = IntervalSeries(FINE_INTERVAL_S)
        self._totals = RunningTotals()
        # Names behind the request and target indices (set by the run).
        self.labels: dict[str, list[str]] = {"request": ["request"], "target": ["target"]}
        self.messages: list[str] = [""]
        self._message_index: dict[str, int] = {"": 0}

    def __len__(self) -> int:
        return self._n

    def intern(self, message: str) -> int:
        """The index of a failure message, added on first sight."""
        index = self._message_index.get(message)
        if index is None:
            if len(self.messages) >= MAX_MESSAGES:
                return MAX_MESSAGES - 1
            index = self._message_index[message] = len(self.messages)
            self.messages.append(message)
        return index

    def add(self, t_start: float, latency: float, status: int, nbytes: int, attempt: int,
            key: int, error: int, wait: float = 0.0, request: int = 0,
            target: int = 0, message: str = "", *, final: int = 1,
            req_latency: float | None = None, checks: int = 0, connect: float = 0.0) -> None:
        if self._n == len(self._cols["t_start"]):
            self._grow(self._n + 1)
        i = self._n
        c = self._cols
        c["t_start"][i] = t_start
        c["latency"][i] = latency
        c["status"][i] = status
        c["bytes"][i] = nbytes
        c["attempt"][i] = min(attempt, 255)
        c["key"][i] = key
        c["error"][i] = error
        c["wait"][i] = wait
        c["request"][i] = request
        c["target"][i] = target
        c["message"][i] = self.intern(message) if message else 0
        c["final"][i] = final
        c["req_latency"][i] = (latency if req_latency is None else req_latency) if final else 0.0
        c["checks"][i] = checks
        c["connect"][i] = connect
        self._n = i + 1

    def extend(self, columns: dict[str, np.ndarray], messages: list[str] | None = None) -> None:
        """Append a batch of rows (e.g. from another process), in completion order.

        `messages` are the names behind the batch's message indices, when they come from
        another recorder; they are re-indexed into this one's.
        """
        count = len(columns["t_start"])
        if count == 0:
            return
        if self._n + count > len(self._cols["t_start"]):
            self._grow(self._n + count)
        for name, col in self._cols.items():
            if name == "message" and messages is not None:
                remap = np.array([self.intern(m) if m else 0 for m in messages], np.uint16)
                col[self._n:self._n + count] = remap[columns[name]]
            else:
                col[self._n:self._n + count] = columns[name]
        self._n += count

    def _grow(self, needed: int) -> None:
        capacity = max(needed, 2 * len(self._cols["t_start"]))
        for name, col in self._cols.items():
            bigger = np.empty(capacity, col.dtype)
            bigger[:self._n] = col[:self._n]
            self._cols[name] = bigger

    def columns(self) -> dict[str, np.ndarray]:
        """Read-only views of the recorded rows (no copy)."""
        views = {}
        for name, col in self._cols.items():
            view = col[:self._n]
            view.flags.writeable = False
            views[name] = view
        return views

    def totals(self) -> RunningTotals:
        """The running totals with every row recorded so far folded in (O(new rows))."""
        self._totals.fold(self.columns(), self._n)
        return self._totals

    def series(self, elapsed: float) -> Series:
        """Per-interval series up to `elapsed` (closed intervals are cached)."""
        return self._series.update(self.columns(), elapsed)

    def fine_series(self, elapsed: float) -> Series | None:
        """The series in FINE_INTERVAL_S intervals, for a run still within FINE_SPAN_S (a
        short run, a burst); None after that, when one-second intervals show it well."""
        if elapsed > FINE_SPAN_S:
            return None
        return self._fine.update(self.columns(), elapsed)

    def scoped_series(self, elapsed: float) -> dict[str, Series]:
        """The series of each request and each target, for a run that has several of them
        ("request: NAME", "target: URL"), each kept up to date from new rows only."""
        for column in ("request", "target"):
            names = self.labels.get(column, [])
            if len(names) > 1:
                for index, name in enumerate(names):
                    key = f"{column}: {name}"
                    if key not in self._scoped:
                        self._scoped[key] = IntervalSeries(self.interval, (column, index))
        columns = self.columns()
        return {key: series.update(columns, elapsed) for key, series in self._scoped.items()}

    def last_end(self) -> float:
        """When the latest recorded attempt ended (seconds since the start), 0 without rows."""
        cols = self.columns()
        return float((cols["t_start"] + cols["latency"]).max()) if self._n else 0.0
