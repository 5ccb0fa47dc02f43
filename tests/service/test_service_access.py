"""What the service refuses: bad profiles, too many runs, missing tokens, web pages."""

from __future__ import annotations

import pytest

from loadgui.service.app import MAX_PROFILE_BYTES


@pytest.mark.parametrize(("profile", "field", "words"), [
    ({"load": {"concurrency": 0}}, "load.concurrency", "concurrency"),
    ({"target": {"base_url": "ftp://example"}}, "target.base_url", "http://"),
    ({"keys": {"file": "/etc/passwd"}}, "keys.file", "key files"),
])
def test_invalid_profile_is_a_422_naming_the_field(service, profile, field, words) -> None:
    response = service.client.post("/trigger", json=profile)

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert words in response.json()["detail"]
    assert service.client.get("/runs").json() == []


@pytest.mark.parametrize(("body", "words"), [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"lod": {}}', "lod"),
    (b"\xff\xfe", "UTF-8"),
])
def test_a_body_that_is_no_profile_is_a_422(service, body, words) -> None:
    response = service.client.post("/trigger", content=body)

    assert response.status_code == 422
    assert words in response.json()["detail"]


@pytest.mark.parametrize("limits", [{}, {"total_requests": None, "duration": None}])
def test_a_profile_without_an_end_is_a_422_naming_the_limits(service, quiet_mock,
                                                             limits) -> None:
    response = service.client.post("/trigger", json={
        "target": {"base_url": quiet_mock.url}, "limits": limits})

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "limits.total_requests" in detail and "limits.duration" in detail
    assert response.json()["field"] == "limits"
    assert service.client.get("/runs").json() == []


def test_an_oversized_body_is_a_413(service) -> None:
    response = service.client.post("/trigger", content=b" " * (MAX_PROFILE_BYTES + 1))

    assert response.status_code == 413
    assert "bytes" in response.json()["detail"]


def test_runs_beyond_the_limit_are_a_429(start_service, long_profile) -> None:
    service = start_service(max_runs=1)
    first = service.trigger(long_profile)

    refused = service.client.post("/trigger", json=long_profile)

    assert refused.status_code == 429
    assert "1 runs" in refused.json()["detail"]
    assert [run["id"] for run in service.client.get("/runs").json()] == [first]
    service.client.post(f"/stop/{first}")
    assert service.client.post("/trigger", json=long_profile).status_code == 202


def test_a_token_is_required_on_every_call(start_service, long_profile) -> None:
    service = start_service(token="s3cret")
    client = service.client

    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret"},
                    {"Authorization": "Bearer s3cret-and-more"}):
        for method, path in (("POST", "/trigger"), ("GET", "/runs"), ("GET", "/status/x"),
                             ("POST", "/stop/x"), ("GET", "/runs/x/csv")):
            response = client.request(method, path, headers=headers)
            assert response.status_code == 401, (method, path, headers)
            assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/runs").json() == {"detail": "missing or wrong bearer token"}

    good = {"Authorization": "Bearer s3cret"}
    accepted = client.post("/trigger", json=long_profile, headers=good)
    assert accepted.status_code == 202
    run_id = accepted.json()["request_id"]
    assert client.get(f"/status/{run_id}", headers=good).status_code == 200
    assert client.post(f"/stop/{run_id}", headers=good).json()["status"] == "stopped"
    # A token, not the Host, is what counts when there is one (e.g. behind a DNS name).
    assert client.get("/runs", headers={**good, "Host": "loadgen.example"}).status_code == 200


@pytest.mark.parametrize("headers", [
    {"Host": "attacker.example"},  # DNS rebinding: a web page's own name resolving to us
    {"Host": "attacker.example:8181"},
    {"Origin": "https://attacker.example"},  # a cross-site form or fetch
    {"Origin": "null"},
])
def test_without_a_token_web_pages_are_refused(service, headers) -> None:
    for method, path in (("POST", "/trigger"), ("GET", "/runs")):
        response = service.client.request(method, path, headers=headers)
        assert response.status_code == 403
        assert "detail" in response.json()
    assert service.registry.runs() == []


@pytest.mark.parametrize("headers", [
    {"Host": "localhost:8181"}, {"Host": "[::1]:8181"}, {"Host": "127.0.0.1"},
    {"Origin": "http://localhost:3000"},
])
def test_without_a_token_loopback_callers_are_answered(service, headers) -> None:
    assert service.client.get("/runs", headers=headers).status_code == 200


def test_the_api_is_described_in_openapi(service) -> None:
    schema = service.client.get("/openapi.json").json()

    models = schema["components"]["schemas"]
    status = models["RunStatus"]["properties"]
    assert "Seconds" in status["total_time"]["description"]
    assert "Seconds" in status["average_latency"]["description"]
    assert "seconds" in status["latencies"]["description"]
    assert "10,000" in status["latencies"]["description"]
    assert "milliseconds" in status["report"]["description"]
    assert "≥ 400" in status["failed_responses"]["description"]
    for name in ("RunStatus", "RunListing", "Accepted", "ErrorBody"):
        undocumented = [field for field, spec in models[name]["properties"].items()
                        if not spec.get("description")]
        assert undocumented == [], name
    assert "--profile" in schema["info"]["description"]
    assert set(schema["paths"]) == {"/trigger", "/status/{request_id}", "/stop/{request_id}",
                                    "/runs", "/runs/{request_id}/csv",
                                    "/runs/{request_id}/report"}


def test_the_mock_target_is_refused_with_a_reason(service) -> None:
    response = service.client.post("/trigger", json={
        "target": {"base_url": "mock"}, "limits": {"total_requests": 5}})
    assert response.status_code == 422
    assert response.json()["field"] == "target.base_url"
    assert "does not start a mock server" in response.json()["detail"]


def test_a_caller_cannot_point_the_service_at_a_dask_scheduler(service) -> None:
    response = service.client.post("/trigger", json={
        "target": {"base_url": "http://127.0.0.1:9"}, "load": {"cluster": "tcp://127.0.0.1:1"},
        "limits": {"total_requests": 5}})
    assert response.status_code == 422 and response.json()["field"] == "load.cluster"
