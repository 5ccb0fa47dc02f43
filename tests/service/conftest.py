"""Fixtures for the service: its app under a real uvicorn on 127.0.0.1, real httpx clients."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from loadgui.service.app import create_service_app
from loadgui.service.registry import RunRegistry
from mock_server.embedded import EmbeddedMockServer
from mock_server.settings import MockSettings
from mock_server.threaded_server import ThreadedServer

FINISHED = ("completed", "stopped", "failed")


class Service:
    """One service app served from a thread, with a client and helpers for its endpoints."""

    def __init__(self, registry: RunRegistry, **app_options: Any):
        self.registry = registry
        self.server = ThreadedServer(create_service_app(registry, **app_options), lifespan="on")
        self.server.start()
        self.client = httpx.Client(base_url=self.server.url, trust_env=False, timeout=10.0)

    def trigger(self, profile: dict[str, Any] | None = None) -> str:
        response = self.client.post("/trigger", json=profile)
        assert response.status_code == 202, response.text
        return response.json()["request_id"]

    def status(self, run_id: str, **params: str) -> dict[str, Any]:
        response = self.client.get(f"/status/{run_id}", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def wait_finished(self, run_id: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while (status := self.status(run_id))["status"] not in FINISHED:
            assert time.monotonic() < deadline, f"run still {status['status']} after {timeout} s"
            time.sleep(0.05)
        return status

    def csv_rows(self, run_id: str) -> list[dict[str, str]]:
        response = self.client.get(f"/runs/{run_id}/csv")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        return list(csv.DictReader(io.StringIO(response.text, newline="")))

    def close(self) -> None:
        self.client.close()
        self.server.stop(timeout=15.0)  # its lifespan's end stops the runs still going


@pytest.fixture
def start_service() -> Iterator[Callable[..., Service]]:
    """Start services: start_service(max_runs=, history=, token=, latencies_limit=,
    default_profile=)."""
    started: list[Service] = []

    def start(*, max_runs: int = 4, history: int = 100, **app_options: Any) -> Service:
        service = Service(RunRegistry(max_runs=max_runs, history=history), **app_options)
        started.append(service)
        return service

    yield start
    for service in started:
        service.close()


@pytest.fixture
def service(start_service: Callable[..., Service]) -> Service:
    return start_service()


@pytest.fixture(scope="session")
def slow_mock() -> Iterator[EmbeddedMockServer]:
    """Answers /test after 0.2 s: a run against it lasts, without loading the machine."""
    server = EmbeddedMockServer(MockSettings(min_latency=0.2, max_latency=0.2, error_rate=0))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def long_profile(slow_mock: EmbeddedMockServer) -> dict[str, Any]:
    """A profile that runs until stopped (bounded at 30 s), gently."""
    return {"target": {"base_url": slow_mock.url}, "load": {"concurrency": 2},
            "retry": {"retries": 0}, "limits": {"duration": 30}}
