"""`loadgui run`'s flags for how requests travel: connection policy, HTTP/2, TLS, proxy."""

from __future__ import annotations

import argparse

from loadgui.profile_sections import Target
from loadgui.profile_transport import CONNECTION_POLICIES


def add_transport_arguments(target: argparse._ArgumentGroup) -> None:
    target.add_argument("--connection", choices=CONNECTION_POLICIES,
                        help="keep-alive (default: reuse the connection), close (ask the "
                             "server to close it after each response) or new (a fresh "
                             "connection per attempt, its connect time in the latency)")
    target.add_argument("--http2", action="store_true",
                        help="offer HTTP/2 (httpx client; over http:// as h2c)")
    target.add_argument("--insecure", action="store_true",
                        help="do not verify the server's TLS certificate (httpx client)")
    target.add_argument("--cert", metavar="FILE",
                        help="client certificate, PEM (with its key unless --key)")
    target.add_argument("--key", metavar="FILE", help="the client certificate's key, PEM")
    target.add_argument("--proxy", metavar="URL",
                        help="send through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT "
                             "(httpx client; the environment's proxy is never used)")


def apply_transport_arguments(args: argparse.Namespace, target: Target) -> None:
    """The transport flags given, on top of the profile's target."""
    if args.connection is not None:
        target.connection = args.connection
    if args.http2:
        target.http2 = True
    if args.insecure:
        target.verify_tls = False
    if args.cert is not None:
        target.client_cert = args.cert
    if args.key is not None:
        target.client_key = args.key
    if args.proxy is not None:
        target.proxy = args.proxy
