"""Bad stores and bad moments: a newer store, a damaged catalog, lost column files, a full
disk, two processes writing at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from store_helpers import synthetic_columns

from loadgui.engine.stats.report_build import report_of_rows
from loadgui.profile import Profile
from loadgui.store import RunStore, StoreError, StoreVersionError
from loadgui.store.catalog import FORMAT
from loadgui.store.paths import CATALOG_FILE

HERE = str(Path(__file__).parent)


def save_synthetic(store: RunStore, n: int = 2000, name: str = "synthetic", **options):
    columns = synthetic_columns(n, **options)
    recorder = _recorder(columns)
    return store.save_columns(Profile(), report_of_rows(recorder), columns, ["", "boom"],
                              name=name)


def _recorder(columns):
    from loadgui.engine.stats.recorder import Recorder

    recorder = Recorder()
    recorder.extend(columns, ["", "boom"])
    return recorder


def snapshot(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
            if p.is_file()}


def test_a_store_of_a_newer_loadgui_is_refused_and_left_untouched(store, home):
    save_synthetic(store)
    with sqlite3.connect(home / CATALOG_FILE) as conn:
        conn.execute(f"PRAGMA user_version = {FORMAT + 1}")
    conn.close()
    before = snapshot(home)
    with pytest.raises(StoreVersionError, match=r"newer loadgui .* upgrade loadgui"):
        RunStore.open(home)
    assert snapshot(home) == before


def test_a_missing_store_is_made(tmp_path):
    store = RunStore.open(tmp_path / "not" / "yet")
    assert store.list_runs() == [] and store.notices == []


def test_an_unwritable_place_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create the run store"):
        RunStore.open(blocker / "home")


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete"])
def test_a_damaged_catalog_is_set_aside_and_the_runs_listed_again(store, home, damage):
    first = save_synthetic(store, name="first")
    second = save_synthetic(store, name="second", latency_s=0.05)
    catalog = home / CATALOG_FILE
    with sqlite3.connect(catalog) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = catalog.stat().st_size
    if damage == "truncate":
        with open(catalog, "r+b") as f:
            f.truncate(size // 2)
    elif damage == "garbage":
        catalog.write_bytes(b"\x00not a database at all" * 300)
    else:
        catalog.unlink()

    reopened = RunStore.open(home)
    assert any("listed again 2 runs" in n for n in reopened.notices), reopened.notices
    if damage != "delete":
        assert any("damaged" in n for n in reopened.notices)
        assert list(home.glob(f"{CATALOG_FILE}.damaged-*"))
    runs = reopened.list_runs()
    assert [(r.id, r.name) for r in runs] == [(second.id, "second"), (first.id, "first")]
    again = reopened.open_run(second.id)
    assert again.report.to_dict() == store_report(second.id, home)
    assert len(again.columns()) == 2000 and again.problems == []


def store_report(run_id: int, home: Path) -> dict:
    import json

    from loadgui.store.codec import decode_report
    from loadgui.store.manifest import read_manifest

    uid = RunStore.open(home).info(run_id).uid
    return decode_report(json.loads(json.dumps(read_manifest(home / "runs" / uid)["report"]))
                         ).to_dict()


def test_lost_column_files_leave_the_report_and_the_other_runs(store):
    gone = save_synthetic(store, name="gone")
    kept = save_synthetic(store, name="kept")
    for chunk in (store.runs_dir / gone.uid).glob("*.npz"):
        chunk.unlink()
    assert [r.name for r in store.list_runs()] == ["kept", "gone"]
    run = store.open_run(gone.id)
    assert run.report.requests == 2000
    assert len(run.columns()) == 0
    assert any("raw columns of run" in p and "are gone" in p for p in run.problems)
    assert len(store.open_run(kept.id).columns()) == 2000


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_damaged_chunk_is_named_and_the_rest_read(store, damage):
    writer = store.begin_run(Profile(), name="partly")
    for seed in (1, 2, 3):
        writer.append(synthetic_columns(1000, seed=seed), [""])
    writer.finish(report_of_rows(_recorder(synthetic_columns(3000))))
    chunk = sorted((store.runs_dir / store.info(writer.id).uid).glob("*.npz"))[1]
    chunk.write_bytes(chunk.read_bytes()[:500] if damage == "truncate" else b"\x93NUMPY" * 99)
    run = store.open_run(writer.id)
    assert len(run.columns()) == 2000
    assert any(chunk.name in p for p in run.problems)
    assert any("only 2,000 of the 3,000" in p for p in run.problems)


DISK_FULL = textwrap.dedent("""
    import os, resource, sys
    sys.path.insert(0, sys.argv[2])
    from store_helpers import synthetic_columns
    from loadgui.engine.stats.recorder import Recorder
    from loadgui.engine.stats.report_build import report_of_rows
    from loadgui.profile import Profile
    from loadgui.store import RunStore, StoreWriteError

    store = RunStore.open(sys.argv[1])
    writer = store.begin_run(Profile(), name="full")
    writer.append(synthetic_columns(1000), [""])
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))  # files stop at 64 KB
    try:
        writer.append(synthetic_columns(200_000, seed=2), [""])
    except StoreWriteError as exc:
        print(exc)
    writer.append(synthetic_columns(500, seed=3), [""])  # counted as lost, no second error
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    recorder = Recorder()
    recorder.extend(synthetic_columns(201_500), [""])
    info = writer.finish(report_of_rows(recorder))
    print(info.rows, info.rows_lost)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_keeps_what_was_saved_and_says_so(store, home):
    earlier = save_synthetic(store, name="earlier")
    done = subprocess.run([sys.executable, "-c", DISK_FULL, str(home), HERE],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    message, counts = done.stdout.strip().splitlines()
    assert "File too large" in message
    assert "the 1,000 attempts saved before are kept" in message
    assert counts == "1000 200500"
    full = store.select("full")
    assert full.status == "completed" and "200,500 of 201,500 attempts" in full.note
    assert len(store.open_run(full.id).columns()) == 1000
    assert store.open_run(earlier.id).columns().columns["latency"].size == 2000


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[2])
    from store_helpers import synthetic_columns
    from loadgui.engine.stats.recorder import Recorder
    from loadgui.engine.stats.report_build import report_of_rows
    from loadgui.profile import Profile
    from loadgui.store import RunStore

    store = RunStore.open(sys.argv[1])
    for i in range(6):
        writer = store.begin_run(Profile(), name=sys.argv[3])
        for part in range(3):
            writer.append(synthetic_columns(2000, seed=part), [""])
        recorder = Recorder()
        recorder.extend(synthetic_columns(6000), [""])
        writer.finish(report_of_rows(recorder))
""")


def test_two_processes_writing_at_once_both_land(store, home):
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(home), HERE, name],
                                stderr=subprocess.PIPE, text=True) for name in ("left", "right")]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    runs = store.list_runs()
    assert sorted(r.name for r in runs) == ["left"] * 6 + ["right"] * 6
    assert len({r.id for r in runs}) == 12
    assert all(r.status == "completed" and r.rows == 6000 for r in runs)
    with sqlite3.connect(home / CATALOG_FILE) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


NO_ROOM_TO_FINISH = textwrap.dedent("""
    import resource, sys
    sys.path.insert(0, sys.argv[2])
    from store_helpers import synthetic_columns
    from loadgui.engine.stats.recorder import Recorder
    from loadgui.engine.stats.report_build import report_of_rows
    from loadgui.profile import Profile
    from loadgui.store import RunStore, StoreWriteError

    store = RunStore.open(sys.argv[1])
    writer = store.begin_run(Profile(), name="unfinished")
    writer.append(synthetic_columns(1000), [""])
    recorder = Recorder()
    recorder.extend(synthetic_columns(1000), [""])
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, hard))
    for attempt in (lambda: writer.finish(report_of_rows(recorder)),
                    lambda: store.begin_run(Profile(), name="unstarted")):
        try:
            attempt()
        except StoreWriteError as exc:
            print(exc)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_no_room_for_the_report_keeps_the_rows_and_no_room_to_begin_leaves_nothing(store,
                                                                                   home):
    done = subprocess.run([sys.executable, "-c", NO_ROOM_TO_FINISH, str(home), HERE],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    finish, begin = done.stdout.strip().splitlines()
    assert finish.startswith("cannot save the report of run 1: ")
    assert finish.endswith("the 1,000 attempts stored are kept and it lists as interrupted")
    assert begin.startswith("cannot save a new run in ") and begin.endswith(
        "nothing of it is stored")
    runs = store.list_runs()
    assert [(r.name, r.status, r.rows) for r in runs] == [("unfinished", "interrupted", 1000)]
    assert len(list(store.runs_dir.iterdir())) == 1
    assert store.open_run(1).report.requests == 1000


def test_a_failed_run_is_saved_with_its_reason(store):
    import asyncio
    import socket

    from loadgui.engine import make_run
    from loadgui.profile import Limits, Retry, Target

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handle = make_run(Profile(target=Target(base_url=f"http://127.0.0.1:{port}"),
                              retry=Retry(retries=0), limits=Limits(total_requests=20)))
    asyncio.run(asyncio.wait_for(handle.run(), 60))
    info = store.save_run(handle.profile, handle.report(), handle.recorder, source="cli")
    assert info.status == "failed" and "connection refused" in info.reason
    run = store.open_run("latest")
    assert run.report.successes == 0 and run.report.reason == handle.report().reason
