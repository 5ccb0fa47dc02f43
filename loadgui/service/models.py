"""What the service answers, as documented models, and how a run's entry becomes one.

Units: every latency is in milliseconds (like `loadgui run --json`); `total_time` is in seconds.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field

from loadgui.engine.stats.basics import success_mask
from loadgui.service.defaults import LATENCIES_LIMIT
from loadgui.service.registry import RunEntry

RunStatusName = Literal["running", "completed", "stopped", "failed"]
_STATUS_DOC = ("running (also while it starts), completed (a count or duration limit was "
               "reached), stopped (POST /stop or service shutdown) or failed (see `error`)")


class Accepted(BaseModel):
    message: str = Field(examples=["Request accepted"])
    request_id: str = Field(description="The run's id (a UUID4) for /status, /stop and /runs.")


class ErrorBody(BaseModel):
    detail: str = Field(description="What went wrong, as one sentence.")
    field: str | None = Field(
        default=None, description="Invalid profile only: the dotted path of the bad value, "
        "e.g. load.concurrency (null when the body is not a JSON object at all).")


class RunStatus(BaseModel):
    status: RunStatusName = Field(description=_STATUS_DOC)
    requests: int = Field(description="Attempts recorded, retries included: successful + "
                          "failed + exceptions, and the CSV's row count.")
    successful_responses: int = Field(description="Attempts answered with a 2xx or 3xx status.")
    failed_responses: int = Field(description="Attempts answered with any other status.")
    exceptions: int = Field(description="Attempts with no response (timeout, refused, reset).")
    total_time: float = Field(description="Seconds the run has been sending (so far).")
    rps: float = Field(description="Attempts per second over total_time.")
    average_latency: float | None = Field(description="Milliseconds, mean of successful "
                                          "attempts; null when there is none.")
    p50: float | None = Field(description="Milliseconds, median latency of successful attempts "
                              "(exact once finished, within 0.5 % while running); null if none.")
    p90: float | None = Field(description="Milliseconds, 90th percentile, as p50.")
    p99: float | None = Field(description="Milliseconds, 99th percentile, as p50.")
    status_counts: dict[str, int] = Field(description="HTTP status -> attempts.")
    error: str | None = Field(default=None, description="Only when failed: why.")
    latencies: list[float] | None = Field(
        default=None, description=f"Only with ?latencies=true: milliseconds of the most recent "
        f"successful attempts in completion order, at most {LATENCIES_LIMIT:,}.")
    latencies_truncated: bool | None = Field(
        default=None, description="Only with ?latencies=true: true when older successful "
        "latencies were left out to respect the limit.")


class RunListing(BaseModel):
    id: str
    status: RunStatusName = Field(description=_STATUS_DOC)
    created: datetime = Field(description="When the run was triggered (UTC).")
    finished: datetime | None = Field(description="When it ended (UTC); null while running.")
    requests: int = Field(description="Attempts recorded so far, retries included.")
    target: str = Field(description="The profile's target URL (base URL + endpoint), without "
                        "any user:password part.")


def run_status(entry: RunEntry, *, with_latencies: bool = False,
               latencies_limit: int = LATENCIES_LIMIT) -> RunStatus:
    """The status answer; only the fields that apply are set (unset ones are left out)."""
    snap = entry.snapshot()
    fields: dict[str, object] = {
        "status": entry.status,
        "requests": snap.requests,
        "successful_responses": snap.successes,
        "failed_responses": snap.failures,
        "exceptions": snap.exceptions,
        "total_time": round(snap.elapsed, 3),
        "rps": round(snap.rps, 2),
        "average_latency": _ms(snap.latency_avg),
        "p50": _ms(snap.latency_p50),
        "p90": _ms(snap.latency_p90),
        "p99": _ms(snap.latency_p99),
        "status_counts": {str(code): n for code, n in sorted(snap.status_counts.items())},
    }
    if entry.error is not None:
        fields["error"] = entry.error
    if with_latencies:
        latencies, truncated = recent_latencies(entry, latencies_limit)
        fields["latencies"] = latencies
        fields["latencies_truncated"] = truncated
    return RunStatus(**fields)


def recent_latencies(entry: RunEntry, limit: int) -> tuple[list[float], bool]:
    """Milliseconds of the last `limit` successful attempts, and whether any were left out."""
    cols = entry.run.recorder.columns()
    ok = success_mask(cols["status"], cols["error"])
    latency = cols["latency"][ok]
    truncated = len(latency) > limit
    recent = latency[len(latency) - limit:] if truncated else latency
    return (recent * 1000).round(3).tolist(), truncated


def run_listing(entry: RunEntry) -> RunListing:
    return RunListing(id=entry.id, status=entry.status, created=entry.created,
                      finished=entry.finished_at, requests=entry.requests,
                      target=_without_credentials(entry.profile.url()))


def _ms(seconds: float) -> float | None:
    return None if math.isnan(seconds) else round(seconds * 1000, 3)


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
