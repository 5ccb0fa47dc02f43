"""What a request's connection policy (seam.CONNECTION_POLICIES) changes in what is sent."""

from __future__ import annotations

KEEP_ALIVE, CLOSE, NEW = "keep-alive", "close", "new"


def closing(headers: dict[str, str]) -> dict[str, str]:
    """`headers` asking the server to close the connection after its response.

    Replaces a Connection header of the profile's own, whatever its case.
    """
    kept = {name: value for name, value in headers.items() if name.lower() != "connection"}
    kept["Connection"] = "close"
    return kept
