"""Load generators measured by the benchmarks, one per run of this file, in its own process.

`python bench/loops.py NAME URL CONCURRENCY SECONDS` prints one JSON object:
{"requests", "elapsed", "rps", "p50_ms", "p99_ms", "errors"}.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadgui.engine import Run
from loadgui.engine.http.fast_client import FastClient
from loadgui.engine.http.httpx_client import shared_ssl_context
from loadgui.profile import Profile

Send = Callable[[], Awaitable[bool]]  # one request; True when it succeeded


def summary(latencies: list[float], elapsed: float, errors: int) -> dict:
    values = np.array(latencies) * 1000
    p50, p99 = np.percentile(values, [50, 99]) if len(values) else (None, None)
    return {"requests": len(latencies) + errors, "elapsed": round(elapsed, 3),
            "rps": round((len(latencies) + errors) / elapsed, 1),
            "p50_ms": None if p50 is None else round(float(p50), 3),
            "p99_ms": None if p99 is None else round(float(p99), 3), "errors": errors}


async def closed_loop(make_send: Callable[[], tuple[Send, Callable[[], Awaitable]]],
                      concurrency: int, seconds: float) -> dict:
    """`concurrency` workers, each sending back to back until `seconds` have passed."""
    latencies: list[float] = []
    errors = 0
    clock = time.perf_counter

    async def worker(deadline: float) -> None:
        nonlocal errors
        send, close = make_send()
        try:
            while clock() < deadline:
                start = clock()
                if await send():
                    latencies.append(clock() - start)
                else:
                    errors += 1
        finally:
            await close()

    started = clock()
    await asyncio.gather(*(worker(started + seconds) for _ in range(concurrency)))
    return summary(latencies, clock() - started, errors)


async def httpx_reference(url: str, concurrency: int, seconds: float) -> dict:
    """Raw httpx: one AsyncClient per worker with a pool of one, one shared SSLContext."""
    import httpx

    context = shared_ssl_context()

    def make() -> tuple[Send, Callable[[], Awaitable]]:
        client = httpx.AsyncClient(verify=context, trust_env=False,
                                   limits=httpx.Limits(max_connections=1,
                                                       max_keepalive_connections=1))

        async def send() -> bool:
            try:
                response = await client.get(url)
            except httpx.HTTPError:
                return False
            return response.status_code == 200

        return send, client.aclose

    return await closed_loop(make, concurrency, seconds)


async def aiohttp_loop(url: str, concurrency: int, seconds: float) -> dict:
    """Raw aiohttp: one ClientSession per worker with a connector limited to one connection."""
    import aiohttp

    def make() -> tuple[Send, Callable[[], Awaitable]]:
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1),
                                        timeout=aiohttp.ClientTimeout(total=10))

        async def send() -> bool:
            try:
                async with session.get(url) as response:
                    await response.read()
                    return response.status == 200
            except aiohttp.ClientError:
                return False

        return send, session.close

    return await closed_loop(make, concurrency, seconds)


async def fast_client_loop(url: str, concurrency: int, seconds: float) -> dict:
    """Raw FastClient, no engine around it."""

    def make() -> tuple[Send, Callable[[], Awaitable]]:
        client = FastClient(url, timeout=10)
        headers: dict[str, str] = {}

        async def send() -> bool:
            outcome = await client.send("GET", url, headers, None)
            return outcome.status == 200

        return send, client.aclose

    return await closed_loop(make, concurrency, seconds)


async def engine(url: str, concurrency: int, seconds: float, fast: bool) -> dict:
    """loadgui's Run, in process, with the default httpx client or with FastClient."""
    profile = Profile()
    base, _, path = url.partition("//")[2].partition("/")
    profile.target.base_url = f"http://{base}"
    profile.target.endpoint = "/" + path
    profile.load.concurrency = concurrency
    profile.retry.retries = 0
    profile.limits.duration = seconds
    if fast:
        profile.target.client = "fast"
    run = Run(profile)
    report = await run.run()
    return {"requests": report.requests, "elapsed": round(report.elapsed, 3),
            "rps": round(report.rps, 1), "p50_ms": round(report.latency.p50 * 1000, 3),
            "p99_ms": round(report.latency.p99 * 1000, 3),
            "errors": report.requests - report.successes}


LOOPS: dict[str, Callable[[str, int, float], Awaitable[dict]]] = {
    "httpx": httpx_reference,
    "aiohttp": aiohttp_loop,
    "fast": fast_client_loop,
    "engine-httpx": lambda u, c, s: engine(u, c, s, fast=False),
    "engine-fast": lambda u, c, s: engine(u, c, s, fast=True),
}


def main() -> None:
    name, url, concurrency, seconds = sys.argv[1:5]
    result = asyncio.run(LOOPS[name](url, int(concurrency), float(seconds)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
