"""The proxy's view of its instances: state, load, round-robin choice, sticky items, queue.

Everything here runs on the proxy's event loop; the condition variable is the queue in which
requests wait while no instance is free.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mock_server.autoscaler import InstanceLoad, InstanceState
from mock_server.instance_process import InstanceProcess

MAX_EVENTS = 500


class NoInstanceAvailable(Exception):
    """No instance became free within the queue timeout."""


@dataclass(eq=False)
class Instance:
    process: InstanceProcess
    started_at: float
    state: InstanceState = InstanceState.STARTING
    in_flight: int = 0
    served: int = 0
    failures: int = 0
    idle_since: float | None = None

    @property
    def instance_id(self) -> str:
        return self.process.instance_id

    @property
    def port(self) -> int | None:
        return self.process.port


@dataclass
class EventLog:
    """Recent cluster events, oldest first, with times relative to the cluster's start."""

    clock: Callable[[], float]
    origin: float = field(init=False)
    entries: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=MAX_EVENTS))

    def __post_init__(self) -> None:
        self.origin = self.clock()

    def add(self, event: str, instance: str | None = None, **detail: Any) -> None:
        at = round(self.clock() - self.origin, 3)
        self.entries.append({"at": at, "event": event, "instance": instance, **detail})


class InstancePool:
    def __init__(
        self, instance_concurrency: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = instance_concurrency
        self._clock = clock
        self._instances: list[Instance] = []
        self._items: dict[str, Instance] = {}
        self._next = 0
        self._changed = asyncio.Condition()
        self.queued = 0
        self.events = EventLog(clock)

    @property
    def instances(self) -> tuple[Instance, ...]:
        return tuple(self._instances)

    def get(self, instance_id: str) -> Instance | None:
        return next((i for i in self._instances if i.instance_id == instance_id), None)

    def add(self, instance: Instance) -> None:
        self._instances.append(instance)

    async def remove(self, instance: Instance) -> None:
        async with self._changed:
            if instance in self._instances:
                self._instances.remove(instance)
            self._items = {k: v for k, v in self._items.items() if v is not instance}
            self._changed.notify_all()

    async def set_state(self, instance: Instance, state: InstanceState) -> None:
        async with self._changed:
            instance.state = state
            if state is InstanceState.READY and instance.in_flight == 0:
                instance.idle_since = self._clock()
            self._changed.notify_all()

    async def acquire(self, item_id: str | None, timeout: float) -> Instance:
        """Wait (FIFO) for a free ready instance: the item's owner if it has a live one, else the
        next in round-robin order. Raises NoInstanceAvailable after `timeout` seconds."""
        async with self._changed:
            self.queued += 1
            try:
                async with asyncio.timeout(timeout):
                    picked = await self._changed.wait_for(lambda: self._pick(item_id))
            except TimeoutError:
                raise NoInstanceAvailable(f"no instance was free within {timeout:g} s") from None
            finally:
                self.queued -= 1
            assert picked is not None  # wait_for returns once the predicate is truthy
            picked.in_flight += 1
            picked.idle_since = None
            return picked

    async def release(self, instance: Instance, *, served: bool) -> None:
        async with self._changed:
            instance.in_flight -= 1
            if served:
                instance.served += 1
            if instance.in_flight == 0:
                instance.idle_since = self._clock()
            self._changed.notify_all()

    async def mark_unreachable(self, instance: Instance, reason: str) -> None:
        if instance.state is InstanceState.READY:
            await self.set_state(instance, InstanceState.UNHEALTHY)
            self.events.add("unhealthy", instance.instance_id, reason=reason)

    def remember_item(self, item_id: str, instance: Instance) -> None:
        self._items[item_id] = instance

    def loads(self) -> list[InstanceLoad]:
        holders = {id(i) for i in self._items.values()}
        return [
            InstanceLoad(
                instance_id=i.instance_id,
                state=i.state,
                in_flight=i.in_flight,
                idle_since=i.idle_since,
                started_at=i.started_at,
                holds_items=id(i) in holders,
            )
            for i in self._instances
        ]

    def snapshot(self) -> dict[str, Any]:
        items_per_instance: dict[str, int] = {}
        for owner in self._items.values():
            items_per_instance[owner.instance_id] = items_per_instance.get(owner.instance_id, 0) + 1
        return {
            "instances": [
                {
                    "id": i.instance_id,
                    "port": i.port,
                    "pid": i.process.pid,
                    "state": str(i.state),
                    "in_flight": i.in_flight,
                    "served": i.served,
                    "items": items_per_instance.get(i.instance_id, 0),
                }
                for i in self._instances
            ],
            "queued": self.queued,
            "in_flight": sum(i.in_flight for i in self._instances),
            "events": list(self.events.entries),
        }

    def _pick(self, item_id: str | None) -> Instance | None:
        if item_id is not None:
            owner = self._items.get(item_id)
            if owner is not None and owner.state is InstanceState.READY:
                return owner if owner.in_flight < self._limit else None
        count = len(self._instances)
        for offset in range(count):
            index = (self._next + offset) % count
            candidate = self._instances[index]
            if candidate.state is InstanceState.READY and candidate.in_flight < self._limit:
                self._next = (index + 1) % count
                return candidate
        return None
