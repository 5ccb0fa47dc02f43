"""The Report: one immutable summary of a run at a moment, which every view renders.

The window, `loadgui run` (text and --json), `loadgui serve` and the JSON export all show
this object or its `to_dict()`, so the same figure is the same number everywhere. The JSON
form is documented in docs/report.md; SCHEMA_VERSION changes when a field changes meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loadgui.engine.stats.bursts import BurstStats
from loadgui.engine.stats.check_totals import CheckFigures
from loadgui.engine.stats.errors import ErrorGroup
from loadgui.engine.stats.figures import GroupFigures, LatencyFigures
from loadgui.engine.stats.key_totals import KeyFigures, KeyRest
from loadgui.engine.stats.request_totals import RequestFigures
from loadgui.engine.stats.series import Series
from loadgui.engine.stats.thresholds import ThresholdResult
from loadgui.engine.stats.units import to_ms

SCHEMA_VERSION = 2
BREAKDOWN_TITLES = {"request": "request", "target": "target", "key": "API key",
                    "status": "status", "error": "error kind"}


@dataclass(frozen=True, slots=True)
class Generator:
    """The load generator's own health: was it sending what it should?"""

    asked: int = 0  # sends the open model scheduled (0 in the closed model)
    asked_rps: float = 0.0
    dropped: int = 0  # scheduled sends skipped: too many were already waiting for a worker
    late_sends: int = 0  # first attempts that started > 10 ms after their intended time
    warmup_late_sends: int = 0  # the same, planned in the first 0.5 s (connections opening)
    loop_lag_max: float = float("nan")  # seconds the event loop woke up late, at worst
    loop_lag_p99: float = float("nan")
    level: int = 0  # workers allowed to send now
    in_flight: int = 0  # attempts under way now

    def to_dict(self) -> dict[str, Any]:
        return {"asked": self.asked, "asked_rps": round(self.asked_rps, 2),
                "dropped": self.dropped, "late_sends": self.late_sends,
                "warmup_late_sends": self.warmup_late_sends,
                "loop_lag_ms": {"max": to_ms(self.loop_lag_max), "p99": to_ms(self.loop_lag_p99)},
                "level": self.level, "in_flight": self.in_flight}


@dataclass(frozen=True, slots=True)
class ClusterFigures:
    """A loadgui-mock cluster target during the run: instances over time, requests served."""

    t: tuple[float, ...]
    ready: tuple[int, ...]
    total: tuple[int, ...]
    served: dict[str, int]  # instance id -> requests served since the cluster started

    def to_dict(self) -> dict[str, Any]:
        return {"t_s": [round(v, 3) for v in self.t], "ready": list(self.ready),
                "total": list(self.total), "served": dict(self.served)}


@dataclass(frozen=True, slots=True)
class WorkerFigures:
    """One worker process of a run spread over several."""

    name: str
    pid: int | None
    requests: int
    state: str  # running, done, lost
    reason: str | None = None
    # A worker on another machine: how far its clock's offset to the driver may be off.
    clock_uncertainty: float | None = None

    def to_dict(self) -> dict[str, Any]:
        uncertainty = (None if self.clock_uncertainty is None
                       else to_ms(self.clock_uncertainty))
        return {"name": self.name, "pid": self.pid, "requests": self.requests,
                "state": self.state, "reason": self.reason,
                "clock_uncertainty_ms": uncertainty}


@dataclass(frozen=True, kw_only=True)
class Report:
    """`requests` counts requests as asked for (first attempts); `attempts` every send,
    retries included. The other counts, `error_rate` and `rps` are per attempt (what the
    server saw; k6's http_req_failed counts the same way); `request_figures` has the rates
    per request. Latencies in seconds over attempts answered 2xx/3xx (checks passed or not)."""

    state: str  # running, completed, stopped, failed
    reason: str | None  # why, in one sentence a person can act on, when not completed
    final: bool  # the run has ended and every figure is exact
    mode: str  # concurrency, rate or burst
    client: str
    target: str  # the first target URL, without any user:password
    elapsed: float
    progress: float | None  # 0..1 toward the nearest limit; None without limits
    requests: int  # requests sent: their first attempt is recorded
    attempts: int  # every send: requests + retries
    successes: int
    failures: int  # answered with a status >= 400
    exceptions: int  # no response: timeout, connect, read, protocol, other, cancelled
    cancelled: int  # of the exceptions: still in flight when the run ended, past the grace
    retries: int
    bytes_received: int
    latency: LatencyFigures
    service: LatencyFigures | None  # rate mode: from the actual send, not the intended one
    status_counts: dict[int, int]
    error_counts: dict[str, int]
    errors: tuple[ErrorGroup, ...]
    breakdowns: dict[str, tuple[GroupFigures, ...]]  # dimension -> groups, when several
    series: Series
    scopes: dict[str, Series]  # "request: NAME" / "target: URL" -> its series, when several
    # The same in 0.1 s intervals while the run is under 10 s long (short runs, bursts).
    fine_series: Series | None
    histogram: tuple[tuple[float, int], ...]  # (latency s, successes) per non-empty bucket
    generator: Generator = field(default_factory=Generator)
    bursts: tuple[BurstStats, ...] = ()
    cluster: ClusterFigures | None = None
    workers: tuple[WorkerFigures, ...] = ()
    # Requests as the user asked for them (retries folded into their request).
    request_figures: RequestFigures | None = None
    checks: tuple[CheckFigures, ...] = ()
    keys: tuple[KeyFigures, ...] = ()
    key_rests: tuple[KeyRest, ...] = ()
    connect: LatencyFigures | None = None  # new connections' connect times, when measured
    thresholds: tuple[ThresholdResult, ...] = ()

    @property
    def error_rate(self) -> float:
        """Failed attempts / attempts."""
        return (self.failures + self.exceptions) / self.attempts if self.attempts else 0.0

    @property
    def rps(self) -> float:
        """Attempts per second, as the throughput plot and the series count them."""
        return self.attempts / self.elapsed if self.elapsed > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (docs/report.md)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "state": self.state,
            "reason": self.reason,
            "final": self.final,
            "mode": self.mode,
            "client": self.client,
            "target": self.target,
            "duration_s": round(self.elapsed, 3),
            "progress": None if self.progress is None else round(self.progress, 4),
            "requests": self.requests,
            "attempts": self.attempts,
            "successes": self.successes,
            "failures": self.failures,
            "exceptions": self.exceptions,
            "cancelled": self.cancelled,
            "retries": self.retries,
            "error_rate": round(self.error_rate, 6),
            "rps": round(self.rps, 2),
            "bytes_received": self.bytes_received,
            "latency_ms": self.latency.to_dict(),
            "service_ms": None if self.service is None else self.service.to_dict(),
            "status_counts": {str(k): v for k, v in sorted(self.status_counts.items())},
            "error_counts": dict(sorted(self.error_counts.items())),
            "errors": [group.to_dict() for group in self.errors],
            "breakdowns": {name: [g.to_dict() for g in groups]
                           for name, groups in self.breakdowns.items()},
            "series": self.series.to_dict(),
            "scopes": {name: series.to_dict() for name, series in self.scopes.items()},
            "fine_series": None if self.fine_series is None else self.fine_series.to_dict(),
            "histogram": {"latency_ms": [to_ms(v) for v, _ in self.histogram],
                          "count": [n for _, n in self.histogram]},
            "generator": self.generator.to_dict(),
            "bursts": [burst.to_dict() for burst in self.bursts],
            "cluster": None if self.cluster is None else self.cluster.to_dict(),
            "workers": [worker.to_dict() for worker in self.workers],
            "request_figures": (None if self.request_figures is None
                                else self.request_figures.to_dict()),
            "checks": [check.to_dict() for check in self.checks],
            "keys": [key.to_dict() for key in self.keys],
            "key_rests": [rest.to_dict() for rest in self.key_rests],
            "connect_ms": None if self.connect is None else self.connect.to_dict(),
            "thresholds": [result.to_dict() for result in self.thresholds],
        }
