"""The engine tests' fixtures: `run` runs a coroutine on asyncio's own loop and on uvloop;
`live` is tests/live_app.py's server, one per module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from live_app import Seen, serve_live_app
from raw_http import LOOPS, Runner, loop_runner


@pytest.fixture(params=LOOPS)
def run(request: pytest.FixtureRequest) -> Runner[Any]:
    """Runs a coroutine to completion on a new loop: asyncio's own, or uvloop's."""
    return loop_runner(request.param)


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[str, Seen]]:
    """(URL, what it saw) of the live app, shared by a module's tests."""
    with serve_live_app() as (url, seen):
        yield url, seen
