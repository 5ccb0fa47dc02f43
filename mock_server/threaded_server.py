"""Run any ASGI app under uvicorn in a daemon thread, on a socket bound up front."""

from __future__ import annotations

import errno
import socket
import threading
import time
from types import TracebackType
from typing import Literal, Self

import uvicorn
from starlette.types import ASGIApp

from mock_server.addresses import http_url


class MockServerError(OSError):
    """A mock server could not start or stop; the message is one readable line."""


def bind_listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port; port 0 picks a free port.

    Raises MockServerError with a one-line message when the address cannot be used.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise MockServerError(f"cannot resolve host {host!r}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        # Lets a restarted server reuse a port whose old connections sit in TIME_WAIT;
        # a port with a live listener still fails with EADDRINUSE on Linux and macOS.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise MockServerError(f"port {port} on {host} is already in use") from None
        raise MockServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(False)
    return sock


class StartStop:
    """`with server:` starts it and stops it; subclasses give start() and stop()."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class ThreadedServer(StartStop):
    """uvicorn serving `app` from a daemon thread. `start()` returns once it accepts requests;
    `with ThreadedServer(app) as server:` starts it and stops it.

    `keep_alive`: seconds an idle keep-alive connection stays open before the server closes it.
    """

    def __init__(
        self,
        app: ASGIApp,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        lifespan: Literal["on", "off"] = "off",
        keep_alive: int = 5,
    ) -> None:
        self._app = app
        self._host = host
        self._requested_port = port
        self._lifespan: Literal["on", "off"] = lifespan
        self._keep_alive = keep_alive
        self._port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        """The bound port (the free one picked for port 0); the requested port before start."""
        return self._port if self._port is not None else self._requested_port

    @property
    def url(self) -> str:
        return http_url(self._host, self.port)

    @property
    def running(self) -> bool:
        return (
            self._server is not None
            and self._server.started
            and not self._server.should_exit
            and self._thread is not None
            and self._thread.is_alive()
        )

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise MockServerError(f"server on {self.url} is already started")
        sock = bind_listening_socket(self._host, self._requested_port)
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app,
            log_config=None,  # keep the host process's logging setup as it is
            log_level="warning",
            access_log=False,
            lifespan=self._lifespan,
            ws="none",
            timeout_keep_alive=self._keep_alive,
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{self._port}", daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                self._forget()
                sock.close()
                raise MockServerError(f"server on {self.url} stopped while starting")
            if time.monotonic() > deadline:
                self.stop()
                raise MockServerError(f"server on {self.url} was not ready within {timeout} s")
            time.sleep(0.01)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving and join the thread. Safe to call twice or before start."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(1.0)
        self._forget()
        if thread.is_alive():
            raise MockServerError(f"server thread for {self.url} did not stop within {timeout} s")

    def _forget(self) -> None:
        self._server = None
        self._thread = None
