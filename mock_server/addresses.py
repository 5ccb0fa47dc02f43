"""Ports and URLs on the command line and in messages. Imports nothing heavy, so command-line
parsers (loadgui serve's too) can use it at import time."""

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
