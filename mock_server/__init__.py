"""A mock HTTP API for loadgui to aim at: one instance, or a cluster behind a proxy."""

from mock_server.cluster import EmbeddedCluster
from mock_server.embedded import EmbeddedMockServer, MockServerError
from mock_server.settings import ClusterSettings, MockSettings

__all__ = [
    "ClusterSettings",
    "EmbeddedCluster",
    "EmbeddedMockServer",
    "MockServerError",
    "MockSettings",
]
