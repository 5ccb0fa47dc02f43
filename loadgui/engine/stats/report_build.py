"""Build a Report from a recorder's rows, a run's gauges and what the run itself knows."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from loadgui.engine.stats.basics import ErrorKind, timed_mask
from loadgui.engine.stats.bursts import BurstStats
from loadgui.engine.stats.figures import GroupFigures, LatencyFigures
from loadgui.engine.stats.gauges import Gauges
from loadgui.engine.stats.groups import DimensionTotals, exact_latencies
from loadgui.engine.stats.key_totals import KeyFigures, KeyRest
from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report import ClusterFigures, Generator, Report, WorkerFigures
from loadgui.engine.stats.series import Series
from loadgui.engine.stats.thresholds import evaluate as evaluate_thresholds
from loadgui.engine.stats.totals import RunningTotals


@dataclass(frozen=True, kw_only=True)
class RunFacts:
    """What the run knows that its rows don't."""

    state: str
    reason: str | None
    final: bool
    mode: str
    client: str
    target: str
    elapsed: float
    progress: float | None
    asked: int = 0
    dropped: int = 0
    level: int = 0
    in_flight: int = 0
    bursts: tuple[BurstStats, ...] = ()
    cluster: ClusterFigures | None = None
    workers: tuple[WorkerFigures, ...] = ()
    thresholds: tuple[str, ...] = ()  # the profile's threshold expressions
    check_names: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    key_rests: tuple[KeyRest, ...] = ()
    retry_after_waits: int = 0  # retries whose wait the server's Retry-After set


def build_report(recorder: Recorder, gauges: Gauges, facts: RunFacts) -> Report:
    """Live (`facts.final` false): percentiles from histograms, O(new rows). Final: exact."""
    totals = recorder.totals()
    series = _with_gauges(recorder.series(facts.elapsed), gauges)
    fine = recorder.fine_series(facts.elapsed)
    # A run saved as it went may hold only its latest rows (Recorder.release): its final
    # figures then come from the histograms too, within 0.5 %, and say so (`approximate`).
    exact = _Exact(recorder.columns()) if facts.final and not recorder.dropped else None
    latency, service = _latencies(totals, exact, facts.mode == "rate")
    lag_max, lag_p99 = gauges.lag()
    values, counts = totals.latency.buckets()
    attempts = totals.requests.rows
    report = Report(
        state=facts.state, reason=facts.reason, final=facts.final, mode=facts.mode,
        client=facts.client, target=facts.target, elapsed=facts.elapsed,
        progress=facts.progress, requests=totals.requests.requests, attempts=attempts,
        successes=totals.successes, failures=attempts - totals.successes - totals.exceptions,
        exceptions=totals.exceptions,
        cancelled=totals.cancelled, retries=totals.retries, bytes_received=totals.bytes,
        latency=latency, service=service, status_counts=totals.status_counts(),
        error_counts=totals.error_counts(),
        errors=tuple(totals.failures.groups(recorder.messages, recorder.labels)),
        breakdowns=_breakdowns(totals, recorder.labels, exact, facts.elapsed),
        series=series, scopes=recorder.scoped_series(facts.elapsed),
        fine_series=None if fine is None else _with_gauges(fine, gauges),
        histogram=tuple(zip(values.tolist(), counts.tolist(), strict=True)),
        generator=Generator(
            asked=facts.asked, asked_rps=facts.asked / facts.elapsed if facts.elapsed > 0 else 0.0,
            dropped=facts.dropped, late_sends=totals.late_sends,
            warmup_late_sends=totals.warmup_late_sends, loop_lag_max=lag_max,
            loop_lag_p99=lag_p99, level=facts.level, in_flight=facts.in_flight),
        bursts=facts.bursts, cluster=facts.cluster, workers=facts.workers,
        request_figures=totals.requests.figures(facts.retry_after_waits,
                                                exact.cols if exact else None,
                                                exact.timed if exact else None),
        checks=totals.checks.figures(facts.check_names),
        keys=_keys(totals, exact, facts), key_rests=facts.key_rests,
        connect=LatencyFigures.estimated(totals.connect) if totals.connect.count else None,
    )
    if facts.thresholds:
        report = dataclasses.replace(report, thresholds=evaluate_thresholds(facts.thresholds,
                                                                            report))
    return report


class _Exact:
    """Every row of a final report, for its exact latency figures, each computed once."""

    def __init__(self, cols: dict[str, np.ndarray]):
        self.cols = cols
        # The latencies counted: of attempts answered 2xx/3xx, checks passed or not.
        self.timed = timed_mask(cols["status"], cols["error"])
        self.latency = np.maximum(cols["latency"][self.timed], 0.0)
        self._groups: dict[str, dict[int, LatencyFigures]] = {}

    def groups(self, column: str) -> dict[int, LatencyFigures]:
        """Slot of `column` -> the exact latency figures of its timed attempts."""
        if column not in self._groups:
            self._groups[column] = exact_latencies(column, self.cols[column][self.timed],
                                                   self.latency)
        return self._groups[column]


def _keys(totals: RunningTotals, exact: _Exact | None,
          facts: RunFacts) -> tuple[KeyFigures, ...]:
    """Per API key; exact latencies in a final report that still holds every row."""
    if not totals.keys.last_status.size:  # no attempt went with a key
        return ()
    return totals.keys.figures(totals.dimensions["key"], exact.groups("key") if exact else None,
                               facts.key_rests, facts.elapsed)


def _with_gauges(series: Series, gauges: Gauges) -> Series:
    level, in_flight, asked_rps = gauges.per_interval(series.t)
    return dataclasses.replace(series, level=level, in_flight=in_flight, asked_rps=asked_rps)


def _latencies(totals: RunningTotals, exact: _Exact | None,
               rate_mode: bool) -> tuple[LatencyFigures, LatencyFigures | None]:
    if exact is None:
        latency = LatencyFigures.estimated(totals.latency)
        service = LatencyFigures.estimated(totals.service) if totals.any_wait else latency
    else:
        latency = LatencyFigures.exact(exact.latency)
        service = (LatencyFigures.exact(
            np.maximum(exact.latency - exact.cols["wait"][exact.timed], 0.0))
            if totals.any_wait else latency)
    return latency, service if rate_mode else None


def _breakdowns(totals: RunningTotals, labels: dict[str, list[str]], exact: _Exact | None,
                elapsed: float) -> dict[str, tuple[GroupFigures, ...]]:
    out = {}
    for name, dimension in totals.dimensions.items():
        used = dimension.used()
        shown = any(dimension.value_of(s) >= 0 for s in used) if name == "key" else len(used) > 1
        if not shown:
            continue
        groups = exact.groups(name) if exact else None
        out[name] = tuple(_group(dimension, slot, labels, elapsed, groups) for slot in used)
    return out


def _group(dimension: DimensionTotals, slot: int, labels: dict[str, list[str]],
           elapsed: float, exact: dict[int, LatencyFigures] | None) -> GroupFigures:
    requests = int(dimension.requests[slot])
    successes = int(dimension.successes[slot])
    exceptions = int(dimension.exceptions[slot])
    latency = (exact.get(slot, LatencyFigures()) if exact is not None
               else dimension.estimated_latency(slot))
    return GroupFigures(
        name=group_name(dimension.column, dimension.value_of(slot), labels),
        requests=requests, successes=successes, failures=requests - successes - exceptions,
        exceptions=exceptions, bytes_received=int(dimension.bytes[slot]), latency=latency,
        rps=requests / elapsed if elapsed > 0 else 0.0)


def group_name(column: str, value: int, labels: dict[str, list[str]]) -> str:
    """How a group is named to people: the request's name, the target URL, "key 3", ..."""
    if column in ("request", "target"):
        names = labels.get(column, [])
        return names[value] if 0 <= value < len(names) else str(value)
    if column == "key":
        return "no key" if value < 0 else f"key {value}"
    if column == "status":
        return "no response" if value == 0 else str(value)
    return ErrorKind(value).name.lower() if value in ErrorKind._value2member_map_ else str(value)


def report_of_rows(recorder: Recorder, elapsed: float | None = None, *, final: bool = True,
                   state: str = "completed", mode: str = "concurrency") -> Report:
    """The report of recorded rows alone (no run around them: a stored run, a test)."""
    return build_report(recorder, Gauges(), RunFacts(
        state=state, reason=None, final=final, mode=mode, client="", target="",
        elapsed=recorder.last_end() if elapsed is None else elapsed, progress=None))
