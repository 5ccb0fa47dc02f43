"""Health checks: dead instances leave the rotation, unresponsive ones leave and come back."""

import os
import signal
from collections.abc import Callable
from typing import Any

import httpx

from mock_server.cluster import EmbeddedCluster
from mock_server.settings import ClusterSettings

WaitUntil = Callable[..., None]


def instance(cluster: EmbeddedCluster, instance_id: str) -> dict[str, Any] | None:
    return next((i for i in cluster.snapshot()["instances"] if i["id"] == instance_id), None)


def events(cluster: EmbeddedCluster) -> list[tuple[str, str | None]]:
    return [(e["event"], e["instance"]) for e in cluster.snapshot()["events"]]


def test_killed_instance_is_skipped_and_replaced(
    make_cluster: Callable[..., EmbeddedCluster], client: httpx.Client, wait_until: WaitUntil
) -> None:
    cluster = make_cluster(ClusterSettings.fixed(3, health_interval=0.2, scale_interval=0.2))
    victim = cluster.snapshot()["instances"][1]
    os.kill(victim["pid"], signal.SIGKILL)
    # Requests racing the kill are retried on another instance (connection refused is safe).
    racing = [client.get(f"{cluster.url}/ping") for _ in range(6)]
    assert [r.status_code for r in racing] == [200] * 6
    wait_until(lambda: instance(cluster, victim["id"]) is None, what="victim removed")
    after = [client.get(f"{cluster.url}/ping") for _ in range(30)]
    assert [r.status_code for r in after] == [200] * 30
    assert victim["port"] not in {r.json()["port"] for r in after}
    assert ("exited", victim["id"]) in events(cluster)
    # The cluster keeps its size: a replacement starts and joins the rotation.
    wait_until(
        lambda: [i["state"] for i in cluster.snapshot()["instances"]] == ["ready"] * 3,
        within=20,
        what="replacement ready",
    )
    ports = {client.get(f"{cluster.url}/ping").json()["port"] for _ in range(6)}
    assert len(ports) == 3


def test_unresponsive_instance_leaves_the_rotation_and_comes_back(
    make_cluster: Callable[..., EmbeddedCluster], client: httpx.Client, wait_until: WaitUntil
) -> None:
    settings = ClusterSettings.fixed(2, health_interval=0.2, health_timeout=0.3)
    cluster = make_cluster(settings)
    frozen, other = cluster.snapshot()["instances"]
    os.kill(frozen["pid"], signal.SIGSTOP)
    try:
        wait_until(
            lambda: instance(cluster, frozen["id"])["state"] == "unhealthy",  # type: ignore[index]
            what="frozen instance marked unhealthy",
        )
        ports = {client.get(f"{cluster.url}/ping").json()["port"] for _ in range(10)}
        assert ports == {other["port"]}
    finally:
        os.kill(frozen["pid"], signal.SIGCONT)
    wait_until(
        lambda: instance(cluster, frozen["id"])["state"] == "ready",  # type: ignore[index]
        what="thawed instance back in rotation",
    )
    ports = {client.get(f"{cluster.url}/ping").json()["port"] for _ in range(10)}
    assert ports == {frozen["port"], other["port"]}
    assert ("unhealthy", frozen["id"]) in events(cluster)
    assert ("healthy", frozen["id"]) in events(cluster)
