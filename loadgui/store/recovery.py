"""When the catalog is lost or damaged: set it aside and list again the runs on disk.

Each run's directory holds its run.json (profile, report, series), so a catalog truncated,
deleted or overwritten costs nothing but the time to read those files.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from loadgui.store import catalog
from loadgui.store.codec import SERIES_FIELDS, decode_report
from loadgui.store.errors import StoreVersionError
from loadgui.store.info import INTERRUPTED, RUNNING
from loadgui.store.locks import writer_alive
from loadgui.store.manifest import read_manifest
from loadgui.store.paths import LOCK_FILE
from loadgui.store.series_rows import series_rows

INTERRUPTED_REASON = "the process saving it ended before the run did"


def set_aside(path: Path) -> Path:
    """Rename a damaged catalog (and its WAL files) out of the way; returns its new name."""
    kept = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.replace(f"{path}{suffix}", f"{kept}{suffix}")
    return kept


def relist(catalog_path: Path, runs_dir: Path) -> tuple[int, list[str]]:
    """Add to the catalog every run on disk it lacks; returns how many, and what could not
    be read."""
    problems: list[str] = []
    added = 0
    try:
        names = sorted(os.listdir(runs_dir))
    except OSError:
        return 0, []
    with catalog.connection(catalog_path) as conn:
        known = {row[0] for row in conn.execute("SELECT uid FROM runs")}
        records = []
        for name in names:
            run_dir = runs_dir / name
            if name in known or not run_dir.is_dir():
                continue
            try:
                records.append((run_dir, read_manifest(run_dir)))
            except (ValueError, StoreVersionError) as exc:
                problems.append(f"{exc}; that run is left as it is")
        records.sort(key=lambda item: (item[1].get("id") or 0, item[1]["started_at"]))
        for run_dir, record in records:
            if record.get("uid") != run_dir.name:
                problems.append(f"{run_dir} holds another run's run.json; left as it is")
                continue
            try:
                with catalog.transaction(conn):
                    _insert(conn, run_dir, record)
                added += 1
            except (sqlite3.Error, ValueError, TypeError, KeyError) as exc:
                problems.append(f"{run_dir}: cannot list it again ({exc})")
    return added, problems


def _insert(conn: sqlite3.Connection, run_dir: Path, record: dict[str, Any]) -> None:
    if record["status"] == RUNNING and not writer_alive(run_dir / LOCK_FILE):
        record = {**record, "status": INTERRUPTED, "reason": INTERRUPTED_REASON}
    list_run(conn, run_dir, record, keep_id=True)


def list_run(conn: sqlite3.Connection, run_dir: Path, record: dict[str, Any], *,
             keep_id: bool = False) -> int:
    """Add the run in `run_dir` to the catalog from its record (run.json's content, whose
    report keeps its series: the catalog has them in the series table); returns its id.
    Raises ValueError for a damaged report, sqlite3.Error."""
    blob: dict[str, Any] | None = record.get("report")
    report = decode_report(blob) if blob is not None else None
    size = sum(p.stat().st_size for p in run_dir.iterdir() if p.is_file())
    row = {**record, "size_bytes": size}
    if blob is not None:
        row["report"] = {k: v for k, v in blob.items() if k not in SERIES_FIELDS}
    run_id = catalog.insert_run(conn, row, keep_id=keep_id)
    if report is not None:
        catalog.insert_series(conn, series_rows(run_id, report))
    return run_id
