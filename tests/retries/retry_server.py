"""A server on 127.0.0.1 that answers by script, for the retry and key tests (real uvicorn,
reached by the real httpx client).

- `/script?codes=503,200&ra=1`: the n-th call (counted per script) answers the n-th code of
  the list, cycling; a 429 or 503 carries `Retry-After: <ra>` when `ra` is given.
- `/hang`: answers after 30 s (a run ends before that).
- `/by-key`: answers by the API key sent: a key starting "bad" gets 401, "forbidden" 403,
  "limited" 429, anything else 200. Every key seen is kept, in order.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from mock_server.threaded_server import ThreadedServer

KEY_STATUSES = {"bad": 401, "forbidden": 403, "limited": 429}


@dataclass
class Calls:
    scripts: Counter[str] = field(default_factory=Counter)
    keys: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.scripts.clear()
        self.keys.clear()


def build_app(calls: Calls) -> Starlette:
    async def script(request: Request) -> PlainTextResponse:
        codes = request.query_params["codes"]
        index = calls.scripts[codes]
        calls.scripts[codes] += 1
        statuses = [int(code) for code in codes.split(",")]
        status = statuses[index % len(statuses)]
        headers = {}
        retry_after = request.query_params.get("ra")
        if retry_after is not None and status in (429, 503):
            headers["Retry-After"] = retry_after
        return PlainTextResponse("script", status_code=status, headers=headers)

    async def by_key(request: Request) -> PlainTextResponse:
        key = request.headers.get("authorization", "").removeprefix("Bearer ")
        calls.keys.append(key)
        status = next((code for prefix, code in KEY_STATUSES.items()
                       if key.startswith(prefix)), 200)
        return PlainTextResponse("key", status_code=status)

    async def hang(request: Request) -> PlainTextResponse:
        await asyncio.sleep(30)
        return PlainTextResponse("late")

    return Starlette(routes=[Route("/script", script), Route("/by-key", by_key),
                             Route("/hang", hang)])


@contextmanager
def serve_script() -> Iterator[tuple[str, Calls]]:
    calls = Calls()
    with ThreadedServer(build_app(calls)) as server:
        yield server.url, calls
