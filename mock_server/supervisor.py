"""Runs the cluster's instances: starts them, checks their health, applies scaling decisions."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from mock_server.autoscaler import InstanceState, ScalingPolicy, decide
from mock_server.instance_process import InstanceProcess
from mock_server.pool import Instance, InstancePool
from mock_server.settings import ClusterSettings, MockSettings
from mock_server.threaded_server import MockServerError

# Consecutive failed (not refused) health checks before an instance leaves the rotation.
_SLOW_FAILURES_TO_UNHEALTHY = 2
_DRAIN_LIMIT = 30.0
LIVE_SETTINGS = ("min_latency", "max_latency", "error_rate", "max_body_bytes")


class ClusterSupervisor:
    """Owns the instance processes. `start`/`close` run on the proxy's loop; `kill_all` is the
    thread-safe last resort that leaves no child behind."""

    def __init__(
        self,
        settings: ClusterSettings,
        instance_settings: MockSettings,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.instance_settings = instance_settings
        self.pool = InstancePool(settings.instance_concurrency, clock)
        self._policy = ScalingPolicy(
            min_instances=settings.min_instances,
            max_instances=settings.max_instances,
            target_concurrency=settings.target_concurrency,
            cool_down=settings.cool_down,
        )
        self._clock = clock
        self._ids = itertools.count(1)
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._processes: list[InstanceProcess] = []
        self._processes_lock = threading.Lock()

    async def start(self, client: httpx.AsyncClient) -> None:
        """Start the minimum number of instances, wait until all serve, then supervise."""
        self._client = client
        launches = [self._launch(cold_start=0.0) for _ in range(self.settings.min_instances)]
        results = await asyncio.gather(*launches, return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise MockServerError(f"cluster did not start: {failures[0]}")
        self.pool.events.add("started", instances=len(results))
        self._spawn_task(self._health_loop())
        self._spawn_task(self._scale_loop())

    async def close(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with self._processes_lock:
            processes = list(self._processes)
        await asyncio.gather(*(asyncio.to_thread(p.stop) for p in processes))

    def kill_all(self) -> None:
        with self._processes_lock:
            processes = list(self._processes)
        for process in processes:
            process.kill()

    def pids(self) -> list[int]:
        """Process ids of instance processes still running."""
        with self._processes_lock:
            return [p.pid for p in self._processes if p.alive and p.pid is not None]

    async def apply_settings(self, settings: MockSettings) -> int:
        """Use `settings` for new instances and send them to the running ones. Returns how many
        running instances took them."""
        self.instance_settings = settings
        running = [i for i in self.pool.instances if i.port is not None]
        results = await asyncio.gather(*(self._send_settings(i) for i in running))
        return sum(results)

    async def _send_settings(self, instance: Instance) -> bool:
        assert self._client is not None
        body = {name: getattr(self.instance_settings, name) for name in LIVE_SETTINGS}
        url = f"http://127.0.0.1:{instance.port}/_settings"
        try:
            response = await self._client.put(url, json=body, timeout=self.settings.health_timeout)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def snapshot(self) -> dict[str, Any]:
        s = self.settings
        policy = {
            "min_instances": s.min_instances,
            "max_instances": s.max_instances,
            "target_concurrency": s.target_concurrency,
            "cold_start": s.cold_start,
            "cool_down": s.cool_down,
            "instance_concurrency": s.instance_concurrency,
        }
        return {**self.pool.snapshot(), "policy": policy}

    def _spawn_task(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _launch(self, cold_start: float) -> Instance:
        instance_id = str(next(self._ids))
        process = InstanceProcess(instance_id, self.instance_settings)
        instance = Instance(process=process, started_at=self._clock())
        with self._processes_lock:
            self._processes.append(process)
        process.spawn()
        self.pool.add(instance)
        self.pool.events.add("starting", instance_id, pid=process.pid)
        try:
            waiting = asyncio.to_thread(process.wait_ready)
            await asyncio.wait_for(waiting, self.settings.start_timeout)
        except (MockServerError, TimeoutError) as exc:
            reason = str(exc) or f"not ready within {self.settings.start_timeout:g} s"
            await self._discard(instance, "failed", reason=reason)
            raise MockServerError(reason) from None
        except asyncio.CancelledError:
            await self._discard(instance, "cancelled")
            raise
        if process.settings != self.instance_settings:  # changed while it was starting
            await self._send_settings(instance)
        remaining = cold_start - (self._clock() - instance.started_at)
        if remaining > 0:
            await asyncio.sleep(remaining)
        await self.pool.set_state(instance, InstanceState.READY)
        self.pool.events.add("ready", instance_id, port=instance.port)
        return instance

    async def _discard(self, instance: Instance, event: str, **detail: Any) -> None:
        await asyncio.to_thread(instance.process.kill)
        await self.pool.remove(instance)
        with self._processes_lock:
            self._processes.remove(instance.process)
        self.pool.events.add(event, instance.instance_id, **detail)

    async def _retire(self, instance: Instance) -> None:
        await self.pool.set_state(instance, InstanceState.DRAINING)
        deadline = self._clock() + _DRAIN_LIMIT
        while instance.in_flight and self._clock() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.to_thread(instance.process.stop)
        await self._discard(instance, "stopped", served=instance.served)

    async def _health_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.health_interval)
            checked = [
                i
                for i in self.pool.instances
                if i.state in (InstanceState.READY, InstanceState.UNHEALTHY)
            ]
            await asyncio.gather(*(self._check(i) for i in checked))

    async def _check(self, instance: Instance) -> None:
        code = instance.process.exit_code
        if code is not None:
            await self._discard(instance, "exited", code=code)
            return
        assert self._client is not None
        url = f"http://127.0.0.1:{instance.port}/health"
        try:
            response = await self._client.get(url, timeout=self.settings.health_timeout)
            healthy = response.status_code == 200
            reason = f"health answered {response.status_code}"
        except httpx.HTTPError as exc:
            healthy = False
            reason = f"health check failed: {type(exc).__name__}"
            if isinstance(exc, httpx.ConnectError):
                instance.failures = _SLOW_FAILURES_TO_UNHEALTHY  # refused: no need to wait
        if healthy:
            instance.failures = 0
            if instance.state is InstanceState.UNHEALTHY:
                await self.pool.set_state(instance, InstanceState.READY)
                self.pool.events.add("healthy", instance.instance_id)
            return
        instance.failures += 1
        if instance.failures >= _SLOW_FAILURES_TO_UNHEALTHY:
            await self.pool.mark_unreachable(instance, reason)

    async def _scale_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.scale_interval)
            decision = decide(self._policy, self.pool.loads(), self.pool.queued, self._clock())
            if decision.start:
                self.pool.events.add(
                    "scale_up",
                    start=decision.start,
                    demand=decision.demand,
                    desired=decision.desired,
                )
                for _ in range(decision.start):
                    self._spawn_task(self._launch_quietly(self.settings.cold_start))
            for instance_id in decision.stop:
                instance = self.pool.get(instance_id)
                if instance is not None:
                    self.pool.events.add("scale_down", instance_id, desired=decision.desired)
                    # Mark it now, before the next tick can choose it again.
                    instance.state = InstanceState.DRAINING
                    self._spawn_task(self._retire(instance))

    async def _launch_quietly(self, cold_start: float) -> None:
        # A failed start is already in the event log; the next tick tries again.
        with contextlib.suppress(MockServerError):
            await self._launch(cold_start)
