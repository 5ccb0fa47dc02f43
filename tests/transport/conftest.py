"""The transport tests' server: transport_helpers.answer on uvicorn, shared by the session
(it keeps no state between requests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from transport_helpers import answer

from mock_server.threaded_server import ThreadedServer


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The URL of a server answering /echo, /status/N, /gzip and /repeat (see answer)."""
    server = ThreadedServer(answer)
    server.start(10.0)
    yield server.url
    server.stop(5.0)
