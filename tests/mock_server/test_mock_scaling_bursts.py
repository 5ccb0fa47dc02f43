"""Bursts that arrive across scale-down and scale-up: scaling may queue a request, never fail it.

The proxy used to expire connections to its instances after 3 s idle, and httpcore can close a
connection it has just handed to a request (encode/httpcore#1110): a POST arriving when a
connection crossed that age failed with a 502 after the instance had it. The proxy now never
closes an idle connection to a live instance; the connection count across an idle gap shows it
without waiting for the race.
"""

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from mock_server.cluster import EmbeddedCluster
from mock_server.settings import ClusterSettings

WaitUntil = Callable[..., None]
BURST = 80
WORK = {"kind": "io", "seconds": 0.3}
OLD_EXPIRY = 3.0  # what the proxy once closed idle connections after
_TCP_TABLES = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
_ESTABLISHED = "01"


def connections_to(ports: set[int]) -> dict[int, int] | None:
    """Open TCP connections to each of these local ports (None where /proc/net is missing)."""
    if not _TCP_TABLES[0].exists():
        return None
    counts = dict.fromkeys(ports, 0)
    for table in _TCP_TABLES:
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port in counts and fields[3] == _ESTABLISHED:
                counts[remote_port] += 1
    return counts


def burst(url: str) -> list[int]:
    """BURST simultaneous POST /solve on fresh connections; their status codes."""

    async def run() -> list[int]:
        limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=BURST)
        async with httpx.AsyncClient(trust_env=False, timeout=30, limits=limits) as http:
            answers = await asyncio.gather(
                *(http.post(f"{url}/solve", json=WORK) for _ in range(BURST))
            )
        return [answer.status_code for answer in answers]

    return asyncio.run(run())


def test_bursts_across_scale_down_and_scale_up_are_all_served(
    make_cluster: Callable[..., EmbeddedCluster], wait_until: WaitUntil
) -> None:
    settings = ClusterSettings(
        min_instances=2,
        max_instances=4,
        target_concurrency=10,
        instance_concurrency=20,  # a burst fills both instances and queues: it scales up
        cold_start=0.2,
        cool_down=0.5,
        scale_interval=0.1,
        health_interval=0.3,  # between bursts, health checks are the proxy's only requests
    )
    cluster = make_cluster(settings)

    def ports() -> set[int]:
        return {i["port"] for i in cluster.snapshot()["instances"]}

    def count(event: str) -> int:
        return [e["event"] for e in cluster.snapshot()["events"]].count(event)

    statuses = burst(cluster.url)
    burst_ended = time.monotonic()
    held_before = connections_to(ports())
    wait_until(lambda: len(ports()) == 2, within=10, what="scaled down to 2 instances")
    # Idle past the old expiry: connections to the instances that stay must stay open.
    time.sleep(max(0.0, OLD_EXPIRY + 0.5 - (time.monotonic() - burst_ended)))
    held_after = connections_to(ports())
    scale_downs = count("scale_down")
    statuses += burst(cluster.url)
    # The next burst arrives as soon as the autoscaler retires one of the instances it added.
    wait_until(lambda: count("scale_down") > scale_downs, within=10, what="scaling down again")
    statuses += burst(cluster.url)

    assert statuses == [200] * 3 * BURST
    kinds = [e["event"] for e in cluster.snapshot()["events"]]
    assert "scale_down" in kinds
    assert "scale_up" in kinds[kinds.index("scale_down") :]  # down, then up again
    assert "stopped" in kinds
    if held_before is not None and held_after is not None:
        kept = {p: (held_before[p], n) for p, n in held_after.items() if p in held_before}
        assert kept, "no instance lasted from the first burst to the second"
        # The burst left several idle connections (not just the health check's) to close.
        assert max(before for before, _ in kept.values()) > 1
        closed = {p: pair for p, pair in kept.items() if pair[1] < pair[0]}
        assert not closed, f"proxy closed idle connections (port: before, after): {closed}"
