"""A fixed 4-instance cluster behind the proxy: round robin, stickiness, bodies, reporting."""

import asyncio
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from mock_server.cluster import EmbeddedCluster
from mock_server.embedded import MockServerError
from mock_server.settings import ClusterSettings, MockSettings

MB = 1024 * 1024


@pytest.fixture(scope="module")
def cluster() -> Iterator[EmbeddedCluster]:
    settings = MockSettings(min_latency=0, max_latency=0, error_rate=0)
    with EmbeddedCluster(settings, ClusterSettings.fixed(4, health_interval=0.5)) as running:
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
    cluster = EmbeddedCluster(MockSettings(min_latency=0, max_latency=0), ClusterSettings.fixed(2))
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


def test_instances_too_slow_to_start_fail_the_start_cleanly(
    all_gone: Callable[..., bool],
) -> None:
    before = set(instance_processes_of_this_test_run())
    cluster = EmbeddedCluster(cluster=ClusterSettings(min_instances=2, start_timeout=0.01))
    with pytest.raises(MockServerError, match=r"cluster did not start: not ready within 0\.01 s"):
        cluster.start()
    assert not cluster.running
    assert cluster.pids() == []
    assert all_gone(sorted(set(instance_processes_of_this_test_run()) - before), 5.0)


def instance_processes_of_this_test_run() -> list[int]:
    """Children of this process that run a mock instance (none should outlive a cluster)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (proc / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"--exit-on-stdin-eof" in command:
            found.append(int(proc.name))
    return found


def test_proxy_port_in_use_raises_before_any_instance_starts(cluster: EmbeddedCluster) -> None:
    with pytest.raises(MockServerError) as caught:
        EmbeddedCluster(cluster=ClusterSettings.fixed(1), port=cluster.port).start()
    assert str(caught.value) == f"port {cluster.port} on 127.0.0.1 is already in use"


def test_new_settings_reach_every_instance_live(
    cluster: EmbeddedCluster, client: httpx.Client
) -> None:
    original = cluster.settings
    cluster.settings = MockSettings(min_latency=0, max_latency=0, error_rate=1.0)
    try:
        answers = [client.get(f"{cluster.url}/test") for _ in range(8)]
        assert {r.status_code for r in answers} == {500}
        assert len({r.headers["x-instance"] for r in answers}) == 4
        refused = client.put(f"{cluster.url}/_cluster/settings", json={"error_rate": 3})
        assert refused.status_code == 422
        assert "error_rate" in refused.json()["error"]
    finally:
        cluster.settings = original
    assert client.get(f"{cluster.url}/test").status_code == 200
