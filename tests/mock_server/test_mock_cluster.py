"""A fixed 4-instance cluster behind the proxy: round robin, stickiness, bodies, reporting."""

import asyncio
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator

import httpx
import pytest

from mock_server.cluster import EmbeddedCluster
from mock_server.settings import ClusterSettings, MockSettings

MB = 1024 * 1024


@pytest.fixture(scope="module")
def cluster() -> Iterator[EmbeddedCluster]:
    settings = MockSettings(min_latency=0, max_latency=0, error_rate=0)
    with EmbeddedCluster(ClusterSettings.fixed(4, health_interval=0.5), settings) as running:
        yield running


def ports_of(cluster: EmbeddedCluster) -> list[int]:
    return [i["port"] for i in cluster.snapshot()["instances"]]


def test_sequential_pings_cycle_the_ports_in_order(
    cluster: EmbeddedCluster, client: httpx.Client
) -> None:
    seen = [client.get(f"{cluster.url}/ping").json()["port"] for _ in range(12)]
    assert sorted(set(seen)) == sorted(ports_of(cluster))
    first_round = seen[:4]
    assert len(set(first_round)) == 4
    assert seen == first_round * 3


def test_concurrent_pings_spread_evenly(cluster: EmbeddedCluster) -> None:
    async def burst() -> list[int]:
        async with httpx.AsyncClient(trust_env=False, timeout=30) as http:
            responses = await asyncio.gather(*(http.get(f"{cluster.url}/ping") for _ in range(80)))
        return [r.json()["port"] for r in responses]

    per_port = Counter(asyncio.run(burst()))
    assert sorted(per_port) == sorted(ports_of(cluster))
    assert set(per_port.values()) == {20}


def test_items_stick_to_the_instance_that_created_them(
    cluster: EmbeddedCluster, client: httpx.Client
) -> None:
    creators: dict[str, str] = {}
    for n in range(20):
        item_id = f"sticky-{n}"
        created = client.post(
            f"{cluster.url}/items/", params={"item_id": item_id}, json={"name": "a", "price": n}
        )
        assert created.status_code == 201
        creators[item_id] = created.headers["x-instance"]
    for item_id, creator in creators.items():
        read = client.get(f"{cluster.url}/items/{item_id}")
        updated = client.put(f"{cluster.url}/items/{item_id}", json={"name": "b", "price": 1})
        again = client.get(f"{cluster.url}/items/{item_id}")
        assert (read.status_code, updated.status_code, again.status_code) == (200, 200, 200)
        assert {read.headers["x-instance"], updated.headers["x-instance"]} == {creator}
        assert again.json()["name"] == "b"
    assert len(set(creators.values())) == 4  # round robin spread the creations
    duplicate = client.post(
        f"{cluster.url}/items/", params={"item_id": "sticky-0"}, json={"name": "a", "price": 1}
    )
    assert duplicate.status_code == 400
    assert duplicate.headers["x-instance"] == creators["sticky-0"]


def test_proxy_forwards_method_path_query_headers_and_body(
    cluster: EmbeddedCluster, client: httpx.Client
) -> None:
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        response = client.request(
            method, f"{cluster.url}/echo?q=1&r=%2F", headers={"X-Api-Key": "k"}, content=b"abc"
        )
        answer = response.json()
        assert (answer["method"], answer["path"], answer["query"]) == (method, "/echo", "q=1&r=%2F")
        assert ["x-api-key", "k"] in answer["headers"]
        assert answer["body_bytes"] == 3
    assert client.head(f"{cluster.url}/test").status_code == 200
    missing = client.get(f"{cluster.url}/no/such/path")
    assert missing.status_code == 404
    assert missing.headers["x-instance"] in {"1", "2", "3", "4"}


def test_25_mb_passes_intact_and_26_mb_gets_413(
    cluster: EmbeddedCluster, client: httpx.Client
) -> None:
    payload = os.urandom(25 * MB)
    answer = client.post(f"{cluster.url}/pong", content=payload).json()
    assert answer["bytes"] == len(payload)
    assert answer["sha256"] == hashlib.sha256(payload).hexdigest()
    too_big = client.post(f"{cluster.url}/pong", content=payload + os.urandom(MB))
    assert too_big.status_code == 413
    model_body = b'{"message": "big", "data": "' + b"x" * (25 * MB - 100) + b'"}'
    parsed = client.post(
        f"{cluster.url}/ping", content=model_body, headers={"content-type": "application/json"}
    )
    assert parsed.status_code == 200
    assert parsed.json()["data_length"] == 25 * MB - 100


def test_cluster_report(cluster: EmbeddedCluster, client: httpx.Client) -> None:
    report = client.get(f"{cluster.url}/_cluster")
    assert report.headers["x-instance"] == "proxy"
    body = report.json()
    assert [i["state"] for i in body["instances"]] == ["ready"] * 4
    assert {"id", "port", "pid", "state", "in_flight", "served"} <= set(body["instances"][0])
    assert [e["event"] for e in body["events"]].count("ready") == 4
    assert body["policy"]["min_instances"] == body["policy"]["max_instances"] == 4


def test_stop_leaves_no_process_frees_the_port_and_start_again_works(
    all_gone: Callable[..., bool], client: httpx.Client
) -> None:
    cluster = EmbeddedCluster(ClusterSettings.fixed(2), MockSettings(min_latency=0, max_latency=0))
    cluster.start()
    pids = cluster.pids()
    assert len(pids) == 2
    assert client.get(f"{cluster.url}/ping").status_code == 200
    cluster.stop()
    cluster.stop()
    assert all_gone(pids, 0.0)
    assert not cluster.running
    assert cluster.port > 0
    with pytest.raises(httpx.ConnectError):
        client.get(f"{cluster.url}/ping")
    with cluster:  # toggled back on, as the window does
        assert cluster.running
        assert client.get(f"{cluster.url}/ping").status_code == 200
        pids = cluster.pids()
    assert all_gone(pids, 0.0)
