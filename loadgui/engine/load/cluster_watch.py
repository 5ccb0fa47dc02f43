"""When the target is a loadgui-mock cluster (it answers GET /_cluster), follow it during
the run: instances over time and requests served per instance, for the report.

One probe goes to `/_cluster` when a run starts; a target that does not answer it as a
cluster is never asked again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import httpx

from loadgui.engine.stats.report import ClusterFigures

POLL_PERIOD_S = 0.5
HISTORY = 7200  # samples kept (an hour at 2 Hz)


class ClusterWatch:
    def __init__(self, base_url: str, period: float = POLL_PERIOD_S):
        self._url = base_url.rstrip("/") + "/_cluster"
        self._period = period
        self._t: list[float] = []
        self._ready: list[int] = []
        self._total: list[int] = []
        self._served: dict[str, int] = {}

    async def watch(self, clock: Callable[[], float],
                    started_at: Callable[[], float | None]) -> None:
        """Poll until cancelled; returns at once when the target is not a mock cluster."""
        async with httpx.AsyncClient(timeout=1.0, trust_env=False) as client:
            while True:
                report = await self._fetch(client)
                if report is None:
                    return
                t0 = started_at()
                self._record(0.0 if t0 is None else max(0.0, clock() - t0), report)
                await asyncio.sleep(self._period)

    async def _fetch(self, client: httpx.AsyncClient) -> dict[str, Any] | None:
        with contextlib.suppress(httpx.HTTPError, ValueError):
            response = await client.get(self._url)
            if response.status_code == 200:
                body = response.json()
                if isinstance(body, dict) and isinstance(body.get("instances"), list):
                    return body
        return None

    def _record(self, t: float, report: dict[str, Any]) -> None:
        instances = [i for i in report["instances"] if isinstance(i, dict)]
        self._t.append(t)
        self._ready.append(sum(1 for i in instances if i.get("state") == "ready"))
        self._total.append(len(instances))
        for instance in instances:
            self._served[str(instance.get("id"))] = int(instance.get("served", 0))
        del self._t[:-HISTORY], self._ready[:-HISTORY], self._total[:-HISTORY]

    def figures(self) -> ClusterFigures | None:
        if not self._t:
            return None
        return ClusterFigures(tuple(self._t), tuple(self._ready), tuple(self._total),
                              dict(self._served))
