"""StoredRun: one run opened from the store, as the window, `compare` and the HTML report
take it. Whatever is missing or damaged is said in `problems`; the rest is still shown."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loadgui.engine.stats.recorder import Batch, Recorder
from loadgui.engine.stats.report import Report
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.profile import Profile
from loadgui.store import catalog
from loadgui.store.codec import decode_report, empty_series, encode_report
from loadgui.store.columns import StoredColumns, chunk_files, iter_chunks, read_columns
from loadgui.store.errors import StoreError
from loadgui.store.info import RUNNING, RunInfo, summary_of
from loadgui.store.manifest import write_manifest
from loadgui.store.redact import profile_of
from loadgui.store.series_rows import FINE, OVERALL, series_of_rows

if TYPE_CHECKING:
    from loadgui.store.store import RunStore

# Rows a report rebuilt from a stored run's chunks holds at once (the rest are read back).
REBUILD_HOLD = 1_000_000


@dataclass
class StoredRun:
    """`profile_data` is the stored profile's JSON (secrets taken out); `profile` the same
    as a Profile to run again (None when this loadgui cannot read it)."""

    info: RunInfo
    profile_data: dict[str, Any]
    profile: Profile | None
    report: Report
    environment: dict[str, str]
    labels: dict[str, list[str]]
    dir: Path
    problems: list[str] = field(default_factory=list)
    _columns: StoredColumns | None = None

    def columns(self) -> StoredColumns:
        """The raw attempt columns (read once, then kept); what could not be read is added
        to `problems`, and what is gone leaves the columns short or empty. A long run's
        rows may not fit in memory: `batches()` reads them chunk by chunk."""
        if self._columns is None:
            self._columns = read_columns(self.dir, self.labels)
            found = [*self._columns.problems,
                     *_shortfall(self.info, self.dir, len(self._columns))]
            # A rebuilt report has said these already.
            self.problems.extend(p for p in found if p not in self.problems)
        return self._columns

    def batches(self) -> Iterator[Batch]:
        """The raw attempt rows chunk by chunk, each with the names behind its message
        indices; a chunk that cannot be read is skipped and added to `problems`."""
        if self._columns is not None:
            return iter([(self._columns.columns, self._columns.messages)])
        return iter_chunks(self.dir, self.problems)


def open_stored_run(store: RunStore, info: RunInfo) -> StoredRun:
    with catalog.connection(store.catalog_path) as conn:
        row = conn.execute("SELECT profile, environment, labels, report FROM runs WHERE id = ?",
                           (info.id,)).fetchone()
        series = catalog.select_series(conn, info.id) if row is not None else []
    if row is None:
        raise StoreError(f"run {info.id} was removed meanwhile")
    profile_data, environment, labels = (json.loads(text) for text in row[:3])
    run = StoredRun(info=info, profile_data=profile_data, profile=profile_of(profile_data),
                    report=_placeholder(), environment=environment, labels=labels,
                    dir=store.runs_dir / info.uid)
    if info.note:
        run.problems.append(info.note)
    if row[3] is not None:
        try:
            run.report = _with_series(decode_report(json.loads(row[3])),
                                      series_of_rows(series))
            return run
        except ValueError as exc:
            run.problems.append(f"the stored report of run {info.id} cannot be read ({exc}); "
                                "it was rebuilt from the raw columns")
    run.report, rows = _rebuilt(run)
    if info.status != RUNNING:  # a run still being written gets its report when it ends
        _keep_rebuilt(store, run, rows)
    return run


def _with_series(report: Report, series: dict[str, Any]) -> Report:
    scopes = {k: v for k, v in series.items() if k not in (OVERALL, FINE)}
    return dataclasses.replace(report, series=series.get(OVERALL, empty_series()),
                               scopes=scopes, fine_series=series.get(FINE))


def _rebuilt(run: StoredRun) -> tuple[Report, int]:
    """The report of the rows alone, and how many rows were read: a run interrupted before
    its report was saved, or still being saved (then its rows so far). The rows are read
    chunk by chunk into a recorder that holds at most REBUILD_HOLD of them."""
    recorder = Recorder(hold=REBUILD_HOLD)
    recorder.labels = {name: list(values) for name, values in run.labels.items()}
    problems: list[str] = []

    def read_back(upto: int) -> Iterator[Batch]:
        return iter_chunks(run.dir, [], upto)

    for columns, messages in iter_chunks(run.dir, problems):
        recorder.extend(columns, messages)
        recorder.release(len(recorder), read_back)
    rows = len(recorder)
    run.problems.extend(problems)
    run.problems.extend(_shortfall(run.info, run.dir, rows))
    load = run.profile_data.get("load", {})
    running = run.info.status == RUNNING
    report = report_of_rows(recorder, final=not running, state=RUNNING if running else "failed",
                            mode=str(load.get("mode", "concurrency")))
    reason = None if running else (
        f"interrupted: {run.info.reason or 'the run never finished'}; this report is "
        f"rebuilt from the {rows:,} attempts saved")
    report = dataclasses.replace(
        report, reason=reason, target=run.info.target,
        client=str(run.profile_data.get("target", {}).get("client", "")))
    return report, rows


def _keep_rebuilt(store: RunStore, run: StoredRun, rows: int) -> None:
    """Save a rebuilt report, so the list shows its figures (skipped when read-only)."""
    report = run.report
    try:
        with catalog.connection(store.catalog_path) as conn, catalog.transaction(conn):
            catalog.save_report(conn, run.info.id, report, **summary_of(report), rows=rows)
        run.info = store.info(run.info.id)
        write_manifest(run.dir, record_of(run))
    except (sqlite3.Error, StoreError, OSError):
        pass


def record_of(run: StoredRun) -> dict[str, Any]:
    """The run as its run.json holds it (without the format, which write_manifest adds)."""
    info = dataclasses.asdict(run.info)
    info.pop("size_bytes")
    return {**info, "profile": run.profile_data, "environment": run.environment,
            "labels": run.labels, "report": encode_report(run.report)}


def _shortfall(info: RunInfo, run_dir: Path, rows: int) -> list[str]:
    if rows >= info.rows:
        return []
    if not chunk_files(run_dir):
        return [f"the raw columns of run {info.id} are gone (no chunk files in {run_dir}); "
                "its report is shown as saved"]
    return [f"only {rows:,} of the {info.rows:,} attempts' raw columns of run {info.id} "
            "could be read (a chunk file is missing or damaged)"]


def _placeholder() -> Report:
    return report_of_rows(Recorder(capacity=1))
