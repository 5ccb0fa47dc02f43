"""`loadgui serve`: the trigger/status API under uvicorn, in the foreground until Ctrl+C.

Importing this module is cheap, so the parser may import it at its top; the server's modules
are imported when `run_serve` runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from loadgui.commands.common import EXIT_OK, fail, whole_number
from loadgui.service.defaults import DEFAULT_HISTORY, DEFAULT_MAX_RUNS, LATENCIES_LIMIT
from mock_server.addresses import http_url, parse_port

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8181
TOKEN_ENV = "LOADGUI_SERVE_TOKEN"


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The `serve` flags (this module imports nothing heavy: building the parser stays fast)."""
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}); any address "
                             "other than loopback needs --token")
    parser.add_argument("--port", type=parse_port, default=DEFAULT_PORT,
                        help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--token", default=os.environ.get(TOKEN_ENV),
                        help="require 'Authorization: Bearer TOKEN' on every call (default: "
                             f"${TOKEN_ENV}, which keeps it out of the process list)")
    parser.add_argument("--max-runs", type=whole_number(1), default=DEFAULT_MAX_RUNS, metavar="K",
                        help=f"runs at once; more are refused with 429 (default "
                             f"{DEFAULT_MAX_RUNS})")
    parser.add_argument("--history", type=whole_number(0), default=DEFAULT_HISTORY, metavar="N",
                        help=f"finished runs kept for /status, /runs and CSV (default "
                             f"{DEFAULT_HISTORY}); older ones are forgotten")
    parser.add_argument("--profile", metavar="PATH",
                        help="the profile a POST /trigger without a body runs (read and "
                             "checked at start; it needs limits.total_requests or "
                             "limits.duration); without it, such a trigger is refused")
    parser.epilog = ("/status gives total_time and average_latency in seconds, and the run's "
                     "report (latencies in milliseconds); /status?latencies=true lists at most "
                     f"the {LATENCIES_LIMIT:,} most recent successful latencies, in seconds. "
                     "API docs: http://HOST:PORT/docs")


def run_serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C (every run is stopped, exit 0); a bad address, a free-for-all bind
    or a bad --profile is one line on stderr and exit 2. Failed runs are logged on stderr."""
    import uvicorn

    from loadgui.profile import Profile, ProfileError
    from loadgui.service.app import create_service_app
    from loadgui.service.profiles import require_limits
    from loadgui.service.registry import RunRegistry
    from loadgui.service.registry import logger as service_logger
    from loadgui.service.security import is_loopback_host
    from mock_server.threaded_server import bind_listening_socket

    if args.token is not None and not args.token.strip():
        return fail("--token must not be empty")
    if args.token is None and not is_loopback_host(args.host):
        return fail(f"listening on {args.host} lets other machines start load from this one; "
                    f"give --token (or ${TOKEN_ENV}) or use --host 127.0.0.1")
    default_profile = None
    if args.profile is not None:
        try:
            default_profile = require_limits(Profile.read(args.profile))
        except ProfileError as exc:
            return fail(f"--profile {args.profile}: {exc}")
    try:
        sock = bind_listening_socket(args.host, args.port)
    except OSError as exc:
        return fail(str(exc))
    registry = RunRegistry(max_runs=args.max_runs, history=args.history)
    app = create_service_app(registry, token=args.token, default_profile=default_profile)
    config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False,
                            lifespan="on", ws="none", timeout_graceful_shutdown=1)
    # The socket already listens, so a client that reads this line can connect at once.
    print(f"loadgui: serving on {http_url(args.host, sock.getsockname()[1])} (Ctrl+C stops)",
          flush=True)
    log_handler = _log_to_stderr(service_logger)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl+C it handled, once every run has been stopped
    finally:
        sock.close()
        service_logger.removeHandler(log_handler)
    print("loadgui: stopped", file=sys.stderr)
    return EXIT_OK


def _log_to_stderr(logger: logging.Logger) -> logging.Handler:
    """The service's warnings (a failed run, with its id and reason) as `loadgui: ...` lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("loadgui: %(message)s"))
    logger.addHandler(handler)
    return handler
