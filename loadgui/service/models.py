"""What the service answers, as documented models, and how a run's entry becomes one.

A status is rendered from one `Report` of the run: the seed's fields in the seed's units
(seconds) beside the report's own JSON form (`report`, latencies in milliseconds).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from loadgui.engine.stats.basics import timed_mask
from loadgui.service.defaults import LATENCIES_LIMIT
from loadgui.service.registry import RunEntry

RunStatusName = Literal["running", "completed", "stopped", "failed"]
_STATUS_DOC = ("running (also while it starts), completed (a count or duration limit was "
               "reached), stopped (POST /stop or service shutdown) or failed (it could not go "
               "on; see `reason`)")
_REPORT_DOC = (
    "The run's full report, the same JSON object as `loadgui run --json` (schema_version, "
    "state, reason, final, mode, client, target, duration_s, progress, requests, successes, "
    "failures, exceptions, cancelled, retries, error_rate, rps, bytes_received, "
    "latency_ms{min,mean,p50,p90,p95,p99,p99_9,max}, service_ms, status_counts, error_counts, "
    "errors, breakdowns, series, scopes, histogram, generator, bursts, cluster, workers). "
    "Its latencies are in **milliseconds** (keys ending in `_ms`), its times in seconds "
    "(keys ending in `_s`). `final` is true once the run has ended: every figure is then "
    "exact; while it runs, percentiles come from a histogram (within 0.5 %).")


class Accepted(BaseModel):
    message: str = Field(description="Always \"Request accepted\".",
                         examples=["Request accepted"])
    request_id: str = Field(description="The run's id (a UUID4) for /status, /stop and /runs.")


class ErrorBody(BaseModel):
    detail: str = Field(description="What went wrong, as one sentence.")
    field: str | None = Field(
        default=None, description="Invalid profile only: the dotted path of the bad value, "
        "e.g. load.concurrency (null when the body is not a JSON object at all).")


class RunStatus(BaseModel):
    status: RunStatusName = Field(description=_STATUS_DOC)
    reason: str | None = Field(
        default=None, description="Only when failed or stopped: why, in one sentence (e.g. "
        "\"all 20 attempts failed without a response: connection refused … — is the server "
        "running?\").")
    successful_responses: int = Field(description="Attempts answered with a 2xx or 3xx status.")
    failed_responses: int = Field(description="Attempts answered with a status ≥ 400.")
    exceptions: int = Field(description="Attempts with no response (timeout, refused, reset, "
                            "cancelled at the end of the run).")
    requests: int = Field(description="Attempts recorded, retries included: "
                          "successful_responses + failed_responses + exceptions, and the "
                          "CSV's row count.")
    total_time: float = Field(description="Seconds the run has been sending (so far).")
    average_latency: float | None = Field(
        description="Seconds: the mean latency of successful attempts (send to last byte); "
        "null when there is none.")
    rps: float = Field(description="Attempts per second over total_time.")
    status_counts: dict[str, int] = Field(description="HTTP status -> attempts answered "
                                          "with it (attempts with no response are in "
                                          "`exceptions`).")
    latencies: list[float] | None = Field(
        default=None, description=f"Only with ?latencies=true: seconds, the latencies of the "
        f"most recent successful attempts in the order they were recorded (the CSV's), at most "
        f"{LATENCIES_LIMIT:,} by default.")
    latencies_truncated: bool | None = Field(
        default=None, description="Only with ?latencies=true: true when older successful "
        "latencies were left out to respect the limit.")
    report: dict[str, Any] = Field(description=_REPORT_DOC)


class RunListing(BaseModel):
    id: str = Field(description="The run's id.")
    status: RunStatusName = Field(description=_STATUS_DOC)
    created: datetime = Field(description="When the run was triggered (UTC).")
    finished: datetime | None = Field(description="When it ended (UTC); null while running.")
    requests: int = Field(description="Attempts recorded so far, retries included.")
    target: str = Field(description="The profile's target URL (base URL + endpoint), without "
                        "any user:password part.")


def run_status(entry: RunEntry, *, with_latencies: bool = False,
               latencies_limit: int = LATENCIES_LIMIT) -> RunStatus:
    """The status answer, from one report; fields that do not apply are left unset."""
    report = entry.report()
    data = report.to_dict()
    fields: dict[str, Any] = {
        "status": data["state"],
        "successful_responses": data["successes"],
        "failed_responses": data["failures"],
        "exceptions": data["exceptions"],
        "requests": data["attempts"],  # this API's `requests` has always counted attempts
        "total_time": data["duration_s"],
        "average_latency": _seconds(report.latency.mean),  # the report's is in milliseconds
        "rps": data["rps"],
        "status_counts": data["status_counts"],
        "report": data,
    }
    if report.reason is not None:
        fields["reason"] = report.reason
    if with_latencies:
        latencies, truncated = recent_latencies(entry, latencies_limit)
        fields["latencies"] = latencies
        fields["latencies_truncated"] = truncated
    return RunStatus.model_validate(fields)  # only the keys given count as set


def recent_latencies(entry: RunEntry, limit: int) -> tuple[list[float], bool]:
    """Seconds of the last `limit` successful attempts, and whether any were left out."""
    recorder = entry.run.recorder
    cols = recorder.columns()  # a long run's earliest rows may have left memory
    latency = cols["latency"][timed_mask(cols["status"], cols["error"])]
    truncated = len(latency) > limit or recorder.dropped > 0
    recent = latency[len(latency) - limit:] if truncated else latency
    return recent.round(6).tolist(), truncated


def run_listing(entry: RunEntry) -> RunListing:
    report = entry.report()
    return RunListing.model_validate({
        "id": entry.id, "status": report.state, "created": entry.created,
        "finished": entry.finished_at, "requests": report.attempts, "target": report.target})


def _seconds(value: float) -> float | None:
    """Seconds for JSON: to the microsecond, like the CSV; None for NaN (no value)."""
    return None if math.isnan(value) else round(value, 6)
