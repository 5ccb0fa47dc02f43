"""Exports: CSV with one row per attempt, and the JSON summary."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from loadgui.engine.recorder import COLUMN_TYPES, Snapshot
from loadgui.engine.stats import ErrorKind

# File column -> recorder column. API keys appear only as their index, never as text.
CSV_COLUMNS = {
    "timestamp": "t_start",  # seconds since the run started
    "latency": "latency",  # seconds
    "status": "status",
    "bytes": "bytes",
    "attempt": "attempt",
    "key_index": "key",
    "error": "error",  # empty, or timeout / connect / read / protocol / other
    "wait": "wait",  # seconds the send started after its intended time (open model)
}
_ERROR_NAMES = {int(kind): "" if kind is ErrorKind.NONE else kind.name.lower()
                for kind in ErrorKind}
_ERROR_CODES = {name: code for code, name in _ERROR_NAMES.items()}


def write_csv(columns: dict[str, np.ndarray], path: str | Path) -> int:
    """Write one row per attempt; returns the number of rows. Raises OSError on failure."""
    cols = [columns[name] for name in CSV_COLUMNS.values()]
    t_start, latency, status, nbytes, attempt, key, error, wait = cols
    rows = zip(
        (f"{v:.6f}" for v in t_start.tolist()),
        (f"{v:.6f}" for v in latency.tolist()),
        status.tolist(), nbytes.tolist(), attempt.tolist(), key.tolist(),
        (_ERROR_NAMES[e] for e in error.tolist()),
        (f"{v:.6f}" for v in wait.tolist()),
        strict=True,
    )
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
    return len(t_start)


def read_csv(path: str | Path) -> dict[str, np.ndarray]:
    """Read a CSV written by write_csv back into recorder columns."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != list(CSV_COLUMNS):
            raise ValueError(f"{path} is not a loadgui CSV (header {header!r})")
        rows = list(reader)
    raw = list(zip(*rows, strict=True)) if rows else [() for _ in CSV_COLUMNS]
    out: dict[str, np.ndarray] = {}
    for values, (file_name, name) in zip(raw, CSV_COLUMNS.items(), strict=True):
        if file_name == "error":
            values = [_ERROR_CODES[v] for v in values]
        out[name] = np.array(values, dtype=np.float64).astype(COLUMN_TYPES[name])
    return out


def summary_json(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.to_dict(), indent=2)


def write_summary(snapshot: Snapshot, path: str | Path) -> None:
    Path(path).write_text(summary_json(snapshot) + "\n", encoding="utf-8")
