"""The client a profile asks for, made behind the seam: callers never import a client."""

from __future__ import annotations

from collections.abc import Callable

from loadgui.engine.http.fast_client import FastClient
from loadgui.engine.http.httpx_client import HttpxClient, shared_ssl_context
from loadgui.engine.http.seam import Client
from loadgui.profile import Profile

ClientFactory = Callable[[str], Client]  # base URL -> a client holding one connection


def client_factory(profile: Profile) -> ClientFactory:
    """One client per worker and target, of the kind the profile names."""
    timeout = profile.target.timeout
    if profile.target.client == "fast":
        return lambda base_url: FastClient(base_url, timeout)
    context = shared_ssl_context()
    return lambda base_url: HttpxClient(context, timeout)
