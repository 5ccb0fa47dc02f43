"""StoredRunWriter: a run saved while it goes, chunk by chunk, then finished with its report.

Memory stays flat: each `append` writes its rows to a new chunk file and keeps nothing but
the failure messages seen so far. A chunk is on disk once `append` returns, so a process
killed mid-run leaves every chunk written readable, and the run is listed `interrupted`.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from loadgui.engine.http.urls import display_url
from loadgui.engine.load.mix import labels_for
from loadgui.engine.stats.recorder import Batch, Recorder
from loadgui.engine.stats.report import Report
from loadgui.profile import Profile
from loadgui.store import catalog
from loadgui.store.codec import encode_report
from loadgui.store.columns import chunk_name, iter_chunks, write_chunk
from loadgui.store.errors import StoreError, StoreWriteError
from loadgui.store.info import RUNNING, RunInfo, summary_of
from loadgui.store.locks import WriterLock
from loadgui.store.manifest import environment, write_manifest
from loadgui.store.paths import LOCK_FILE
from loadgui.store.redact import key_count, stored_profile

if TYPE_CHECKING:
    from loadgui.store.store import RunStore

MAX_MESSAGES = 65535  # the message column is uint16; later new messages share the last slot


class StoredRunWriter:
    """Made by `RunStore.begin_run`. `append` raises StoreWriteError once when the disk is
    full or unwritable; later batches are counted as lost and the run still finishes."""

    def __init__(self, store: RunStore, run_id: int, run_dir: Path, record: dict[str, Any],
                 lock: WriterLock):
        self.store = store
        self.id = run_id
        self.dir = run_dir
        self._record = record
        self._lock: WriterLock | None = lock
        self._chunks = 0
        self._size = 0
        self._cursor = 0  # rows of the recorder given to sync() already stored
        self._messages: dict[str, int] = {"": 0}
        # One append at a time: a sync still running in a worker thread when the run's
        # last one starts (its task cancelled, the thread not) must not share chunk numbers.
        self._writing = threading.RLock()
        self.rows = 0
        self.rows_lost = 0
        self.error: str | None = None  # the first write failure, in words
        self.info: RunInfo | None = None  # set by finish()

    @classmethod
    def begin(cls, store: RunStore, profile: Profile, name: str | None, source: str,
              labels: dict[str, list[str]] | None) -> StoredRunWriter:
        profile = profile.validated()
        uid = uuid.uuid4().hex
        record: dict[str, Any] = {
            "uid": uid, "name": name or display_url(profile.url()), "source": source,
            "started_at": time.time(), "ended_at": None, "status": RUNNING, "reason": None,
            "target": display_url(profile.url()), "key_count": key_count(profile),
            "profile": stored_profile(profile), "environment": environment(),
            "labels": labels or labels_for(profile), "report": None}
        run_dir = store.runs_dir / uid
        lock: WriterLock | None = None
        try:
            run_dir.mkdir(parents=True)
            lock = WriterLock(run_dir / LOCK_FILE)
            with catalog.connection(store.catalog_path) as conn:
                record["id"] = catalog.insert_run(conn, record)
            write_manifest(run_dir, record)
        except (OSError, sqlite3.Error, StoreError) as exc:
            _undo_begin(store, run_dir, record.get("id"), lock)
            raise StoreWriteError(f"cannot save a new run in {store.home}: "
                                  f"{_why(exc)}; nothing of it is stored") from None
        return cls(store, record["id"], run_dir, record, lock)

    def append(self, columns: dict[str, np.ndarray], messages: list[str]) -> None:
        """Store a batch of rows (recorder columns); `messages` names the batch's message
        indices (a recorder's `messages`)."""
        with self._writing:
            self._append(columns, messages)

    def _append(self, columns: dict[str, np.ndarray], messages: list[str]) -> None:
        count = len(columns["t_start"])
        if count == 0 or self.info is not None:
            return
        if self.error is not None:
            self.rows_lost += count
            return
        remapped, new = self._remap(columns["message"], messages)
        path = self.dir / chunk_name(self._chunks + 1)
        try:
            size = write_chunk(path, {**columns, "message": remapped}, new,
                               len(self._messages) - len(new))
            self._chunks += 1
            self._size += size
            self.rows += count
            with catalog.connection(self.store.catalog_path) as conn:
                catalog.update_run(conn, self.id, rows=self.rows, size_bytes=self._size)
        except (OSError, sqlite3.Error, StoreError) as exc:
            if not path.exists():
                for text in new:  # never written: forget them, so indices stay dense
                    del self._messages[text]
                self.rows_lost += count
            self.error = (f"cannot save more of run {self.id} in {self.dir}: {_why(exc)}; "
                          f"the {self.rows:,} attempts saved before are kept, later ones "
                          f"are not stored")
            raise StoreWriteError(self.error) from None

    def sync(self, recorder: Recorder) -> None:
        """Append the recorder's rows not yet stored (call it now and then during a run,
        from any thread). Raises StoreWriteError as `append` does."""
        with self._writing:
            first, held = recorder.held()
            end = first + len(held["t_start"])
            if end <= self._cursor:
                return
            if self._cursor < first:
                raise StoreWriteError(f"rows {self._cursor:,} to {first:,} of the run were "
                                      "dropped from memory before this store got them")
            columns = {name: col[self._cursor - first:end - first]
                       for name, col in held.items()}
            self._cursor = end
            self._append(columns, recorder.messages)

    @property
    def stored(self) -> int:
        """Rows [0, stored) of the run are in chunk files (every row given, unless writing
        failed: then those before the failure)."""
        return self.rows

    def read_back(self, upto: int) -> Iterator[Batch]:
        """Rows [0, upto) of this run read back from its chunk files, chunk by chunk (a
        Recorder's StoredRows). Raises OSError when a chunk cannot be read any more."""
        problems: list[str] = []
        rows = 0
        for batch in iter_chunks(self.dir, problems, upto):
            if problems:
                break
            rows += len(batch[0]["t_start"])
            yield batch
        if problems or rows < upto:
            why = problems[0] if problems else f"only {rows:,} of {upto:,} rows are in {self.dir}"
            raise OSError(f"the stored rows of run {self.id} cannot be read back: {why}")

    def _remap(self, column: np.ndarray, messages: list[str]) -> tuple[np.ndarray, list[str]]:
        used = np.unique(column)
        if not used.any():
            return column, []
        remap = np.zeros(int(used.max()) + 1, np.uint16)
        new = []
        for index in used.tolist():
            text = messages[index] if 0 < index < len(messages) else ""
            slot = self._messages.get(text)
            if slot is None:
                if len(self._messages) >= MAX_MESSAGES:
                    slot = MAX_MESSAGES - 1
                else:
                    slot = self._messages[text] = len(self._messages)
                    new.append(text)
            remap[index] = slot
        return remap[column], new

    def finish(self, report: Report) -> RunInfo:
        """Save the final report and series; the run is then listed with its figures.
        Raises StoreWriteError when even that cannot be saved (the run then lists as
        interrupted, with the attempts stored so far)."""
        with self._writing:
            return self._finish(report)

    def _finish(self, report: Report) -> RunInfo:
        if self.info is not None:
            return self.info
        note = self.error
        if self.rows_lost:
            note = (f"{self.rows_lost:,} of {self.rows + self.rows_lost:,} attempts could "
                    f"not be stored: {self.error}")
        values = {"ended_at": time.time(), "status": report.state, "reason": report.reason,
                  **summary_of(report), "rows": self.rows, "rows_lost": self.rows_lost,
                  "note": note}
        record = {**self._record, **values, "report": encode_report(report)}
        try:
            manifest_size = write_manifest(self.dir, record)
            values["size_bytes"] = self._size + manifest_size
            with catalog.connection(self.store.catalog_path) as conn, \
                    catalog.transaction(conn):
                catalog.save_report(conn, self.id, report, **values)
        except (OSError, sqlite3.Error, StoreError) as exc:
            self.close()
            raise StoreWriteError(
                f"cannot save the report of run {self.id}: {_why(exc)}; the {self.rows:,} "
                f"attempts stored are kept and it lists as interrupted") from None
        self.close()
        self.info = self.store.info(self.id)
        self.store.apply_retention(keep=self.id)
        return self.info

    def close(self) -> None:
        """Stop writing without a report: the run lists as interrupted (its rows are kept)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> StoredRunWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _undo_begin(store: RunStore, run_dir: Path, run_id: int | None,
                lock: WriterLock | None) -> None:
    with contextlib.suppress(sqlite3.Error, StoreError):
        if run_id is not None:
            with catalog.connection(store.catalog_path) as conn:
                catalog.delete_run(conn, run_id)
    if lock is not None:
        lock.release()
    shutil.rmtree(run_dir, ignore_errors=True)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
