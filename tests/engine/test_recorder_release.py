"""A recorder released to a store holds a bounded tail of its rows; its figures stay whole.

The rows it drops are read back through the StoredRows it was given: here a plain function
over a copy of the rows (the store's own reader is tested in tests/store).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from loadgui.engine import ErrorKind, Recorder
from loadgui.engine.stats.recorder import COLUMN_TYPES, Batch
from loadgui.engine.stats.report_build import report_of_rows

ROWS = 20_000
BATCH = 700  # rows recorded between two releases (about what one second brings)


def run_rows(n: int = ROWS, seed: int = 5) -> dict[str, np.ndarray]:
    """n attempts in completion order over 20 s: two requests, two targets, some failures."""
    rng = np.random.default_rng(seed)
    latency = rng.lognormal(np.log(0.02), 0.4, n)
    end = np.sort(rng.uniform(0.05, 20.0, n))
    failed = rng.random(n) < 0.05
    rows = {"t_start": np.maximum(end - latency, 0.0), "latency": latency,
            "status": np.where(failed, 503, 200), "bytes": np.full(n, 100),
            "attempt": np.ones(n), "key": np.arange(n) % 3, "wait": rng.uniform(0, 0.002, n),
            "request": np.arange(n) % 2, "target": (np.arange(n) // 7) % 2,
            "message": failed.astype(int), "final": np.ones(n),
            "req_latency": latency, "error": np.where(rng.random(n) < 0.01,
                                                      ErrorKind.TIMEOUT, 0)}
    rows["status"] = np.where(rows["error"] > 0, 0, rows["status"])
    return {name: np.asarray(rows.get(name, np.zeros(n)), dtype)
            for name, dtype in COLUMN_TYPES.items()}


def recorder_of(rows: dict[str, np.ndarray], *, hold: int, released: bool,
                report_every: int = 0) -> Recorder:
    """Record `rows` batch by batch; when `released`, each batch is then "stored" (kept in
    a list the StoredRows reads) and released, as a run's saver does every second."""
    recorder = Recorder(hold=hold)
    recorder.labels = {"request": ["a", "b"], "target": ["http://one", "http://two"]}
    stored: list[Batch] = []

    def read_back(upto: int) -> Iterator[Batch]:
        done = 0
        for columns, messages in stored:
            if done >= upto:
                return
            take = min(len(columns["t_start"]), upto - done)
            yield {name: col[:take] for name, col in columns.items()}, messages
            done += take

    messages = ["", "HTTP 503"]
    stored_rows = 0
    for number, start in enumerate(range(0, len(rows["t_start"]), BATCH)):
        batch = {name: col[start:start + BATCH] for name, col in rows.items()}
        recorder.extend(batch, messages)
        if report_every and number % report_every == 0:  # a live view now and then
            elapsed = float((batch["t_start"] + batch["latency"]).max())
            report_of_rows(recorder, elapsed, final=False)
        if released:
            first, held = recorder.held()
            stored.append(({name: col[stored_rows - first:].copy() for name, col in held.items()},
                           list(recorder.messages)))
            stored_rows = len(recorder)
            recorder.release(stored_rows, read_back)
    return recorder


@pytest.fixture(scope="module")
def rows() -> dict[str, np.ndarray]:
    return run_rows()


@pytest.mark.parametrize("report_every", [0, 3])
def test_a_released_recorder_holds_a_bounded_tail_and_counts_every_row(rows, report_every):
    whole = recorder_of(rows, hold=ROWS, released=False)
    bounded = recorder_of(rows, hold=2_000, released=True, report_every=report_every)
    assert len(bounded) == len(whole) == ROWS
    assert bounded.dropped > ROWS - 4_000
    first, held = bounded.held()
    assert first == bounded.dropped and len(held["t_start"]) == ROWS - first
    assert len(bounded.columns()["t_start"]) == ROWS - first
    assert bounded.last_end() == whole.last_end()


def test_every_figure_but_the_percentiles_is_the_same_as_holding_every_row(rows):
    whole = report_of_rows(recorder_of(rows, hold=ROWS, released=False), 20.5)
    bounded = report_of_rows(recorder_of(rows, hold=2_000, released=True), 20.5)
    for name in ("requests", "successes", "failures", "exceptions", "retries",
                 "bytes_received", "status_counts", "error_counts"):
        assert getattr(bounded, name) == getattr(whole, name), name
    assert [(g.message, g.count) for g in bounded.errors] == \
        [(g.message, g.count) for g in whole.errors]
    for theirs, ours in ((whole.series, bounded.series),
                         *((whole.scopes[k], bounded.scopes[k]) for k in whole.scopes)):
        assert ours.t.tolist() == theirs.t.tolist()
        assert ours.requests.tolist() == theirs.requests.tolist()
        np.testing.assert_array_equal(ours.p99, theirs.p99)
    assert sorted(bounded.scopes) == sorted(whole.scopes) and len(whole.scopes) == 4
    # Percentiles: from the histogram, within its 0.5 %, and the report says so.
    assert not whole.latency.approximate and bounded.latency.approximate
    assert bounded.to_dict()["latency_ms"]["exact"] is False
    assert whole.to_dict()["latency_ms"]["exact"] is True
    for q in ("p50", "p90", "p95", "p99", "p999"):
        assert getattr(bounded.latency, q) == pytest.approx(getattr(whole.latency, q),
                                                            rel=0.005)
    assert (bounded.latency.count, bounded.latency.min, bounded.latency.max) == \
        (whole.latency.count, whole.latency.min, whole.latency.max)
    assert bounded.latency.mean == pytest.approx(whole.latency.mean, rel=1e-12)
    for name, groups in whole.breakdowns.items():
        ours = bounded.breakdowns[name]
        assert [(g.name, g.requests, g.successes) for g in ours] == \
            [(g.name, g.requests, g.successes) for g in groups]
        assert all(g.latency.approximate for g in ours if g.successes)
        assert all(g.latency.p50 == pytest.approx(w.latency.p50, rel=0.005, nan_ok=True)
                   for g, w in zip(ours, groups, strict=True))


def test_batches_give_back_every_row_in_order_with_its_message(rows):
    bounded = recorder_of(rows, hold=2_000, released=True)
    parts = list(bounded.batches())
    assert len(parts) > 2
    for name in COLUMN_TYPES:
        joined = np.concatenate([columns[name] for columns, _ in parts])
        np.testing.assert_array_equal(joined, rows[name], err_msg=name)
    texts = [messages[i] for columns, messages in parts for i in columns["message"].tolist()]
    assert texts.count("HTTP 503") == int(rows["message"].sum())


def test_a_recorder_never_released_keeps_every_row_however_many(rows):
    whole = recorder_of(rows, hold=10, released=False)
    assert whole.dropped == 0 and len(whole.columns()["t_start"]) == ROWS
    assert [len(c["t_start"]) for c, _ in whole.batches()] == [ROWS]
    assert not report_of_rows(whole).latency.approximate


def test_only_rows_stored_are_dropped_and_only_past_the_hold(rows):
    recorder = Recorder(hold=1_000)
    batch = {name: col[:3_000] for name, col in rows.items()}
    recorder.extend(batch)

    def never(upto: int) -> Iterator[Batch]:
        raise AssertionError("not read")

    assert recorder.release(500, never) <= 500
    assert recorder.dropped <= 500
    small = Recorder(hold=10_000)
    small.extend(batch)
    assert small.release(3_000, never) == 0 and small.dropped == 0
