"""Runs over HTTP: trigger, status, stop, list, CSV; every run hits a real mock server."""

from __future__ import annotations

import logging
import socket
from collections import Counter

import pytest

from loadgui.engine.export import write_csv
from loadgui.service.csv_stream import csv_chunks
from mock_server.embedded import EmbeddedMockServer


def test_trigger_runs_to_completion_with_counts_matching_the_csv(service, mock_factory) -> None:
    mock = mock_factory(min_latency=0.05, max_latency=0.05, error_rate=0.3)
    response = service.client.post("/trigger", json={
        "target": {"base_url": mock.url}, "load": {"concurrency": 2},
        "retry": {"retries": 0}, "limits": {"total_requests": 40}})

    assert response.status_code == 202
    body = response.json()
    assert body["message"] == "Request accepted"
    run_id = body["request_id"]
    assert response.headers["location"] == f"/status/{run_id}"
    assert service.status(run_id)["status"] == "running"  # the first answers take 50 ms

    final = service.wait_finished(run_id)
    rows = service.csv_rows(run_id)
    statuses = Counter(row["status"] for row in rows)
    assert final["status"] == "completed"
    assert final["requests"] == len(rows) == 40
    assert final["successful_responses"] == statuses["200"]
    assert final["failed_responses"] == statuses["500"]
    assert 0 < statuses["200"] < 40 and statuses["200"] + statuses["500"] == 40
    assert final["exceptions"] == 0
    assert final["status_counts"] == {code: n for code, n in statuses.items()}
    assert final["total_time"] > 0 and final["rps"] > 0
    assert "reason" not in final and "latencies" not in final
    assert final["report"]["state"] == "completed" and final["report"]["final"] is True


def test_csv_is_the_exporters_file_without_keys(service, quiet_mock, tmp_path) -> None:
    run_id = service.trigger({"target": {"base_url": quiet_mock.url},
                              "keys": {"keys": ["sk-secret-1", "sk-secret-2"]},
                              "load": {"concurrency": 1}, "limits": {"total_requests": 4}})
    service.wait_finished(run_id)
    response = service.client.get(f"/runs/{run_id}/csv")

    recorder = service.registry.get(run_id).run.recorder
    write_csv(recorder.columns(), tmp_path / "run.csv", recorder.labels, recorder.messages)
    exported = (tmp_path / "run.csv").read_bytes()
    assert response.content == exported
    assert "".join(csv_chunks(recorder, rows_per_chunk=3)).encode() == exported
    assert response.text.splitlines()[0] == (
        "timestamp,latency,status,bytes,attempt,key_index,error,wait,request,target,message,"
        "final,request_latency,checks_failed,connect")
    assert "sk-secret" not in response.text
    assert [row["key_index"] for row in service.csv_rows(run_id)] == ["0", "1", "0", "1"]
    assert run_id in response.headers["content-disposition"]


def test_a_refused_port_ends_failed_with_the_reason_in_status_and_the_log(service,
                                                                          caplog) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run_id = service.trigger({"target": {"base_url": f"http://127.0.0.1:{port}"},
                              "load": {"concurrency": 1}, "retry": {"retries": 0},
                              "limits": {"total_requests": 5}})

    with caplog.at_level(logging.WARNING, logger="loadgui.service"):
        final = service.wait_finished(run_id)

    reason = (f"all 5 attempts failed without a response: connection refused "
              f"(127.0.0.1:{port}) × 5 — is the server running?")
    assert final["status"] == final["report"]["state"] == "failed"
    assert final["reason"] == final["report"]["reason"] == reason
    assert final["exceptions"] == final["requests"] == 5
    assert final["successful_responses"] == final["failed_responses"] == 0
    assert final["average_latency"] is None
    assert all(row["status"] == "0" for row in service.csv_rows(run_id))
    [logged] = [record for record in caplog.records if record.name == "loadgui.service"]
    assert logged.levelno == logging.WARNING
    assert logged.getMessage() == f"run {run_id} failed: {reason}"


def test_stop_ends_a_run_and_keeps_what_it_recorded(service, long_profile) -> None:
    run_id = service.trigger(long_profile)
    assert service.status(run_id)["status"] == "running"

    response = service.client.post(f"/stop/{run_id}")

    assert response.status_code == 200
    assert response.json()["status"] == "stopped"
    assert response.json()["reason"] == "stopped before reaching its limits"
    status = service.status(run_id)
    assert status["status"] == status["report"]["state"] == "stopped"
    assert status["requests"] == len(service.csv_rows(run_id))
    assert status["requests"] == (status["successful_responses"] + status["failed_responses"]
                                  + status["exceptions"])
    assert service.client.post(f"/stop/{run_id}").json()["status"] == "stopped"
    [listed] = service.client.get("/runs").json()
    assert listed["status"] == "stopped" and listed["finished"] is not None


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/status/{id}"), ("POST", "/stop/{id}"), ("GET", "/runs/{id}/csv")])
def test_unknown_id_is_a_404_with_a_json_detail(service, method, path) -> None:
    response = service.client.request(method, path.format(id="no-such-run"))

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "no-such-run" in response.json()["detail"]


def test_latencies_are_listed_on_request_up_to_the_limit(start_service,
                                                         quiet_mock: EmbeddedMockServer) -> None:
    service = start_service(latencies_limit=25)
    run_id = service.trigger({"target": {"base_url": quiet_mock.url},
                              "load": {"concurrency": 2}, "limits": {"total_requests": 60}})
    service.wait_finished(run_id)

    status = service.status(run_id, latencies="true")

    assert status["latencies_truncated"] is True
    assert len(status["latencies"]) == 25
    from_csv = [float(row["latency"]) for row in service.csv_rows(run_id)][-25:]
    assert status["latencies"] == pytest.approx(from_csv, abs=2e-6)  # seconds, newest last
    assert "latencies" not in service.status(run_id)


def test_latencies_below_the_limit_are_all_listed(service, quiet_mock) -> None:
    run_id = service.trigger({"target": {"base_url": quiet_mock.url},
                              "load": {"concurrency": 2}, "limits": {"total_requests": 30}})
    service.wait_finished(run_id)

    status = service.status(run_id, latencies="true")

    assert status["latencies_truncated"] is False
    assert len(status["latencies"]) == status["successful_responses"] == 30


def test_history_keeps_only_the_most_recent_finished_runs(start_service, quiet_mock) -> None:
    service = start_service(history=2)
    profile = {"target": {"base_url": quiet_mock.url}, "load": {"concurrency": 1},
               "limits": {"total_requests": 3}}
    run_ids = []
    for _ in range(3):
        run_ids.append(service.trigger(profile))
        service.wait_finished(run_ids[-1])

    listed = service.client.get("/runs").json()

    assert [run["id"] for run in listed] == run_ids[1:]
    assert all(run["status"] == "completed" and run["requests"] == 3 for run in listed)
    assert service.client.get(f"/status/{run_ids[0]}").status_code == 404


def test_runs_list_hides_credentials_in_the_target(service, long_profile) -> None:
    url = long_profile["target"]["base_url"].replace("http://", "http://user:pw@")
    run_id = service.trigger({**long_profile, "target": {"base_url": url}})

    [listed] = service.client.get("/runs").json()

    assert listed["id"] == run_id and listed["status"] == "running"
    assert "pw" not in listed["target"] and listed["target"].endswith("/test")
