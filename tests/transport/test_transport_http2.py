"""HTTP/2, TLS options and client certificates against hypercorn on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tls_helpers import hypercorn
from transport_helpers import echoed, run, send_each

from loadgui.engine import Run, RunState
from loadgui.engine.http.factory import run_ssl_context
from loadgui.engine.http.httpx_client import HttpxClient
from loadgui.engine.stats.basics import ErrorKind
from loadgui.profile import Profile
from tests.tls_certificates import self_signed as make_certificate


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("certs")
    server_cert, server_key = make_certificate(folder, "server")
    client_cert, client_key = make_certificate(folder, "client")
    return {"server_cert": server_cert, "server_key": server_key,
            "client_cert": client_cert, "client_key": client_key}


@pytest.fixture(scope="module")
def h2_server(certificates) -> Iterator[tuple[str, str]]:
    """hypercorn's https:// and (h2c) http:// base URLs."""
    with hypercorn(certificates["server_cert"], certificates["server_key"]) as (tls, plain):
        yield f"https://127.0.0.1:{tls}", f"http://127.0.0.1:{plain}"


def httpx_client(base_url: str, *, http2: bool, verify: bool = False, cert: Path | None = None,
                 key: Path | None = None) -> HttpxClient:
    context = run_ssl_context(verify=verify, cert=str(cert) if cert else None,
                              key=str(key) if key else None)
    return HttpxClient(context, 5.0, http2=http2, base_url=base_url)


@pytest.mark.parametrize("http2", [True, False])
def test_http2_over_tls_is_spoken_when_asked(h2_server, http2):
    https, _ = h2_server
    outcomes = run(send_each(httpx_client(https, http2=http2), https + "/echo", 3,
                             capture=True))
    versions = {echoed(o.body)["http_version"] for o in outcomes}
    assert versions == ({"2"} if http2 else {"1.1"})
    assert [o.connect > 0 for o in outcomes] == [True, False, False]


def test_http2_without_tls_is_h2c_with_prior_knowledge(h2_server):
    _, plain = h2_server
    outcomes = run(send_each(httpx_client(plain, http2=True), plain + "/echo", 2,
                             capture=True))
    assert [echoed(o.body)["http_version"] for o in outcomes] == ["2", "2"]


@pytest.mark.parametrize("policy", ["close", "new"])
def test_http2_with_a_connection_per_request(h2_server, policy):
    https, _ = h2_server
    outcomes = run(send_each(httpx_client(https, http2=True), https + "/echo", 3,
                             capture=True, connection=policy))
    assert [o.status for o in outcomes] == [200] * 3
    assert len({echoed(o.body)["port"] for o in outcomes}) == 3
    assert all(o.connect > 0 for o in outcomes)


def test_a_self_signed_certificate_is_refused_while_verifying(h2_server):
    https, _ = h2_server
    [outcome] = run(send_each(httpx_client(https, http2=True, verify=True), https + "/echo", 1))
    assert outcome.error is ErrorKind.CONNECT
    assert outcome.message.startswith("TLS certificate of 127.0.0.1:")
    assert "not trusted" in outcome.message


def test_a_run_with_http2_and_verification_off_through_the_profile(h2_server):
    https, _ = h2_server
    profile = Profile()
    profile.target.base_url = https
    profile.target.endpoint = "/echo"
    profile.target.http2 = True
    profile.target.verify_tls = False
    profile.load.concurrency = 2
    profile.retry.retries = 0
    profile.limits.total_requests = 20
    load = Run(profile.validated())
    snapshot = run(load.run())
    assert load.state is RunState.COMPLETED
    assert snapshot.status_counts == {200: 20}


@pytest.fixture(scope="module")
def mtls_server(certificates) -> Iterator[str]:
    """hypercorn asking for a client certificate signed by (here: being) the client's."""
    with hypercorn(certificates["server_cert"], certificates["server_key"],
                   "--ca-certs", str(certificates["client_cert"]),
                   "--verify-mode", "CERT_REQUIRED") as (tls, _):
        yield f"https://127.0.0.1:{tls}"


def test_a_client_certificate_is_presented(mtls_server, certificates):
    client = httpx_client(mtls_server, http2=True, cert=certificates["client_cert"],
                          key=certificates["client_key"])
    [outcome] = run(send_each(client, mtls_server + "/echo", 1, capture=True))
    assert outcome.status == 200 and echoed(outcome.body)["http_version"] == "2"


def test_without_the_client_certificate_the_server_refuses(mtls_server):
    [outcome] = run(send_each(httpx_client(mtls_server, http2=True), mtls_server + "/echo", 1))
    assert outcome.status == 0 and outcome.error is not ErrorKind.NONE


def test_a_run_presents_the_profiles_client_certificate(mtls_server, certificates):
    profile = Profile()
    profile.target.base_url = mtls_server
    profile.target.endpoint = "/echo"
    profile.target.verify_tls = False
    profile.target.client_cert = str(certificates["client_cert"])
    profile.target.client_key = str(certificates["client_key"])
    profile.retry.retries = 0
    profile.load.concurrency = 2
    profile.limits.total_requests = 10
    load = Run(profile.validated())
    snapshot = run(load.run())
    assert snapshot.status_counts == {200: 10}
    assert snapshot.connect is not None and snapshot.connect.count == 2  # one per worker
