"""The store keeps the newest runs within its limits; selectors name runs."""

from __future__ import annotations

import pytest
from store_helpers import synthetic_columns
from test_store_faults import save_synthetic

from loadgui.commands.runs_cmd import parse_size
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.profile import Profile
from loadgui.store import Limits, RunStore, UnknownRun


def test_the_oldest_runs_go_beyond_the_count_limit(store):
    store.set_limits(Limits(max_runs=3, max_bytes=10**12))
    saved = [save_synthetic(store, 200, name=f"run{i}") for i in range(5)]
    assert [r.id for r in store.list_runs()] == [s.id for s in reversed(saved[2:])]
    assert not (store.runs_dir / saved[0].uid).exists()
    assert RunStore.open(store.home).limits == Limits(3, 10**12)  # kept for every program


def test_the_oldest_runs_go_beyond_the_size_limit(store):
    one = save_synthetic(store, 20_000, name="one")
    store.set_limits(Limits(max_runs=200, max_bytes=int(one.size_bytes * 2.5)))
    for i in range(3):
        save_synthetic(store, 20_000, name=f"more{i}", seed=i)
    runs = store.list_runs()
    assert [r.name for r in runs] == ["more2", "more1"]
    assert sum(r.size_bytes for r in runs) <= store.limits.max_bytes


def test_a_run_over_the_size_limit_alone_is_kept(store):
    store.set_limits(Limits(max_runs=200, max_bytes=1000))
    save_synthetic(store, 5000, name="old")
    big = save_synthetic(store, 5000, name="big")
    assert [r.id for r in store.list_runs()] == [big.id]


def test_a_run_being_written_is_never_removed(store):
    store.set_limits(Limits(max_runs=1, max_bytes=10**12))
    writer = store.begin_run(Profile(), name="live")
    writer.append(synthetic_columns(100), [""])
    done = save_synthetic(store, 100, name="done")
    assert {r.name for r in store.list_runs()} == {"live", "done"}
    recorder_report = report_of_rows(store.open_run(writer.id).columns().recorder())
    writer.finish(recorder_report)
    assert [r.name for r in store.list_runs()] == ["live"]
    assert done.id not in {r.id for r in store.list_runs()}


def test_selectors(store):
    a1 = save_synthetic(store, 100, name="alpha")
    b1 = save_synthetic(store, 100, name="beta")
    a2 = save_synthetic(store, 100, name="alpha")
    assert store.select("latest").id == a2.id
    assert store.select("previous").id == b1.id
    assert store.select("latest~2").id == a1.id
    assert store.select("alpha").id == a2.id
    assert store.select("alpha~1").id == a1.id
    assert store.select(str(b1.id)).id == b1.id
    with pytest.raises(UnknownRun, match="no stored run matches 'gamma'"):
        store.select("gamma")
    with pytest.raises(UnknownRun, match="only 2 runs of 'alpha'"):
        store.select("alpha~2")
    with pytest.raises(UnknownRun, match="no stored run has id 99"):
        store.select("99")


def test_previous_needs_two_runs(store):
    with pytest.raises(UnknownRun, match="no finished run is stored yet"):
        store.select("latest")
    save_synthetic(store, 100)
    with pytest.raises(UnknownRun, match=r"needs 2 finished runs, but there is only 1 stored run$"):
        store.select("previous")


@pytest.mark.parametrize(("text", "size"), [("2GB", 2 * 10**9), ("500 MB", 5 * 10**8),
                                            ("1.5g", 1_500_000_000), ("2GiB", 2 * 2**30),
                                            ("1000", 1000)])
def test_sizes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "GB", "2 parsecs", "-1GB", "nanGB"])
def test_bad_sizes(text):
    with pytest.raises(ValueError):
        parse_size(text)
