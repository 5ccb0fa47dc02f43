"""The parts of a cluster run that need no cluster: clock offsets, worker choice, the merge,
the profile's cluster fields, the commands' input errors, and failing fast and clearly."""

from __future__ import annotations

import asyncio
import sys
import time

import numpy as np
import pytest

from loadgui.commands.cluster_cmd import CONFIG_PATH
from loadgui.commands.main import main
from loadgui.engine import RunState, make_run
from loadgui.engine.load.cluster_clock import ClockOffset, best_offset, estimate_offset
from loadgui.engine.load.cluster_link import pick_workers, share_count
from loadgui.engine.load.cluster_merge import BatchMerge
from loadgui.engine.load.cluster_run import ClusterRun
from loadgui.engine.stats.recorder import COLUMN_TYPES, Recorder
from loadgui.profile import Profile, ProfileError


def cluster_profile(address: object = "tcp://127.0.0.1:8786", **load: object) -> Profile:
    p = Profile()
    p.load.cluster = address  # type: ignore[assignment]
    for name, value in load.items():
        setattr(p.load, name, value)
    return p


# --- clocks ----------------------------------------------------------------------------------
def test_the_offset_comes_from_the_shortest_round_trip():
    # (driver before, worker reading, driver after); the worker's clock runs 100 s ahead.
    samples = [(0.0, 100.004, 0.010), (1.0, 101.0012, 1.002), (2.0, 102.03, 2.050)]
    best = best_offset(samples)
    assert best.offset == pytest.approx(100.0002) and best.uncertainty == pytest.approx(0.001)
    assert best.to_worker(5.0) == pytest.approx(105.0002)


def test_estimate_offset_reads_the_worker_a_few_times():
    readings = iter([10.0, 20.0, 30.0, 40.0, 50.0])
    now = iter(float(t) for t in range(100))

    async def read() -> float:
        return next(readings)

    estimate = asyncio.run(estimate_offset(read, lambda: next(now), round_trips=5))
    assert estimate == ClockOffset(10.0 - 0.5, 0.5)  # every round trip took 1 s: the first


# --- choosing workers and shares -------------------------------------------------------------
def test_workers_are_picked_across_machines_in_turn():
    workers = {"tcp://a:1": "a", "tcp://a:2": "a", "tcp://a:3": "a", "tcp://b:1": "b",
               "tcp://c:1": "c"}
    assert pick_workers(workers, 4) == ["tcp://a:1", "tcp://b:1", "tcp://c:1", "tcp://a:2"]
    assert len(pick_workers(workers, 9)) == 5


def test_share_count_respects_concurrency_and_the_minimum_rate():
    assert share_count(cluster_profile(concurrency=3).validated(), 8) == 3
    rate = cluster_profile(concurrency=50, mode="rate", rate=0.3).validated()
    assert share_count(rate, 8) == 2  # 0.15/s each; a third share would fall below 0.1/s


# --- the merge -------------------------------------------------------------------------------
def rows(ends: list[float], message: int = 0) -> dict[str, np.ndarray]:
    n = len(ends)
    cols = {name: np.zeros(n, dtype) for name, dtype in COLUMN_TYPES.items()}
    cols["t_start"] = np.array(ends) - 0.01
    cols["latency"] = np.full(n, 0.01)
    cols["message"] = np.full(n, message, np.uint16)
    return cols


def test_batches_merge_in_completion_order_up_to_the_watermark():
    merge = BatchMerge(Recorder())
    merge.add(rows([0.2, 0.5, 0.9]), [""])
    merge.add(rows([0.3, 0.6], message=1), ["", "connection refused"])
    merge.flush(0.55)
    cols = merge.recorder.columns()
    assert list(np.round(cols["t_start"] + cols["latency"], 3)) == [0.2, 0.3, 0.5]
    assert merge.pending == 2
    merge.flush(float("inf"))
    cols = merge.recorder.columns()
    assert list(np.round(cols["t_start"] + cols["latency"], 3)) == [0.2, 0.3, 0.5, 0.6, 0.9]
    messages = [merge.recorder.messages[i] for i in cols["message"]]
    assert messages == ["", "connection refused", "", "connection refused", ""]


# --- the profile -----------------------------------------------------------------------------
@pytest.mark.parametrize(("given", "kept"), [
    ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
    ("  TCP://Scheduler.example:9000 ", "tcp://scheduler.example:9000"),
    ("10.0.0.5", "tcp://10.0.0.5:8786"),
    ("tls://[::1]:8786", "tls://[::1]:8786"),
    ("", None),
])
def test_cluster_addresses_are_normalised(given, kept):
    assert cluster_profile(given).validated().load.cluster == kept


@pytest.mark.parametrize(("address", "load", "message"), [
    ("http://10.0.0.5:8786", {}, "cluster must be a Dask scheduler address such as"),
    ("tcp://10.0.0.5:99999", {}, "cluster must be a Dask scheduler address"),
    ("tcp://host:8786/path", {}, "(tcp:// or tls://)"),
    ("tcp://host:0", {}, "(tcp:// or tls://)"),
    (8786, {}, "got 8786"),
    ("tcp://host", {"processes": 2}, "set processes to 1"),
    ("tcp://host", {"mode": "burst"}, "it cannot run on a cluster"),
    ("tcp://host", {"cluster_workers": 0}, "cluster workers must be between 1 and"),
    (None, {"cluster_workers": 2}, "cluster workers needs a cluster"),
    ("tcp://host", {"cluster_workers": 4, "mode": "rate", "rate": 0.2},
     "a rate of 0.2/s split across 4 cluster workers"),
])
def test_bad_cluster_settings_are_one_readable_error(address, load, message):
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        cluster_profile(address, **load).validated()


def test_a_share_of_a_cluster_run_is_a_plain_local_run():
    whole = cluster_profile(cluster_workers=2).validated()
    part = whole.share(25, whole.load.rate, None)
    assert part.load.cluster is None and part.load.cluster_workers is None


def test_the_cluster_fields_round_trip_through_json():
    p = cluster_profile("tcp://10.0.0.5:8786", cluster_workers=3).validated()
    again = Profile.from_json(p.to_json())
    assert again.load.cluster == "tcp://10.0.0.5:8786" and again.load.cluster_workers == 3


# --- making and failing a run ----------------------------------------------------------------
def test_make_run_picks_the_cluster_run_only_when_asked():
    assert isinstance(make_run(cluster_profile()), ClusterRun)
    assert not isinstance(make_run(Profile()), ClusterRun)


def test_without_dask_a_cluster_run_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ProfileError, match=r'pip install "loadgui\[cluster\]"'):
        make_run(cluster_profile())


def test_an_unreachable_scheduler_fails_the_run_with_its_address():
    run = ClusterRun(cluster_profile("tcp://127.0.0.1:9"), connect_timeout=0.3)
    started = time.perf_counter()
    report = asyncio.run(run.run())
    assert time.perf_counter() - started < 5
    assert run.state is RunState.FAILED and report.requests == 0
    assert report.reason is not None
    assert report.reason.startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9")


def test_stop_while_connecting_ends_the_run_at_once():
    run = ClusterRun(cluster_profile("tcp://127.0.0.1:9"), connect_timeout=10)

    async def go() -> float:
        task = asyncio.ensure_future(run.run())
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        run.stop()
        await task
        return time.perf_counter() - started

    assert asyncio.run(go()) < 1.0
    assert run.state is RunState.STOPPED


# --- the commands ----------------------------------------------------------------------------
def test_run_refuses_a_bad_cluster_address_in_one_line(capsys):
    assert main(["run", "--cluster", "http://x", "-e", "/test", "-n", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cluster must be a Dask scheduler address" in err


def test_worker_and_scheduler_input_errors_are_one_line(capsys):
    assert main(["worker"]) == 2
    assert main(["worker", "ftp://x"]) == 2
    assert main(["scheduler", "--port", "70000"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "needs the scheduler's address" in err[0]
    assert "the scheduler's address must be a Dask scheduler address" in err[1]
    assert "--port must be between 0 and 65535" in err[2]
    with pytest.raises(SystemExit) as exit_:
        main(["worker", "tcp://x", "--nworkers", "0"])
    assert exit_.value.code == 2


def test_the_shipped_configuration_is_printed_for_plain_dask(capsys):
    assert main(["worker", "--config-path"]) == 0
    path = capsys.readouterr().out.strip()
    assert path == str(CONFIG_PATH) and CONFIG_PATH.is_file()
    text = CONFIG_PATH.read_text()
    assert "MALLOC_TRIM_THRESHOLD_: null" in text and "allowed-failures: 0" in text


def test_the_commands_say_what_to_install_without_dask(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed.cli", None)
    assert main(["worker", "tcp://127.0.0.1:8786"]) == 2
    assert 'pip install "loadgui[cluster]"' in capsys.readouterr().err
