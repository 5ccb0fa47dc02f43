"""The three foreground modes of `loadgui-mock`: one instance, a cluster, uvicorn workers."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable

import uvicorn
from uvicorn.supervisors import Multiprocess

from mock_server.addresses import http_url
from mock_server.cluster import EmbeddedCluster
from mock_server.embedded import EmbeddedMockServer
from mock_server.instance_process import ready_line
from mock_server.settings import ClusterSettings, MockSettings
from mock_server.threaded_server import bind_listening_socket

PROG = "loadgui-mock"


def serve_single(
    settings: MockSettings, host: str, port: int, *, watch_stdin: bool, keep_alive: int = 5
) -> None:
    """Serve one instance until SIGINT/SIGTERM (or stdin EOF when watched)."""
    server = EmbeddedMockServer(settings, host=host, port=port, keep_alive=keep_alive)
    server.start()
    try:
        print(ready_line(PROG, server.url), flush=True)
        wait_for_shutdown(lambda: server.running, watch_stdin=watch_stdin)
    finally:
        server.stop()


def serve_cluster(cluster: ClusterSettings, settings: MockSettings, host: str, port: int) -> None:
    """Serve a proxied cluster until SIGINT/SIGTERM; no instance survives the return."""
    server = EmbeddedCluster(settings, cluster, host=host, port=port)
    server.start()
    try:
        if cluster.autoscaling:
            size = f"{cluster.min_instances}-{cluster.max_instances} instances, autoscaling"
        else:
            size = f"{cluster.min_instances} instances"
        print(ready_line(PROG, server.url, size), flush=True)
        wait_for_shutdown(lambda: server.running)
    finally:
        server.stop()


def serve_workers(settings: MockSettings, host: str, port: int, workers: int) -> None:
    """One instance served by `workers` uvicorn worker processes sharing one socket."""
    sock = bind_listening_socket(host, port)
    # Workers are spawned processes: they read their settings from the inherited environment.
    os.environ.update(
        MIN_LATENCY=repr(settings.min_latency),
        MAX_LATENCY=repr(settings.max_latency),
        ERROR_RATE=repr(settings.error_rate),
        MAX_BODY_BYTES=str(settings.max_body_bytes),
        INSTANCE_ID=settings.instance_id,
    )
    config = uvicorn.Config(
        "mock_server.app:create_worker_app",
        factory=True,
        workers=workers,
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="none",
        timeout_graceful_shutdown=1,
    )
    url = http_url(host, sock.getsockname()[1])
    print(ready_line(PROG, url, f"{workers} workers"), flush=True)
    # Multiprocess handles SIGINT/SIGTERM itself and stops its workers before returning.
    Multiprocess(config, sockets=[sock]).run()


def wait_for_shutdown(alive: Callable[[], bool], *, watch_stdin: bool = False) -> None:
    """Block until SIGINT/SIGTERM, stdin EOF (if watched) or `alive()` turning false."""
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    if watch_stdin:
        threading.Thread(target=_set_on_stdin_eof, args=(stop,), daemon=True).start()
    try:
        while not stop.wait(0.1) and alive():
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _set_on_stdin_eof(event: threading.Event) -> None:
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    event.set()
