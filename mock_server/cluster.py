"""EmbeddedCluster: mock instances in child processes behind a proxy served from this process."""

from __future__ import annotations

import weakref
from typing import Any

import httpx

from mock_server.addresses import http_url
from mock_server.proxy import create_proxy_app
from mock_server.settings import ClusterSettings, MockSettings
from mock_server.supervisor import LIVE_SETTINGS, ClusterSupervisor
from mock_server.threaded_server import MockServerError, StartStop, ThreadedServer


class EmbeddedCluster(StartStop):
    """A cluster of mock instances (separate processes) behind a round-robin proxy on
    `host:port`, started and stopped like EmbeddedMockServer.

    The proxy runs in a daemon thread of this process; instances listen on 127.0.0.1 free ports.
    No instance outlives `stop()`, the garbage collection of this object, or this process.
    """

    def __init__(
        self,
        settings: MockSettings | None = None,
        cluster: ClusterSettings | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._settings = settings if settings is not None else MockSettings()
        self.cluster_settings = cluster if cluster is not None else ClusterSettings()
        self._host = host
        self._requested_port = port
        self._bound_port: int | None = None
        self._supervisor: ClusterSupervisor | None = None
        self._server: ThreadedServer | None = None

    @property
    def settings(self) -> MockSettings:
        """The instances' settings. Assign new ones to apply them live to every instance;
        changing a field in place does not reach the instance processes."""
        return self._settings

    @settings.setter
    def settings(self, settings: MockSettings) -> None:
        settings.validate()
        self._settings = settings
        if not self.running:
            return
        changes = {name: getattr(settings, name) for name in LIVE_SETTINGS}
        try:
            with httpx.Client(trust_env=False, timeout=10.0) as client:
                response = client.put(f"{self._reachable_url}/_cluster/settings", json=changes)
        except httpx.HTTPError as exc:
            raise MockServerError(f"cannot reach the cluster's proxy: {exc}") from None
        if response.status_code != 200:
            raise MockServerError(f"cluster refused the settings: {response.text}")

    @property
    def port(self) -> int:
        """The proxy's port: the free one picked for port 0 once started (kept after stop)."""
        if self._server is not None:
            return self._server.port
        return self._bound_port if self._bound_port is not None else self._requested_port

    @property
    def url(self) -> str:
        return http_url(self._host, self.port)

    @property
    def running(self) -> bool:
        return self._server is not None and self._server.running

    def start(self, timeout: float = 60.0) -> None:
        """Bind the proxy, start the minimum number of instances, return once all serve."""
        if self._server is not None:
            raise MockServerError(f"cluster on {self.url} is already started")
        supervisor = ClusterSupervisor(self.cluster_settings, self._settings)
        app = create_proxy_app(supervisor)
        server = ThreadedServer(app, self._host, self._requested_port, lifespan="on")
        # Even if stop() is never called, no instance outlives this object or the process.
        finalizer = weakref.finalize(self, supervisor.kill_all)
        self._supervisor, self._server, self._finalizer = supervisor, server, finalizer
        try:
            server.start(timeout)
        except MockServerError:
            self.stop()
            raise
        error = app.state.startup_error
        if error is not None:
            self.stop()
            raise MockServerError(str(error))

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the proxy and every instance, and reap them. Idempotent."""
        server, supervisor = self._server, self._supervisor
        self._server = self._supervisor = None
        if server is None or supervisor is None:
            return
        self._bound_port = server.port
        try:
            server.stop(timeout)
        finally:
            supervisor.kill_all()
            self._finalizer.detach()

    @property
    def _reachable_url(self) -> str:
        # A proxy listening on every address is reachable on loopback.
        wildcard = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}
        host = wildcard.get(self._host, self._host)
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    def pids(self) -> list[int]:
        """Process ids of the instance processes now running."""
        return self._supervisor.pids() if self._supervisor is not None else []

    def snapshot(self) -> dict[str, Any]:
        """What GET /_cluster reports: instances, queue, events, policy."""
        if self._supervisor is None:
            return {"instances": [], "queued": 0, "in_flight": 0, "events": []}
        return self._supervisor.snapshot()
