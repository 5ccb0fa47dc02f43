"""A run saved as it goes: memory holds a bounded tail, exports and "open run" read the
chunks back, a killed process leaves what was flushed readable, old chunks still load."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest
from store_helpers import synthetic_columns

from loadgui.commands import run_saving
from loadgui.commands.run_saving import RunSaver
from loadgui.engine import make_run
from loadgui.engine.export import write_csv, write_csv_batches, write_recorder_csv
from loadgui.engine.stats.recorder import COLUMN_TYPES
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.profile import Limits, Load, Profile, RequestSpec, Retry, Target
from loadgui.service.csv_stream import csv_chunks
from loadgui.store import RunStore
from loadgui.store import opened as opened_module
from loadgui.store.columns import chunk_files, read_chunk, read_columns, write_chunk

CLI = [sys.executable, "-m", "loadgui"]


def two_request_profile(url: str, requests: int) -> Profile:
    return Profile(target=Target(base_url=url, endpoint="/test"),
                   load=Load(concurrency=4), retry=Retry(retries=0),
                   limits=Limits(total_requests=requests),
                   requests=[RequestSpec(name="ping", path="/ping", weight=3),
                             RequestSpec(name="test", path="/test", weight=1)]).validated()


def test_a_saved_run_drops_stored_rows_and_exports_every_one(quiet_mock, home, tmp_path,
                                                            monkeypatch):
    monkeypatch.setattr(run_saving, "SYNC_PERIOD_S", 0.05)
    handle = make_run(two_request_profile(quiet_mock.url, 3000))
    handle.recorder.hold = 300  # a long run's 1,000,000, scaled down

    async def main() -> None:
        saver = RunSaver.begin(handle.profile, "streamed")
        assert saver is not None
        following = asyncio.ensure_future(saver.follow(handle))
        report = await asyncio.wait_for(handle.run(), 60)
        following.cancel()
        saver.finish(handle, report)

    asyncio.run(main())
    recorder, report = handle.recorder, handle.report()
    assert len(recorder) == report.attempts == 3000
    assert recorder.dropped > 1000  # most rows left memory while it ran
    assert report.final and report.latency.approximate
    assert report.to_dict()["latency_ms"]["exact"] is False
    store = RunStore.open(home)
    stored = store.open_run("latest")
    assert stored.info.rows == 3000 and stored.info.status == "completed"
    assert stored.report.latency.approximate and stored.report.latency == report.latency
    # The CSV of the run in memory (dropped rows read back) is the stored run's, byte for byte.
    mine, theirs = tmp_path / "run.csv", tmp_path / "stored.csv"
    assert write_recorder_csv(recorder, mine) == 3000
    assert write_csv_batches(stored.batches(), theirs, stored.labels) == 3000
    assert mine.read_bytes() == theirs.read_bytes()
    assert "".join(csv_chunks(recorder, 500)).encode() == mine.read_bytes()
    columns = stored.columns()
    assert len(columns) == 3000 and not stored.problems
    whole = tmp_path / "whole.csv"
    write_csv(columns.columns, whole, columns.labels, columns.messages)
    assert whole.read_bytes() == mine.read_bytes()
    # Rows that left memory and then the store: the export says so, it never comes out short.
    shutil.rmtree(stored.dir)
    with pytest.raises(OSError, match="cannot be read back: only 0 of"):
        write_recorder_csv(recorder, tmp_path / "short.csv")


def test_a_killed_run_leaves_what_was_flushed_readable_and_is_interrupted(quiet_mock, tmp_path):
    home = tmp_path / "home"
    process = subprocess.Popen(
        [*CLI, "run", "--base-url", quiet_mock.url, "-e", "/test", "-c", "4",
         "--duration", "60", "--no-live-plot"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "LOADGUI_HOME": str(home)})
    try:
        deadline = time.monotonic() + 30
        flushed = 0
        while time.monotonic() < deadline and flushed < 2:
            time.sleep(0.2)
            runs = RunStore.open(home).list_runs() if (home / "catalog.sqlite").exists() else []
            flushed = len(chunk_files(home / "runs" / runs[0].uid)) if runs else 0
        assert flushed >= 2, "the run never flushed two chunks"
        assert runs[0].status == "running"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    assert process.returncode == -signal.SIGKILL
    store = RunStore.open(home)
    info = store.list_runs()[0]
    assert info.status == "interrupted" and info.rows > 0
    run = store.open_run(info.id)
    readable = sum(len(columns["t_start"]) for columns, _ in run.batches())
    assert readable >= info.rows  # every chunk counted in the catalog (a later one may be on disk)
    assert run.report.state == "failed" and "interrupted" in (run.report.reason or "")
    assert run.report.attempts == readable and run.report.successes == readable
    assert store.info(info.id).rows == readable  # the rebuilt report is kept


def test_an_interrupted_run_is_rebuilt_chunk_by_chunk_within_a_bounded_hold(store,
                                                                             monkeypatch):
    monkeypatch.setattr(opened_module, "REBUILD_HOLD", 700)
    profile = two_request_profile("http://127.0.0.1:9", 5)
    rows = synthetic_columns(12_000, error_share=0.05, span_s=30.0, requests=2)
    writer = store.begin_run(profile, name="cut short")
    for start in range(0, 12_000, 1000):
        writer.append({name: col[start:start + 1000] for name, col in rows.items()},
                      ["", "HTTP 500"])
    writer.close()  # no report: the run lists as interrupted
    run = store.open_run(writer.id)
    whole = report_of_rows(read_columns(run.dir, run.labels).recorder(), final=True)
    rebuilt = run.report
    assert rebuilt.attempts == 12_000
    for name in ("successes", "failures", "exceptions", "status_counts", "bytes_received"):
        assert getattr(rebuilt, name) == getattr(whole, name), name
    assert rebuilt.latency.approximate and not whole.latency.approximate
    assert rebuilt.latency.p99 == pytest.approx(whole.latency.p99, rel=0.005)
    assert rebuilt.series.requests.tolist() == whole.series.requests.tolist()
    assert rebuilt.elapsed == whole.elapsed


def test_chunks_written_before_the_new_columns_load_with_their_defaults(tmp_path):
    rows = synthetic_columns(50)
    path = tmp_path / "cols-000001.npz"
    write_chunk(path, rows, ["HTTP 500"], 1)
    old = tmp_path / "old.npz"
    newer = ("final", "req_latency", "checks", "connect")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(old, "w") as dst:
        for item in src.infolist():
            name = item.filename.removesuffix(".npy")
            if name in newer:
                continue
            data = src.read(item)
            if name == "__layout__":
                layout = np.load(src.open(item))
                kept = np.array([e for e in layout.tolist() if e.split(" ")[0] not in newer])
                dst.writestr(item.filename, _npy(kept))
            else:
                dst.writestr(item, data)
    columns, messages, base = read_chunk(old)
    assert (messages, base) == (["HTTP 500"], 1)
    assert set(columns) == set(COLUMN_TYPES)
    assert columns["final"].tolist() == [1] * 50
    np.testing.assert_array_equal(columns["req_latency"],
                                  rows["latency"].astype(np.float32))
    assert not columns["checks"].any() and not columns["connect"].any()
    assert {name: col.dtype for name, col in columns.items()} == \
        {name: np.dtype(kind) for name, kind in COLUMN_TYPES.items()}
    np.testing.assert_array_equal(columns["latency"], rows["latency"])
    # A new chunk stores the new columns as they were.
    stored, _, _ = read_chunk(path)
    for name in newer:
        np.testing.assert_array_equal(stored[name], rows[name])


def _npy(array: np.ndarray) -> bytes:
    import io

    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()
