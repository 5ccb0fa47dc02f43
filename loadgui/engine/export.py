"""Exports: CSV with one row per attempt, and the JSON summary."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from loadgui.engine.stats.basics import ErrorKind
from loadgui.engine.stats.recorder import COLUMN_TYPES, Recorder
from loadgui.engine.stats.report import Report

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
    "request": "request",  # the request's name in the mix
    "target": "target",  # the base URL it was sent to
    "message": "message",  # why it failed, in words (empty for a success)
    "final": "final",  # 1: the request's last attempt (its outcome); 0: a retry followed
    "request_latency": "req_latency",  # seconds, on a final attempt: first send to outcome
    "checks_failed": "checks",  # bit i: the request's check i failed (names in the report)
    "connect": "connect",  # seconds opening a new connection for this attempt, or 0
}
_BLOCK_ROWS = 65536
_ERROR_NAMES = {int(kind): "" if kind is ErrorKind.NONE else kind.name.lower()
                for kind in ErrorKind}
_ERROR_CODES = {name: code for code, name in _ERROR_NAMES.items()}
Labels = dict[str, list[str]]
# Rows as columns, with the names behind their message indices (None: write the indices);
# a recorder's Batch is one.
Rows = tuple[dict[str, np.ndarray], list[str] | None]


def csv_rows_of(batches: Iterable[Rows], labels: Labels | None = None) -> Iterator[list[Any]]:
    """The header, then one list of cells per attempt (the CSV's single formatter), over
    rows given in batches (a recorder's or a stored run's `batches()`), one batch in memory
    at a time. A batch without its messages writes their indices."""
    yield list(CSV_COLUMNS)
    for columns, messages in batches:
        yield from _cells(columns, labels or {}, messages)


def _cells(columns: dict[str, np.ndarray], labels: Labels,
           messages: list[str] | None) -> Iterator[list[Any]]:
    request_names = labels.get("request")
    target_names = labels.get("target")
    total = len(columns["t_start"])
    for start in range(0, total, _BLOCK_ROWS):  # Python lists of a block at a time
        cols = {name: columns[name][start:start + _BLOCK_ROWS].tolist()
                for name in CSV_COLUMNS.values()}
        for i in range(len(cols["t_start"])):
            request, target = cols["request"][i], cols["target"][i]
            yield [f"{cols['t_start'][i]:.6f}", f"{cols['latency'][i]:.6f}",
                   cols["status"][i], cols["bytes"][i], cols["attempt"][i], cols["key"][i],
                   _ERROR_NAMES[cols["error"][i]], f"{cols['wait'][i]:.6f}",
                   request_names[request] if request_names else request,
                   target_names[target] if target_names else target,
                   _message(messages, cols["message"][i]), cols["final"][i],
                   f"{cols['req_latency'][i]:.6f}", cols["checks"][i],
                   f"{cols['connect'][i]:.6f}"]


def _message(messages: list[str] | None, index: int) -> str | int:
    if messages is None:
        return index or ""
    return messages[index] if index < len(messages) else ""


def write_csv(columns: dict[str, np.ndarray], path: str | Path,
              labels: Labels | None = None, messages: list[str] | None = None) -> int:
    """Write one row per attempt; returns the number of rows. Raises OSError on failure."""
    return write_csv_batches([(columns, messages)], path, labels)


def write_csv_batches(batches: Iterable[Rows], path: str | Path,
                      labels: Labels | None = None) -> int:
    """write_csv over rows given in batches, one in memory at a time; returns the number
    of rows. Raises OSError on failure."""
    written = 0

    def counted() -> Iterator[Rows]:
        nonlocal written
        for columns, messages in batches:
            written += len(columns["t_start"])
            yield columns, messages

    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(csv_rows_of(counted(), labels))
    return written


def write_recorder_csv(recorder: Recorder, path: str | Path) -> int:
    """Every row a recorder took, also those it dropped once stored (read back from the
    store chunk by chunk); returns the number of rows. Raises OSError on failure."""
    return write_csv_batches(recorder.batches(), path, dict(recorder.labels))


def read_csv(path: str | Path) -> tuple[dict[str, np.ndarray], Labels]:
    """Read a CSV written by write_csv back into recorder columns and their labels
    (labels["message"] names the message indices)."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != list(CSV_COLUMNS):
            raise ValueError(f"{path} is not a loadgui CSV (header {header!r})")
        rows = list(reader)
    raw: list[Sequence[Any]] = (list(zip(*rows, strict=True)) if rows
                                else [() for _ in CSV_COLUMNS])
    out: dict[str, np.ndarray] = {}
    labels: Labels = {}
    for values, (file_name, name) in zip(raw, CSV_COLUMNS.items(), strict=True):
        if file_name == "error":
            values = [_ERROR_CODES[str(v)] for v in values]
        elif name in ("request", "target", "message"):
            names = labels[name] = list(dict.fromkeys(values))
            index = {label: i for i, label in enumerate(names)}
            values = [index[v] for v in values]
        out[name] = np.array(values, dtype=np.float64).astype(COLUMN_TYPES[name])
    return out, labels


def report_json(report: Report) -> str:
    """The report's documented JSON form, as `loadgui run --json` prints it."""
    return json.dumps(report.to_dict(), indent=2)


def write_report(report: Report, path: str | Path) -> None:
    Path(path).write_text(report_json(report) + "\n", encoding="utf-8")
