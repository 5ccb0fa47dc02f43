"""The proxy's pool on a real event loop: round robin, the queue, sticky items.

The instances' processes are never spawned: the pool only routes, it does not talk to them.
"""

import asyncio

import pytest

from mock_server.autoscaler import InstanceState
from mock_server.instance_process import InstanceProcess
from mock_server.pool import Instance, InstancePool, NoInstanceAvailable
from mock_server.settings import MockSettings


async def ready_pool(count: int, concurrency: int = 10) -> tuple[InstancePool, list[Instance]]:
    pool = InstancePool(concurrency)
    instances = [
        Instance(process=InstanceProcess(str(n), MockSettings()), started_at=n)
        for n in range(1, count + 1)
    ]
    for instance in instances:
        pool.add(instance)
        await pool.set_state(instance, InstanceState.READY)
    return pool, instances


def test_round_robin_skips_instances_not_ready() -> None:
    async def scenario() -> list[str]:
        pool, (_, second, _) = await ready_pool(3)
        await pool.set_state(second, InstanceState.UNHEALTHY)
        chosen = []
        for _ in range(4):
            instance = await pool.acquire(None, 1.0)
            chosen.append(instance.instance_id)
            await pool.release(instance, served=True)
        return chosen

    assert asyncio.run(scenario()) == ["1", "3", "1", "3"]


def test_requests_wait_in_the_queue_until_an_instance_is_free() -> None:
    async def scenario() -> None:
        pool, instances = await ready_pool(2, concurrency=1)
        first = await pool.acquire(None, 1.0)
        second = await pool.acquire(None, 1.0)
        assert {first, second} == set(instances)
        waiting = asyncio.create_task(pool.acquire(None, 5.0))
        await asyncio.sleep(0.05)
        assert pool.queued == 1
        assert not waiting.done()
        await pool.release(second, served=True)
        assert await waiting is second
        assert pool.queued == 0
        assert second.served == 1

    asyncio.run(scenario())


def test_queue_times_out_when_nothing_frees_up() -> None:
    async def scenario() -> None:
        pool, _ = await ready_pool(1, concurrency=1)
        await pool.acquire(None, 1.0)
        with pytest.raises(NoInstanceAvailable, match=r"0\.1 s"):
            await pool.acquire(None, 0.1)
        assert pool.queued == 0

    asyncio.run(scenario())


def test_items_stick_to_their_owner_while_it_is_ready() -> None:
    async def scenario() -> None:
        pool, (first, second) = await ready_pool(2)
        pool.remember_item("a", second)
        for _ in range(3):
            owner = await pool.acquire("a", 1.0)
            assert owner is second
            await pool.release(owner, served=True)
        await pool.set_state(second, InstanceState.UNHEALTHY)
        assert await pool.acquire("a", 1.0) is first
        await pool.remove(second)
        assert pool.loads()[0].holds_items is False
        assert pool.snapshot()["instances"][0]["items"] == 0

    asyncio.run(scenario())
