"""URLs as people see them: never with the `user:pass@` a URL may carry."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Scheme (optional) and authority; like urlsplit and httpx, the authority ends at / ? or #.
_AUTHORITY = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//([^/?#]*)")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SHOWN_HOST = 40  # characters of a host name quoted in a message


def display_url(url: str) -> str:
    """`url` without the `user:pass@` of its authority: for labels, reports and messages."""
    match = _AUTHORITY.match(url)
    if match is None or "@" not in match.group(1):
        return url
    start, end = match.span(1)
    return url[:start] + match.group(1).rpartition("@")[2] + url[end:]


def userinfo(url: str) -> str:
    """The `user:pass` of `url`, or ""."""
    match = _AUTHORITY.match(url)
    return match.group(1).rpartition("@")[0] if match else ""


def host_and_port(url: str) -> tuple[str, int] | None:
    """The host and port `url` connects to (default port by scheme), or None if unclear."""
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
    except ValueError:
        return None
    return (parts.hostname, port) if parts.hostname else None


def address(host: str, port: int) -> str:
    """host:port as written in a URL, e.g. 127.0.0.1:8000 or [::1]:8000."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def shown_host(host: str) -> str:
    """A host name short enough to quote in a message."""
    return host if len(host) <= _SHOWN_HOST else host[:_SHOWN_HOST - 1] + "…"


def host_problem(host: str) -> str | None:
    """Why a name cannot be looked up under the IDNA rules getaddrinfo applies, or None."""
    if ":" in host:
        return None  # an IPv6 literal
    labels = host.removesuffix(".").split(".")
    if any(len(label) > 63 for label in labels):
        return "label too long"
    if not all(labels):
        return "empty label"
    if len(host) > 253:
        return "name too long"
    return None
