"""Ports and URLs on loadgui's command line and in its messages; imports nothing heavy.

The same two helpers as mock_server.addresses: importing that module loads the whole
mock_server package (its __init__ starts with the cluster, FastAPI and uvicorn), which
`loadgui --help` must not pay for, and mock_server may not import loadgui.
"""

from __future__ import annotations

import argparse


def http_url(host: str, port: int) -> str:
    """http://host:port, with an IPv6 host in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def parse_port(text: str) -> int:
    """An argparse type: a port number from 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 0 and 65535, got {port}")
    return port
