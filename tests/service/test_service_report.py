"""GET /runs/{id}/report: the HTML report of a run the service made, read from the run store."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from loadgui.store import RunStore


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of this test's own: the service's thread opens the same one."""
    path = tmp_path / "home"
    monkeypatch.setenv("LOADGUI_HOME", str(path))
    return path


def stored(run_id: str, timeout: float = 10.0) -> int:
    """The store's id of the service's run, once saved."""
    deadline = time.monotonic() + timeout
    while True:
        runs = [r for r in RunStore.open().list_runs() if r.name == f"serve {run_id[:8]}"]
        if runs and runs[0].finished:
            return runs[0].id
        assert time.monotonic() < deadline, "the run was not stored"
        time.sleep(0.05)


def test_a_finished_run_is_its_stored_html_report(service, quiet_mock) -> None:
    run_id = service.trigger({"target": {"base_url": quiet_mock.url},
                              "keys": {"keys": ["sk-secret-report-1"]},
                              "load": {"concurrency": 2}, "limits": {"total_requests": 25}})
    service.wait_finished(run_id)
    response = service.client.get(f"/runs/{run_id}/report")  # may race the save: it waits

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert html.startswith("<!DOCTYPE html>") and f"serve {run_id[:8]}" in html
    assert "sk-secret-report-1" not in html
    assert RunStore.open().open_run(stored(run_id)).report.requests == 25


def test_a_run_still_going_is_not_stored_yet(service, long_profile) -> None:
    run_id = service.trigger(long_profile)
    response = service.client.get(f"/runs/{run_id}/report")
    assert response.status_code == 404
    assert response.json()["detail"] == (f"run {run_id} is still running; its report is "
                                         "stored when it ends")
    service.client.post(f"/stop/{run_id}")


def test_unknown_and_removed_runs_say_why(start_service, quiet_mock) -> None:
    service = start_service(history=0)  # the registry forgets at once; the store keeps
    unknown = str(uuid.uuid4())
    response = service.client.get(f"/runs/{unknown}/report")
    assert response.status_code == 404
    assert response.json()["detail"] == f"no run with id {unknown!r} in the run store"
    response = service.client.get("/runs/not-an-id/report")
    assert (response.status_code, response.json()["detail"]) == (
        404, "no run with id 'not-an-id'")

    run_id = service.trigger({"target": {"base_url": quiet_mock.url},
                              "limits": {"total_requests": 5}})
    store_id = stored(run_id)
    response = service.client.get(f"/runs/{run_id}/report")
    assert response.status_code == 200 and f"serve {run_id[:8]}" in response.text

    RunStore.open().remove(store_id)
    response = service.client.get(f"/runs/{run_id}/report")
    assert response.status_code == 404
    assert "in the run store" in response.json()["detail"]


def test_a_run_kept_by_the_registry_but_removed_from_the_store(service, quiet_mock) -> None:
    run_id = service.trigger({"target": {"base_url": quiet_mock.url},
                              "limits": {"total_requests": 5}})
    service.wait_finished(run_id)
    RunStore.open().remove(stored(run_id))
    response = service.client.get(f"/runs/{run_id}/report")
    assert response.status_code == 404
    assert response.json()["detail"] == (
        f"run {run_id} is not in the run store: it ended unsaved (see the service's log) "
        "or the store's limits removed it")
