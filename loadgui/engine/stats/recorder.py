"""Every attempt as one row of growable numpy columns, with running totals folded from them.

A run that is being saved can hold only a bounded tail of its rows: once its saver says rows
are in the store (`release`), and more than `hold` rows are held, the rows already stored,
folded into the totals and in closed series intervals are dropped from memory. `len()` stays
every row recorded; `columns()` is the rows held (from row `dropped` on); `batches()` reads
every row, the dropped ones back from where they were stored. A recorder never released
keeps every row, as before.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

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
HOLD_ROWS = 1_000_000  # rows held before stored ones are dropped (about 55 MB)
# References to a spare column when nothing else has it: the dict, the loop's name and
# getrefcount's argument (a numpy view holds one more, on its base).
_UNSHARED_REFS = 3

# Rows as columns, with the names behind their message indices.
Batch = tuple[dict[str, np.ndarray], list[str]]
# Rows [0, upto) read back from where they were stored, in batches, in order.
StoredRows = Callable[[int], Iterator[Batch]]


class Recorder:
    """Append-only columns; `totals()` and `series()` summarise them for the report."""

    def __init__(self, capacity: int = 4096, interval: float = 1.0, *,
                 hold: int | None = None):
        self.interval = interval
        self.hold = HOLD_ROWS if hold is None else hold
        self._n = 0  # rows recorded
        self._base = 0  # rows dropped: self._cols[0] is row self._base
        self._stored = 0  # rows [0, _stored) are stored and readable through _stored_rows
        self._stored_rows: StoredRows | None = None
        self._dropped_end = 0.0  # when the latest dropped row ended
        self._spare: dict[str, np.ndarray] | None = None  # columns the last trim left
        # Taken by threads reading the columns and by trim(), which replaces them.
        self._swap = threading.Lock()
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

    @property
    def dropped(self) -> int:
        """Rows no longer held in memory (the first `dropped` rows); 0 unless released."""
        return self._base

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
        i = self._n - self._base
        if i == len(self._cols["t_start"]):
            self._grow(i + 1)
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
        self._n += 1

    def extend(self, columns: dict[str, np.ndarray], messages: list[str] | None = None) -> None:
        """Append a batch of rows (e.g. from another process), in completion order.

        `messages` are the names behind the batch's message indices, when they come from
        another recorder; they are re-indexed into this one's.
        """
        count = len(columns["t_start"])
        if count == 0:
            return
        at = self._n - self._base
        if at + count > len(self._cols["t_start"]):
            self._grow(at + count)
        for name, col in self._cols.items():
            if name == "message" and messages is not None:
                remap = np.array([self.intern(m) if m else 0 for m in messages], np.uint16)
                col[at:at + count] = remap[columns[name]]
            else:
                col[at:at + count] = columns[name]
        self._n += count

    def _grow(self, needed: int) -> None:
        capacity = max(needed, 2 * len(self._cols["t_start"]))
        held = self._n - self._base
        grown = {}
        for name, col in self._cols.items():
            bigger = np.empty(capacity, col.dtype)
            bigger[:held] = col[:held]
            grown[name] = bigger
        with self._swap:
            self._cols = grown

    def columns(self) -> dict[str, np.ndarray]:
        """Read-only views of the rows held (no copy): every row recorded, unless rows were
        released to a store and dropped, then rows [dropped, len) (see `batches()`).
        The views stay valid while later rows are added or earlier ones dropped."""
        return self.held()[1]

    def held(self) -> tuple[int, dict[str, np.ndarray]]:
        """The number of the first row held and read-only views of the rows held, taken
        together (safe from another thread while rows are recorded and dropped)."""
        with self._swap:
            base, held, cols = self._base, self._n - self._base, self._cols
        views = {}
        for name, col in cols.items():
            view = col[:held]
            view.flags.writeable = False
            views[name] = view
        return base, views

    def batches(self) -> Iterator[Batch]:
        """Every row recorded so far, in batches: the dropped rows read back from the
        store, then the rows held. Taken when called (rows added later are left out), so
        the batches may be read in another thread while the run goes on."""
        base, held = self.held()
        messages = list(self.messages)
        stored_rows = self._stored_rows

        def every_row() -> Iterator[Batch]:
            if base:
                assert stored_rows is not None  # rows are dropped only once stored
                yield from stored_rows(base)
            yield held, messages

        return every_row()

    def release(self, stored: int, stored_rows: StoredRows) -> int:
        """Rows [0, stored) are in the store, readable back with `stored_rows`: once more
        than `hold` rows are held, drop those that the totals and series are done with.
        Call it from the thread that records rows. Returns how many rows it dropped."""
        self._stored = max(self._stored, min(stored, self._n))
        self._stored_rows = stored_rows
        # Folded now, a second's rows at a time, rather than a million at once at the next
        # trim (which would stall the loop that sends).
        summarised = self._summarise()
        if self._n - self._base <= self.hold:
            return 0
        return self._cut(min(self._stored, summarised))

    def trim(self, upto: int) -> int:
        """Drop the held rows below row `upto` that are stored and summarised (totals and
        closed series intervals); returns how many were dropped."""
        return self._cut(min(upto, self._stored, self._summarise()))

    def _cut(self, cut: int) -> int:
        if cut <= self._base:
            return 0
        held = self._cols
        first, keep = cut - self._base, self._n - cut
        ends = held["t_start"][:first] + held["latency"][:first]
        self._dropped_end = max(self._dropped_end, float(ends.max()))
        tail = self._spare_columns(max(self.hold + self.hold // 4, 2 * keep, 1))
        for name, col in held.items():
            tail[name][:keep] = col[first:first + keep]
        with self._swap:
            self._cols, self._base = tail, cut
        self._spare = held
        return first

    def _spare_columns(self, capacity: int) -> dict[str, np.ndarray]:
        """Columns for the tail: those the previous trim left, when no view of them is
        still read (a CSV being written, a sync under way) and they are big enough; else
        new ones. Two sets of columns used in turn, rather than new ones at every trim,
        keep the process's memory from fragmenting over an hour-long run."""
        spare, self._spare = self._spare, None
        if spare is not None and len(spare["t_start"]) >= capacity and all(
                sys.getrefcount(col) <= _UNSHARED_REFS for col in spare.values()):
            return spare
        # Room for `hold` rows and a quarter more: the next release comes before they fill.
        return {name: np.empty(capacity, dtype) for name, dtype in COLUMN_TYPES.items()}

    def _summarise(self) -> int:
        """Fold every row into the totals and close each series up to the interval of the
        latest row's end (rows come in completion order: none will end earlier); returns
        the first row some series still needs."""
        self.totals()
        if self._n == self._base:
            return self._n
        _, cols = self.held()
        latest = float((cols["t_start"][-1:] + cols["latency"][-1:])[0])
        self._ensure_scoped()
        needed = [self._series.close(cols, latest, self._base)]
        needed += [series.close(cols, latest, self._base) for series in self._scoped.values()]
        if latest <= FINE_SPAN_S:  # later reports never show the fine series
            needed.append(self._fine.close(cols, latest, self._base))
        return min(needed)

    def totals(self) -> RunningTotals:
        """The running totals with every row recorded so far folded in (O(new rows))."""
        base, cols = self.held()
        self._totals.fold(cols, base + len(cols["t_start"]), base)
        return self._totals

    def series(self, elapsed: float) -> Series:
        """Per-interval series up to `elapsed` (closed intervals are cached)."""
        base, cols = self.held()
        return self._series.update(cols, elapsed, base)

    def fine_series(self, elapsed: float) -> Series | None:
        """The series in FINE_INTERVAL_S intervals, for a run still within FINE_SPAN_S (a
        short run, a burst); None after that, when one-second intervals show it well."""
        if elapsed > FINE_SPAN_S:
            return None
        base, cols = self.held()
        return self._fine.update(cols, elapsed, base)

    def _ensure_scoped(self) -> None:
        for column in ("request", "target"):
            names = self.labels.get(column, [])
            if len(names) > 1:
                for index, name in enumerate(names):
                    key = f"{column}: {name}"
                    if key not in self._scoped:
                        self._scoped[key] = IntervalSeries(self.interval, (column, index))

    def scoped_series(self, elapsed: float) -> dict[str, Series]:
        """The series of each request and each target, for a run that has several of them
        ("request: NAME", "target: URL"), each kept up to date from new rows only."""
        self._ensure_scoped()
        base, cols = self.held()
        return {key: series.update(cols, elapsed, base) for key, series in self._scoped.items()}

    def last_end(self) -> float:
        """When the latest recorded attempt ended (seconds since the start), 0 without rows."""
        _, cols = self.held()
        held = float((cols["t_start"] + cols["latency"]).max()) if len(cols["t_start"]) else 0.0
        return max(held, self._dropped_end) if self._base else held
