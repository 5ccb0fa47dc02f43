"""EmbeddedMockServer: one mock instance served from a background thread of this process."""

from __future__ import annotations

from mock_server.app import create_app
from mock_server.settings import MockSettings
from mock_server.threaded_server import MockServerError, StartStop, ThreadedServer

__all__ = ["EmbeddedMockServer", "MockServerError"]


class EmbeddedMockServer(StartStop):
    """A mock instance on `host:port` (port 0 picks a free one), started and stopped in-process.

    `settings` is read per request: mutate it or assign a new MockSettings while running.
    `keep_alive` is how many seconds an idle keep-alive connection stays open.
    """

    def __init__(
        self,
        settings: MockSettings | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        keep_alive: int = 5,
    ) -> None:
        self._app = create_app(settings if settings is not None else MockSettings())
        self._server = ThreadedServer(self._app, host, port, keep_alive=keep_alive)

    @property
    def settings(self) -> MockSettings:
        settings: MockSettings = self._app.state.settings
        return settings

    @settings.setter
    def settings(self, settings: MockSettings) -> None:
        settings.validate()
        self._app.state.settings = settings

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def running(self) -> bool:
        return self._server.running

    def start(self, timeout: float = 10.0) -> None:
        """Bind, serve from a daemon thread, return once ready. Raises MockServerError."""
        self._server.start(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and join; in-flight requests get about 1 s to finish. Idempotent."""
        self._server.stop(timeout)
