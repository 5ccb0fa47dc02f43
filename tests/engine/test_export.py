import json

import numpy as np
import pytest

from loadgui.engine import ErrorKind, Recorder
from loadgui.engine.export import read_csv, write_csv, write_report
from loadgui.engine.stats.report_build import report_of_rows


def sample() -> Recorder:
    r = Recorder()
    r.add(0.000125, 0.0123456, 200, 512, 1, 0, ErrorKind.NONE)
    r.add(0.5, 1.25, 0, 0, 1, 1, ErrorKind.TIMEOUT, message="timed out after 1.25 s")
    r.add(1.75, 0.002, 503, 20, 2, 1, ErrorKind.NONE)
    r.add(2.0, 0.1, 0, 0, 3, -1, ErrorKind.CONNECT)
    return r


def test_csv_round_trip(tmp_path):
    r = sample()
    path = tmp_path / "run.csv"
    assert write_csv(r.columns(), path) == 4
    header = path.read_text().splitlines()[0]
    assert header == ("timestamp,latency,status,bytes,attempt,key_index,error,wait,request,"
                      "target,message,final,request_latency,checks_failed,connect")
    back, labels = read_csv(path)
    # indices when no names were given
    assert labels == {"request": ["0"], "target": ["0"], "message": ["", "1"]}
    for name, col in r.columns().items():
        assert back[name].dtype == col.dtype
        np.testing.assert_allclose(back[name], col, atol=1e-6)
    tail = ",1,1.250000,0,0.000000"  # final, request latency, checks failed, connect
    assert path.read_text().splitlines()[2].endswith(",timeout,0.000000,0,0,1" + tail)
    write_csv(r.columns(), path, messages=r.messages)
    assert path.read_text().splitlines()[2].endswith(
        ",timeout,0.000000,0,0,timed out after 1.25 s" + tail)


def test_csv_never_holds_the_keys(tmp_path):
    from loadgui.engine.load.keys import KeyRing

    ring = KeyRing(["sk-live-SECRET-1", "sk-live-SECRET-2"])
    r = Recorder()
    for _ in range(4):
        index, _headers = ring.next()
        r.add(0.0, 0.01, 200, 1, 1, index, 0)
    path = tmp_path / "run.csv"
    write_csv(r.columns(), path)
    assert "SECRET" not in path.read_text()
    assert [int(k) for k in read_csv(path)[0]["key"]] == [0, 1, 0, 1]


def test_empty_run_exports_a_header_only(tmp_path):
    path = tmp_path / "empty.csv"
    assert write_csv(Recorder().columns(), path) == 0
    assert all(len(col) == 0 for col in read_csv(path)[0].values())


def test_json_report_holds_the_totals(tmp_path):
    path = tmp_path / "summary.json"
    write_report(report_of_rows(sample(), 4.0), path)
    data = json.loads(path.read_text())
    assert data["attempts"] == 4 and data["exceptions"] == 2 and data["failures"] == 1
    assert data["requests"] == 2  # first attempts: the other rows are retries
    assert data["rps"] == 1.0 and data["latency_ms"]["p50"] == pytest.approx(12.346, abs=1e-3)
    assert data["error_counts"] == {"connect": 1, "timeout": 1}


def test_unwritable_path_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        write_csv(sample().columns(), tmp_path / "missing" / "x.csv")


def test_csv_names_requests_and_targets(tmp_path):
    r = Recorder()
    r.add(0.0, 0.01, 200, 1, 1, -1, 0, 0.0, 1, 0)
    r.add(0.1, 0.02, 200, 1, 1, -1, 0, 0.0, 0, 1)
    labels = {"request": ["small", "large"], "target": ["http://a:1", "http://b:2"]}
    path = tmp_path / "mix.csv"
    write_csv(r.columns(), path, labels)
    lines = path.read_text().splitlines()
    assert lines[1].endswith(",large,http://a:1,,1,0.010000,0,0.000000")
    assert ",small,http://b:2,," in lines[2]
    back, back_labels = read_csv(path)
    assert back_labels == {"request": ["large", "small"], "target": ["http://a:1", "http://b:2"],
                           "message": [""]}
    assert [back_labels["request"][i] for i in back["request"]] == ["large", "small"]
