import math

import numpy as np
import pytest

from loadgui.engine import ErrorKind, Recorder, percentiles
from loadgui.engine.stats.report_build import report_of_rows


def batch(n: int, **columns) -> dict:
    """A batch of n rows: the given columns, every other one zeros of its type."""
    from loadgui.engine.stats.recorder import COLUMN_TYPES

    return {name: np.asarray(columns.get(name, np.zeros(n)), dtype)
            for name, dtype in COLUMN_TYPES.items()}


def fill(recorder: Recorder, rows: list[tuple]) -> None:
    for row in rows:
        recorder.add(*row)


def test_percentiles_equal_numpy_on_known_data():
    rng = np.random.default_rng(3)
    data = rng.lognormal(-3, 1, 10_001)
    assert percentiles(data) == [pytest.approx(np.percentile(data, q), rel=0, abs=0)
                                 for q in (50, 90, 99)]
    assert percentiles(np.array([1.0, 2.0, 3.0, 4.0]), (50.0,)) == [2.5]
    assert all(math.isnan(v) for v in percentiles(np.array([])))


def test_snapshot_totals_and_latency_of_successes_only():
    r = Recorder(capacity=2)  # forces growth
    latencies = [0.010, 0.020, 0.030, 0.040]
    for i, lat in enumerate(latencies):
        r.add(i * 0.1, lat, 200, 100, 1, -1, ErrorKind.NONE)
    r.add(0.5, 5.0, 500, 10, 1, -1, ErrorKind.NONE)
    r.add(0.6, 3.0, 0, 0, 2, -1, ErrorKind.TIMEOUT)
    r.add(0.7, 0.001, 404, 5, 1, -1, ErrorKind.NONE)
    s = report_of_rows(r, 2.0)
    assert (s.attempts, s.successes, s.failures, s.exceptions, s.retries) == (7, 4, 2, 1, 1)
    assert s.requests == 6  # the retry is an attempt of a request already counted
    assert s.error_rate == pytest.approx(3 / 7)
    assert s.rps == pytest.approx(3.5)
    assert s.latency.mean == pytest.approx(0.025)
    assert s.latency.p50 == pytest.approx(np.percentile(latencies, 50))
    assert s.latency.p99 == pytest.approx(np.percentile(latencies, 99))
    assert (s.latency.min, s.latency.max) == (0.010, 0.040)
    assert s.status_counts == {200: 4, 404: 1, 500: 1}
    assert s.error_counts == {"timeout": 1}
    assert s.bytes_received == 415
    d = s.to_dict()
    assert d["latency_ms"]["mean"] == 25.0 and d["status_counts"] == {"200": 4, "404": 1, "500": 1}


def test_columns_are_read_only_views_of_what_was_added():
    r = Recorder()
    r.add(0.0, 0.5, 201, 3, 1, 2, 0)
    cols = r.columns()
    assert cols["status"].tolist() == [201] and cols["key"].tolist() == [2]
    with pytest.raises(ValueError):
        cols["status"][0] = 500


def test_series_buckets_by_completion_second_and_is_continuous():
    r = Recorder(interval=1.0)
    # completions at 0.2, 0.4 (second 0), none in second 1, 2.5 and 2.9 (second 2, one error)
    fill(r, [(0.1, 0.1, 200, 1, 1, -1, 0), (0.2, 0.2, 200, 1, 1, -1, 0),
             (2.0, 0.5, 200, 1, 1, -1, 0), (2.4, 0.5, 503, 1, 1, -1, 0)])
    s = report_of_rows(r, 3.5)
    series = s.series
    assert series.t.tolist() == [1.0, 2.0, 3.0, 3.5]
    assert series.requests.tolist() == [2, 0, 2, 0]
    assert series.cumulative.tolist() == [2, 2, 4, 4]
    assert series.avg[0] == pytest.approx(0.15) and math.isnan(series.avg[1])
    assert series.p50[2] == pytest.approx(0.5)
    assert series.error_rate.tolist() == [0, 0, 0.5, 0]
    assert series.classes["5xx"].tolist() == [0, 0, 1, 0]
    assert series.classes["2xx"].tolist() == [2, 0, 1, 0]


def test_live_snapshots_give_the_same_series_as_one_final_snapshot():
    rng = np.random.default_rng(5)
    starts = np.sort(rng.uniform(0, 10, 2000))
    lat = rng.uniform(0.001, 0.3, 2000)
    order = np.argsort(starts + lat)  # rows arrive in completion order
    statuses = rng.choice([200, 200, 200, 500, 0], 2000)
    live, once = Recorder(), Recorder()
    next_poll = 0.25
    for i in order:
        end = starts[i] + lat[i]
        while end > next_poll:
            report_of_rows(live, next_poll)
            next_poll += 0.25
        row = (starts[i], lat[i], statuses[i], 10, 1, -1, 0 if statuses[i] else 1)
        live.add(*row)
        once.add(*row)
    a, b = report_of_rows(live, 11.0).series, report_of_rows(once, 11.0).series
    np.testing.assert_allclose(a.requests, b.requests)
    np.testing.assert_allclose(a.p99, b.p99)
    np.testing.assert_allclose(a.error_rate, b.error_rate)
    assert a.requests.sum() == 2000


def test_extend_appends_a_batch():
    r = Recorder(capacity=1)
    rows = batch(5, t_start=np.arange(5.0), latency=np.full(5, 0.1), status=np.full(5, 200),
                 attempt=np.ones(5), key=np.full(5, -1))
    r.extend(rows)
    r.extend(rows)
    assert len(r) == 10 and report_of_rows(r).successes == 10


def test_live_snapshots_use_the_histogram_within_its_bound_and_fold_only_new_rows():
    rng = np.random.default_rng(11)
    lat = rng.lognormal(-4, 0.8, 50_000)
    r = Recorder()
    for i, value in enumerate(lat[:25_000]):
        r.add(i * 1e-4, value, 200, 10, 1, -1, 0)
    report_of_rows(r, final=False)
    r.extend(batch(25_000, t_start=np.arange(25_000) * 1e-4 + 2.5, latency=lat[25_000:],
                   status=np.full(25_000, 200), bytes=np.full(25_000, 10),
                   attempt=np.ones(25_000), key=np.full(25_000, -1)))
    live, exact = report_of_rows(r, final=False), report_of_rows(r)
    assert live.requests == exact.requests == 50_000 and live.bytes_received == 500_000
    for name in ("p50", "p90", "p99"):
        assert getattr(live.latency, name) == pytest.approx(getattr(exact.latency, name),
                                                            rel=0.005)
    assert exact.latency.p99 == pytest.approx(np.percentile(lat, 99), rel=1e-12)
    assert live.latency.mean == pytest.approx(lat.mean()) and live.latency.max == lat.max()
