"""Shared fixtures: real uvicorn servers on 127.0.0.1, never fakes."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

# Must be set before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Runs are saved when they end: never into the developer's own run history. Processes the
# tests start inherit it.
os.environ["LOADGUI_HOME"] = tempfile.mkdtemp(prefix="loadgui-tests-")

from mock_server.embedded import EmbeddedMockServer
from mock_server.settings import MockSettings


@pytest.fixture(scope="session", autouse=True)
def _run_history_home() -> Iterator[None]:
    yield
    shutil.rmtree(os.environ["LOADGUI_HOME"], ignore_errors=True)


@pytest.fixture(scope="session")
def quiet_mock() -> Iterator[EmbeddedMockServer]:
    """A mock server with no latency and no errors, shared by the session. Don't mutate it."""
    server = EmbeddedMockServer(MockSettings(min_latency=0, max_latency=0, error_rate=0))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mock_factory() -> Iterator:
    """Start a mock server with the given settings; all are stopped after the test."""
    started: list[EmbeddedMockServer] = []

    def start(**settings: float) -> EmbeddedMockServer:
        server = EmbeddedMockServer(MockSettings(**settings))
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
