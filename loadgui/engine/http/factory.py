"""The client a profile asks for, made behind the seam: callers never import a client."""

from __future__ import annotations

import ssl
from collections.abc import Callable

from loadgui.engine.http.fast_client import FastClient
from loadgui.engine.http.httpx_client import HttpxClient, shared_ssl_context
from loadgui.engine.http.seam import Client
from loadgui.profile import Profile
from loadgui.profile_transport import check_client_certificate

ClientFactory = Callable[[str], Client]  # base URL -> a client holding one connection


def client_factory(profile: Profile) -> ClientFactory:
    """One client per worker and target, of the kind the profile names."""
    target = profile.target
    timeout = target.timeout
    if target.client == "fast":
        return lambda base_url: FastClient(base_url, timeout)
    context = run_ssl_context(verify=target.verify_tls, cert=target.client_cert,
                              key=target.client_key)
    http2, proxy = target.http2, target.proxy
    return lambda base_url: HttpxClient(context, timeout, http2=http2, proxy=proxy,
                                        base_url=base_url)


def run_ssl_context(*, verify: bool = True, cert: str | None = None,
                    key: str | None = None) -> ssl.SSLContext:
    """The one TLS context of a run's clients: trust, and the client certificate if any.

    The profile has checked the files already; one changed since is a ProfileError here,
    before the run.
    """
    context = shared_ssl_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if cert is not None:
        check_client_certificate(cert, key)
        context.load_cert_chain(cert, key)
    return context
