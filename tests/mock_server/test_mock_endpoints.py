"""Items, /solve and the large-body endpoints of one instance."""

import hashlib
import os
from collections.abc import Callable

import httpx
import pytest

from mock_server.embedded import EmbeddedMockServer

MakeServer = Callable[..., EmbeddedMockServer]


@pytest.fixture
def url(make_server: MakeServer) -> str:
    return make_server(instance_id="i1").url


def test_item_create_read_update(url: str, client: httpx.Client) -> None:
    created = client.post(f"{url}/items/", params={"item_id": "a"}, json={"name": "A", "price": 1})
    assert created.status_code == 201
    assert created.json() == {"item_id": "a", "instance": "i1", "name": "A", "price": 1.0}
    assert client.get(f"{url}/items/a").json()["name"] == "A"
    updated = client.put(f"{url}/items/a", json={"name": "B", "price": 2.5})
    assert updated.status_code == 200
    assert client.get(f"{url}/items/a").json() == {**updated.json(), "price": 2.5}


def test_item_errors(url: str, client: httpx.Client) -> None:
    body = {"name": "A", "price": 1}
    assert client.post(f"{url}/items/", params={"item_id": "a"}, json=body).status_code == 201
    assert client.post(f"{url}/items/", params={"item_id": "a"}, json=body).status_code == 400
    assert client.get(f"{url}/items/missing").status_code == 404
    assert client.put(f"{url}/items/missing", json=body).status_code == 404
    bad = {"name": "A", "price": "cheap"}
    assert client.post(f"{url}/items/", params={"item_id": "b"}, json=bad).status_code == 422
    assert client.put(f"{url}/items/a", json={"name": "A"}).status_code == 422
    assert client.post(f"{url}/items/", json=body).status_code == 422  # no item_id


def test_solve_cpu_computes(url: str, client: httpx.Client) -> None:
    answer = client.post(f"{url}/solve", json={"kind": "cpu", "size": 100}).json()
    assert answer["primes"] == 25
    assert answer["instance"] == "i1"


def test_solve_io_waits(url: str, client: httpx.Client) -> None:
    answer = client.post(f"{url}/solve", json={"kind": "io", "seconds": 0.05}).json()
    assert answer["seconds"] >= 0.05


@pytest.mark.parametrize(
    "body", [{"kind": "gpu"}, {"kind": "cpu", "size": -1}, {"kind": "io"}, {"size": 5}]
)
def test_solve_rejects_bad_work(url: str, client: httpx.Client, body: dict[str, object]) -> None:
    assert client.post(f"{url}/solve", json=body).status_code == 422


def test_ping_post_parses_a_model(url: str, client: httpx.Client) -> None:
    answer = client.post(f"{url}/ping", json={"message": "hi", "data": "x" * 1000}).json()
    assert answer["message"] == "hi"
    assert answer["data_length"] == 1000
    assert client.post(f"{url}/ping", json={"message": 5}).status_code == 422


def test_pong_reads_raw_chunks(url: str, client: httpx.Client) -> None:
    payload = os.urandom(3 * 1024 * 1024 + 7)
    answer = client.post(f"{url}/pong", content=payload).json()
    assert answer["bytes"] == len(payload)
    assert answer["sha256"] == hashlib.sha256(payload).hexdigest()
    assert answer["chunks"] > 1


@pytest.mark.parametrize("path", ["/pong", "/ping", "/items/?item_id=big"])
def test_body_over_the_limit_gets_413(
    make_server: MakeServer, client: httpx.Client, path: str
) -> None:
    server = make_server(max_body_bytes=1024 * 1024)
    at_limit = b'{"data": "' + b"x" * (1024 * 1024 - 12) + b'"}'
    over = b'{"data": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    headers = {"content-type": "application/json"}
    if path == "/pong":
        assert client.post(f"{server.url}{path}", content=at_limit).status_code == 200
    response = client.post(f"{server.url}{path}", content=over, headers=headers)
    assert response.status_code == 413
    assert response.headers["x-instance"] == "0"
    # The connection survives the refusal: the next request on it works.
    assert client.get(f"{server.url}/health").status_code == 200


def test_chunked_body_over_the_limit_gets_413(
    make_server: MakeServer, client: httpx.Client
) -> None:
    server = make_server(max_body_bytes=100_000)

    def chunks():  # no Content-Length: the limit must be counted while streaming
        for _ in range(30):
            yield b"y" * 10_000

    assert client.post(f"{server.url}/pong", content=chunks()).status_code == 413


def test_echo_shows_the_request(url: str, client: httpx.Client) -> None:
    answer = client.request(
        "PATCH", f"{url}/echo?a=1&b=x%20y", headers={"X-Key": "k1"}, content=b"12345"
    ).json()
    assert answer["method"] == "PATCH"
    assert answer["path"] == "/echo"
    assert answer["query"] == "a=1&b=x%20y"
    assert ["x-key", "k1"] in answer["headers"]
    assert answer["body_bytes"] == 5


def test_settings_can_be_changed_over_http(url: str, client: httpx.Client) -> None:
    changed = client.put(f"{url}/_settings", json={"error_rate": 1.0})
    assert changed.json()["error_rate"] == 1.0
    assert client.get(f"{url}/test").status_code == 500
    refused = client.put(f"{url}/_settings", json={"min_latency": 5.0})  # above max_latency
    assert refused.status_code == 422
    assert "max_latency" in refused.json()["detail"]
