"""Profiles and runs for the retry tests: one worker, exact virtual time."""

from __future__ import annotations

import asyncio

from loadgui.engine import Run
from loadgui.profile import Profile
from tests.engine.virtual_time import VirtualTime

WALL_NOW = 1_780_000_000.0


def script_profile(url: str, endpoint: str, *, retries: int = 3, backoff: float = 0.25,
                   total: int | None = 1, keys: list[str] | None = None,
                   quarantine_after: int = 0,
                   quarantine_rest: float = 60.0, concurrency: int = 1) -> Profile:
    p = Profile()
    p.target.base_url, p.target.endpoint = url, endpoint
    p.retry.retries = retries
    p.retry.backoff = "fixed"
    p.retry.base = backoff
    p.retry.cap = max(backoff, 3.0)
    p.load.concurrency = concurrency
    p.load.pattern = "constant"
    p.limits.total_requests = total
    p.keys.keys = keys or []
    p.keys.quarantine_after = quarantine_after
    p.keys.quarantine_rest = quarantine_rest
    return p


def run_virtual(p: Profile, time: VirtualTime | None = None) -> Run:
    time = time or VirtualTime()
    r = Run(p, clock=time.clock, sleep=time.sleep, wall_clock=lambda: WALL_NOW)
    asyncio.run(r.run())
    return r
