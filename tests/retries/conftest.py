"""The retry tests' server (retry_server.py): scripted answers, calls counted per key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.retries.retry_server import Calls, serve_script


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Calls]]:
    """(URL, calls) of a script server for this module; a test resets `calls` first."""
    with serve_script() as (url, calls):
        yield url, calls
