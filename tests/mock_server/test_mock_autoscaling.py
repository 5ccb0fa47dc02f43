"""The autoscaler live: a burst of CPU-bound work grows the cluster, quiet shrinks it back.

Asserts structure (counts, limits, events), not timings: the machine may have only 2 cores.
"""

import asyncio
from collections.abc import Callable

import httpx

from mock_server.cluster import EmbeddedCluster
from mock_server.settings import ClusterSettings

WaitUntil = Callable[..., None]


def most_alive_at_once(events: list[dict[str, object]]) -> int:
    alive = peak = 0
    for event in events:
        if event["event"] == "starting":
            alive += 1
        elif event["event"] in {"stopped", "exited", "failed", "cancelled"}:
            alive -= 1
        peak = max(peak, alive)
    return peak


def test_burst_grows_the_cluster_within_limits_then_it_shrinks(
    make_cluster: Callable[..., EmbeddedCluster], wait_until: WaitUntil
) -> None:
    settings = ClusterSettings(
        min_instances=2,
        max_instances=4,
        target_concurrency=2,
        instance_concurrency=2,
        cold_start=0.2,
        cool_down=0.5,
        scale_interval=0.1,
        health_interval=0.5,
    )
    cluster = make_cluster(settings)
    sizes: list[int] = []
    queued: list[int] = []

    async def burst() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(trust_env=False, timeout=60, limits=limits) as http:

            async def watch() -> None:
                while True:
                    report = (await http.get(f"{cluster.url}/_cluster")).json()
                    sizes.append(len(report["instances"]))
                    queued.append(report["queued"])
                    await asyncio.sleep(0.05)

            watcher = asyncio.create_task(watch())
            work = {"kind": "cpu", "size": 20_000}
            try:
                return await asyncio.gather(
                    *(http.post(f"{cluster.url}/solve", json=work) for _ in range(100))
                )
            finally:
                watcher.cancel()

    responses = asyncio.run(burst())
    assert [r.status_code for r in responses] == [200] * 100
    assert all(r.json()["primes"] == 2262 for r in responses)
    kinds = [e["event"] for e in cluster.snapshot()["events"]]
    assert "scale_up" in kinds
    assert max(sizes) > 2
    assert max(sizes) <= 4
    assert max(queued) > 0  # 2 per instance at most: the rest waited in the proxy
    wait_until(
        lambda: len(cluster.snapshot()["instances"]) == 2, within=30, what="back to 2 instances"
    )
    events = cluster.snapshot()["events"]
    assert most_alive_at_once(events) <= 4
    assert "scale_down" in [e["event"] for e in events]
    assert [i["state"] for i in cluster.snapshot()["instances"]] == ["ready", "ready"]
    assert_cold_start_respected(events, settings.cold_start, initial={"1", "2"})


def assert_cold_start_respected(
    events: list[dict[str, object]], cold_start: float, initial: set[str]
) -> None:
    started = {e["instance"]: e["at"] for e in events if e["event"] == "starting"}
    ready = {e["instance"]: e["at"] for e in events if e["event"] == "ready"}
    scaled = set(ready) - initial
    assert scaled
    for name in scaled:
        assert ready[name] - started[name] >= cold_start  # type: ignore[operator]
