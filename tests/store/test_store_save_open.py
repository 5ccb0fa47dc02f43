"""Saving real runs and opening them again: the same report, the same rows, no secret."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from store_helpers import HEADER_SECRET, SECRET_KEYS, URL_PASSWORD, synthetic_columns

from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.store import RunStore
from loadgui.store.codec import decode_report, encode_report


def same_report_json(a: object, b: object) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_a_saved_run_opens_with_its_report_columns_and_profile(store, real_run):
    handle = real_run(requests=300, mix=True)
    info = store.save_run(handle.profile, handle.report(), handle.recorder, name="smoke",
                          source="cli")
    assert (info.id, info.name, info.source, info.status) == (1, "smoke", "cli", "completed")
    assert info.requests == info.rows == len(handle.recorder) == 300
    assert info.key_count == 2

    run = store.open_run(info.id)
    # The report is the one the run ended with, every float as it was.
    assert same_report_json(encode_report(run.report), encode_report(handle.report()))
    assert run.report.to_dict() == handle.report().to_dict()
    columns = run.columns()
    for name, values in handle.recorder.columns().items():
        assert columns.columns[name].dtype == values.dtype
        assert np.array_equal(columns.columns[name], values), name
    assert columns.labels == handle.recorder.labels
    assert run.problems == []
    assert run.profile is not None and run.profile.limits.total_requests == 300
    assert run.environment["python"] == ".".join(map(str, sys.version_info[:3]))


def test_no_secret_reaches_the_store(store, real_run, home):
    handle = real_run(requests=50, mix=True)
    store.save_run(handle.profile, handle.report(), handle.recorder, name="secret")
    stored = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    for secret in (*SECRET_KEYS, URL_PASSWORD, HEADER_SECRET):
        assert secret.encode() not in stored
    run = store.open_run("latest")
    assert run.profile_data["keys"]["keys"] == []
    assert "@" not in run.profile_data["target"]["base_url"]
    assert run.profile_data["target"]["headers"]["Authorization"] == "[hidden]"
    assert run.profile_data["requests"][1]["headers"]["X-Api-Key"] == "[hidden]"
    export = store.export_run(1, home.parent / "shared")
    assert not any(s.encode() in export.read_bytes() for s in (*SECRET_KEYS, URL_PASSWORD))


def test_streamed_batches_read_back_as_one_run_with_their_messages(store, real_run):
    profile = real_run(requests=10).profile
    writer = store.begin_run(profile, name="streamed", source="window")
    batches = [synthetic_columns(n, error_share=0.3, seed=n) for n in (1000, 0, 2500, 700)]
    # Each batch names its message indices with its own list, as another recorder would.
    texts = [["", "boom"], [""], ["", "other", "boom"], ["", "third"]]
    for batch, messages in zip(batches, texts, strict=True):
        if len(messages) == 3:
            batch["message"] = batch["message"] * 2  # index 2: "boom" in this batch's list
        writer.append(batch, messages)
    assert writer.rows == 4200 and len(os.listdir(writer.dir)) >= 3  # one chunk per batch
    rows = np.concatenate([b["latency"] for b in batches])
    live = store.open_run(writer.id)  # while it is written: the rows so far, not kept
    assert live.report.state == "running" and live.report.requests == 4200
    recorder = Recorder()
    for batch, messages in zip(batches, texts, strict=True):
        recorder.extend(batch, messages)
    finished = writer.finish(report_of_rows(recorder))
    assert finished.status == "completed" and finished.rows == 4200

    columns = store.open_run(writer.id).columns()
    assert np.array_equal(columns.columns["latency"], rows)
    said = [columns.messages[i] for i in columns.columns["message"].tolist()]
    assert said[:1000] == ["boom" if m else "" for m in batches[0]["message"].tolist()]
    assert set(said[1000:3500]) == {"", "boom"}
    assert set(said[3500:]) == {"", "third"}


def test_sync_stores_only_new_rows_of_a_recorder(store, real_run):
    handle = real_run(requests=120)
    writer = store.begin_run(handle.profile)
    writer.sync(handle.recorder)
    writer.sync(handle.recorder)  # nothing new: no second chunk
    info = writer.finish(handle.report())
    assert info.rows == 120 and len([p for p in writer.dir.iterdir()
                                     if p.suffix == ".npz"]) == 1


def test_the_codec_keeps_nan_and_every_field(real_run):
    report = real_run(requests=20).report()
    data = json.loads(json.dumps(encode_report(report)))
    again = decode_report(data)
    assert same_report_json(encode_report(again, with_series=False),
                            encode_report(report, with_series=False))


KILLED = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, sys.argv[2])
    from store_helpers import synthetic_columns
    from loadgui.profile import Profile
    from loadgui.store import RunStore

    store = RunStore.open(sys.argv[1])
    writer = store.begin_run(Profile(), name="killed")
    writer.append(synthetic_columns(3000, error_share=0.5), ["", "reset by peer"])
    writer.append(synthetic_columns(2000, seed=2), [""])
    print(writer.id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_a_killed_writer_leaves_an_interrupted_run_with_what_it_flushed(store, home):
    done = subprocess.run([sys.executable, "-c", KILLED, str(home), str(Path(__file__).parent)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    run_id = int(done.stdout)
    info = store.info(run_id)
    assert info.status == "interrupted" and info.rows == 5000
    run = store.open_run(run_id)
    assert len(run.columns()) == 5000
    assert run.report.requests == 5000 and run.report.state == "failed"
    assert run.report.reason.startswith("interrupted")
    assert {g.message for g in run.report.errors} == {"reset by peer"}
    # The rebuilt report is kept: the list now shows its figures.
    assert store.info(run_id).requests == 5000


def test_a_run_being_written_is_listed_running_not_interrupted(store, real_run):
    writer = store.begin_run(real_run(requests=5).profile, name="live")
    writer.append(synthetic_columns(10), [""])
    assert store.info(writer.id).status == "running"
    assert RunStore.open(store.home).list_runs()[0].status == "running"
    writer.close()
    assert store.info(writer.id).status == "interrupted"


@pytest.mark.parametrize("name", ["smoke", None])
def test_runs_are_named_by_profile_or_target(store, real_run, name):
    handle = real_run(requests=5)
    info = store.save_run(handle.profile, handle.report(), handle.recorder, name=name)
    assert info.name == (name or info.target)
    assert "user" not in info.target


def test_the_store_and_the_html_report_import_no_qt():
    code = ("import sys, loadgui.store, loadgui.report_html, loadgui.commands.runs_cmd; "
            "sys.exit('PySide6' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
