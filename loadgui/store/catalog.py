"""The catalog: one SQLite database (WAL, so several processes write at once) listing the
runs, with their reports and per-interval series; the raw columns live beside it in files.

`PRAGMA user_version` holds the store's format: a store written by a newer loadgui is
refused before anything is read or written. Every operation opens its own short
connection, so the store is safe to use from any thread or process.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from loadgui.engine.stats.report import Report
from loadgui.store.codec import encode_report
from loadgui.store.errors import StoreError, StoreVersionError
from loadgui.store.info import INFO_COLUMNS
from loadgui.store.series_rows import COLUMNS as SERIES_COLUMNS
from loadgui.store.series_rows import series_rows

FORMAT = 1
BUSY_TIMEOUT_MS = 15_000
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
        source TEXT NOT NULL, started_at REAL NOT NULL, ended_at REAL, status TEXT NOT NULL,
        reason TEXT, target TEXT NOT NULL, key_count INTEGER NOT NULL, duration REAL,
        requests INTEGER, rps REAL, p50 REAL, p90 REAL, p99 REAL, error_rate REAL,
        rows INTEGER NOT NULL DEFAULT 0, rows_lost INTEGER NOT NULL DEFAULT 0,
        size_bytes INTEGER NOT NULL DEFAULT 0, note TEXT,
        profile TEXT NOT NULL, environment TEXT NOT NULL, labels TEXT NOT NULL, report TEXT,
        tags TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS runs_by_name ON runs (name, id)",
    f"""CREATE TABLE IF NOT EXISTS series (
        run_id INTEGER NOT NULL, scope TEXT NOT NULL, i INTEGER NOT NULL,
        {", ".join(f"{name} REAL" for name in SERIES_COLUMNS)},
        PRIMARY KEY (run_id, scope, i)
    ) WITHOUT ROWID""",
    "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
_JSON_FIELDS = ("profile", "environment", "labels", "report", "tags")
# Columns added since format 1, with their types: an older loadgui names its columns, so
# it reads and writes such a catalog as before, and the format stays 1.
_ADDED_COLUMNS = {"tags": "TEXT"}
SELECT_INFO = f"SELECT {', '.join(INFO_COLUMNS)} FROM runs"


@contextlib.contextmanager
def connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode (use `transaction` for several statements)."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the run catalog {path}: {exc}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # In WAL mode NORMAL loses nothing when a process dies, only on power loss; FULL
        # would wait for the disk on every chunk of a run.
        conn.execute("PRAGMA synchronous = NORMAL")
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def prepare(path: Path) -> bool:
    """Check the catalog's format and integrity, creating it when new. Returns whether it
    was created (so runs already on disk should be listed in it). Raises StoreVersionError
    for a newer store and sqlite3.DatabaseError for a damaged one."""
    with connection(path) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > FORMAT:
            raise StoreVersionError(
                f"the run store {path.parent} was written by a newer loadgui (store format "
                f"{version}; this one reads up to {FORMAT}): upgrade loadgui, or set "
                f"LOADGUI_HOME to use another store; nothing was changed")
        if version == FORMAT:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(check)
            _add_columns(conn)
            return False
        conn.execute("PRAGMA journal_mode = WAL")
        with transaction(conn):
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:  # not another process
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {FORMAT}")
                return True
        return False


def _add_columns(conn: sqlite3.Connection) -> None:
    def missing() -> list[str]:
        have = {row[1] for row in conn.execute("PRAGMA table_info(runs)")}
        return [name for name in _ADDED_COLUMNS if name not in have]

    if missing():
        with transaction(conn):
            for name in missing():  # again: another process may have added it meanwhile
                conn.execute(f"ALTER TABLE runs ADD COLUMN {name} {_ADDED_COLUMNS[name]}")


def insert_run(conn: sqlite3.Connection, record: dict[str, Any], *,
               keep_id: bool = False) -> int:
    """Add a run from its record (RunInfo's fields and the JSON ones); returns its id. With
    `keep_id` the record's id is kept when free (a catalog rebuilt from the run files)."""
    values = {k: v for k, v in record.items() if k in INFO_COLUMNS or k in _JSON_FIELDS}
    if not keep_id or conn.execute("SELECT 1 FROM runs WHERE id = ?",
                                   (values.get("id"),)).fetchone():
        values.pop("id", None)
    values = _as_stored(values)
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(f"INSERT INTO runs ({names}) VALUES ({marks})", tuple(values.values()))
    return int(cursor.lastrowid or 0)


def update_run(conn: sqlite3.Connection, run_id: int, **values: Any) -> None:
    values = _as_stored(values)
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*values.values(), run_id))


def _as_stored(values: dict[str, Any]) -> dict[str, Any]:
    """Column values as the catalog keeps them: the JSON fields as text (NULL kept)."""
    return {name: dumps(value) if name in _JSON_FIELDS and value is not None else value
            for name, value in values.items()}


def save_report(conn: sqlite3.Connection, run_id: int, report: Report, **values: Any) -> None:
    """A run's report, with `values` for other columns (its figures as listed: summary_of):
    the catalog keeps it without its series, which replace any in the series table."""
    update_run(conn, run_id, **values, report=encode_report(report, with_series=False))
    conn.execute("DELETE FROM series WHERE run_id = ?", (run_id,))
    insert_series(conn, series_rows(run_id, report))


def insert_series(conn: sqlite3.Connection, rows: Iterator[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" for _ in range(3 + len(SERIES_COLUMNS)))
    conn.executemany(f"INSERT OR REPLACE INTO series VALUES ({marks})", rows)


def select_series(conn: sqlite3.Connection, run_id: int) -> list[tuple[Any, ...]]:
    return conn.execute(f"SELECT scope, i, {', '.join(SERIES_COLUMNS)} FROM series "
                        "WHERE run_id = ? ORDER BY scope, i", (run_id,)).fetchall()


def delete_run(conn: sqlite3.Connection, run_id: int) -> bool:
    """Remove a run's rows; False when another process removed it first."""
    with transaction(conn):
        gone = conn.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount
        conn.execute("DELETE FROM series WHERE run_id = ?", (run_id,))
    return gone > 0


def get_setting(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def set_setting(conn: sqlite3.Connection, name: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (name, value))


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
