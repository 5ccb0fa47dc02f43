"""RunInfo: one stored run as the catalog lists it, without opening it."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from loadgui.engine.stats.report import Report
from loadgui.engine.stats.units import to_ms

RUNNING, INTERRUPTED = "running", "interrupted"
# The other statuses are the final report's state: completed, stopped, failed.


@dataclass(frozen=True, slots=True)
class RunInfo:
    """Times are epoch seconds; latencies seconds (NaN: no success); None before the end."""

    id: int  # this store's number for the run (an imported run gets a new one)
    uid: str  # the run's identity everywhere (export, import)
    name: str  # the profile's name (its file's stem), or the target
    source: str  # cli, serve, window, import, ...
    started_at: float
    ended_at: float | None
    status: str  # running, completed, stopped, failed, interrupted
    reason: str | None
    target: str
    key_count: int  # API keys the run rotated; the keys themselves are never stored
    duration: float | None = None
    requests: int | None = None
    rps: float | None = None
    p50: float | None = None
    p90: float | None = None
    p99: float | None = None
    error_rate: float | None = None
    rows: int = 0  # attempts whose raw columns are stored
    rows_lost: int = 0  # attempts that could not be stored (disk full, ...)
    size_bytes: int = 0
    note: str | None = None  # what went wrong while saving, if anything
    tags: tuple[str, ...] = ()  # sorted; given with `loadgui runs tag` or the window

    @property
    def finished(self) -> bool:
        return self.status != RUNNING

    @property
    def started(self) -> datetime:
        return datetime.fromtimestamp(self.started_at).astimezone()

    def to_dict(self) -> dict[str, Any]:
        """For `loadgui runs list --json`: times in ISO 8601, latencies in milliseconds."""
        return {
            "id": self.id, "uid": self.uid, "name": self.name, "source": self.source,
            "started_at": iso(self.started_at), "ended_at": iso(self.ended_at),
            "status": self.status, "reason": self.reason, "target": self.target,
            "key_count": self.key_count,
            "duration_s": None if self.duration is None else round(self.duration, 3),
            "requests": self.requests,
            "rps": None if self.rps is None else round(self.rps, 2),
            "latency_ms": {name: _ms(getattr(self, name)) for name in ("p50", "p90", "p99")},
            "error_rate": None if self.error_rate is None else round(self.error_rate, 6),
            "rows": self.rows, "rows_lost": self.rows_lost, "size_bytes": self.size_bytes,
            "note": self.note, "tags": list(self.tags),
        }


INFO_COLUMNS = tuple(f.name for f in dataclasses.fields(RunInfo))


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).astimezone().isoformat(timespec="seconds")


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else to_ms(seconds)


def real(value: float) -> float | None:
    """A figure as the catalog stores it: NaN (no value) as None, as SQLite would anyway."""
    return None if math.isnan(value) else value


def summary_of(report: Report) -> dict[str, Any]:
    """The report's figures the catalog lists."""
    return {"duration": report.elapsed, "requests": report.requests, "rps": report.rps,
            "p50": real(report.latency.p50), "p90": real(report.latency.p90),
            "p99": real(report.latency.p99), "error_rate": report.error_rate}


def info_of_row(row: tuple[Any, ...]) -> RunInfo:
    """From a SELECT of INFO_COLUMNS; a NULL latency of a finished run is NaN (no success)."""
    values = dict(zip(INFO_COLUMNS, row, strict=True))
    values["tags"] = tags_of(values["tags"])
    if values["requests"] is not None:
        for name in ("p50", "p90", "p99"):
            if values[name] is None:
                values[name] = math.nan
    return RunInfo(**values)


def tags_of(stored: str | None) -> tuple[str, ...]:
    """The catalog's tags column (a JSON list, NULL for a run never tagged); anything else
    there (an imported run's file edited by hand) counts as no tag."""
    try:
        value = json.loads(stored) if stored else []
    except (json.JSONDecodeError, RecursionError):
        return ()
    if not isinstance(value, list):
        return ()
    return tuple(sorted({tag for tag in value if isinstance(tag, str)}))
