"""A mock HTTP API for loadgui to aim at: one instance, or a cluster behind a proxy.

The names below are imported on first use, so that importing a light module of this
package (e.g. mock_server.addresses) does not load FastAPI and uvicorn.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "ClusterSettings": "mock_server.settings",
    "EmbeddedCluster": "mock_server.cluster",
    "EmbeddedMockServer": "mock_server.embedded",
    "MockServerError": "mock_server.embedded",
    "MockSettings": "mock_server.settings",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'mock_server' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
