"""Every failed request says why in Outcome.message, in both clients: short, stable, and
never showing an API key or a URL password. Servers are raw sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from loadgui.engine import ErrorKind
from loadgui.engine.http import messages
from loadgui.engine.http.seam import Outcome
from loadgui.engine.http.urls import display_url
from loadgui.engine.load.mix import labels_for
from loadgui.profile import Profile
from tests.transport.tls_helpers import free_port  # a port nothing listens on
from tests.transport.transport_helpers import make_client

Reply = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
KINDS = ["fast", "httpx"]
API_KEY = "sk-live-0123456789abcdef"
PASSWORD = "hunter2-password"


def outcome_of(kind: str, reply: Reply | None, url: str = "http://127.0.0.1:{port}/",
               headers: dict[str, str] | None = None) -> Outcome:
    """One GET through a new client of `kind`; to a raw server running `reply` per
    connection, or, without one, to a port nothing listens on. "{port}" in `url` is its port."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert reply is not None
        try:
            await reader.readuntil(b"\r\n\r\n")
            await reply(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def go() -> Outcome:
        server = await asyncio.start_server(handle, "127.0.0.1", 0) if reply else None
        port = server.sockets[0].getsockname()[1] if server else free_port()
        target = url.replace("{port}", str(port))
        client = make_client(kind, target, 2.0)
        try:
            return await client.send("GET", target, dict(headers or {}), None)
        finally:
            await client.aclose()
            if server is not None:
                server.close()
                await asyncio.sleep(0.05)  # the handler sees the close and ends

    outcome = asyncio.run(go())
    assert outcome.status == 0 and outcome.error is not ErrorKind.NONE
    assert 0 < len(outcome.message) <= messages.MAX_LENGTH
    return outcome


async def close_at_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    pass


async def close_mid_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
    await writer.drain()


async def garbled_status(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 two hundred OK\r\nContent-Length: 2\r\n\r\nok")
    await writer.drain()
    await reader.read()


@pytest.mark.parametrize("kind", KINDS)
def test_connection_refused_names_the_address(kind):
    outcome = outcome_of(kind, None, f"http://user:{PASSWORD}@127.0.0.1:{{port}}/")
    assert outcome.error is ErrorKind.CONNECT
    assert outcome.message.startswith("connection refused (127.0.0.1:")
    assert PASSWORD not in outcome.message


@pytest.mark.parametrize("kind", KINDS)
def test_a_close_before_any_answer_and_one_mid_response(kind):
    before = outcome_of(kind, close_at_once)
    # The kinds differ as before: h11 calls an early close a protocol error.
    assert before.error is {"fast": ErrorKind.READ, "httpx": ErrorKind.PROTOCOL}[kind]
    assert before.message == "server closed the connection before answering"
    assert outcome_of(kind, close_mid_body).message == "server closed the connection mid-response"


@pytest.mark.parametrize("kind", KINDS)
def test_an_invalid_response_says_so(kind):
    outcome = outcome_of(kind, garbled_status)
    assert outcome.error is ErrorKind.PROTOCOL
    assert outcome.message.startswith("invalid HTTP response: ")


@pytest.mark.parametrize(("host", "problem"), [
    ("x" * 64 + ".invalid", "label too long"),
    ("a..b.invalid", "empty label"),
    (".".join(["y" * 60] * 5) + ".invalid", "name too long"),
], ids=["64-character label", "empty label", "300 characters"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_host_name_no_resolver_would_take_is_named(kind, host, problem):
    outcome = outcome_of(kind, None, f"http://{host}:{{port}}/")
    assert outcome == Outcome(0, 0, ErrorKind.CONNECT,
                              f"host name '{host[:39]}…' is not valid: {problem}"
                              if len(host) > 40 else f"host name '{host}' is not valid: {problem}")


@pytest.mark.parametrize("kind", KINDS)
def test_an_api_key_with_a_line_break_is_refused_without_showing_it(kind):
    outcome = outcome_of(kind, garbled_status,
                         headers={"Authorization": f"Bearer {API_KEY}\r\nX-Injected: 1"})
    assert outcome.error in (ErrorKind.OTHER, ErrorKind.PROTOCOL)
    assert API_KEY not in outcome.message


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_url_holding_a_password_is_refused_without_showing_it(kind):
    outcome = outcome_of(kind, None, f"http://user:{PASSWORD}@127.0.0.1:{{port}}x/")
    assert outcome.error is ErrorKind.OTHER
    assert "port" in outcome.message.lower()
    assert PASSWORD not in outcome.message


def test_unexpected_errors_show_their_type_without_secrets_or_memory_addresses():
    secrets = messages.secrets_of({"Authorization": f"Bearer {API_KEY}"},
                                  f"http://user:{PASSWORD}@example.com/")
    group = ExceptionGroup("wrapped", [RuntimeError(
        f"header {f'Bearer {API_KEY}'!r} and {PASSWORD} in {object()!r}")])
    message = messages.unexpected(group, secrets)
    assert message == "RuntimeError: header '… …' and … in <object object at 0x…>"
    assert len(messages.unexpected(ValueError("x" * 500), [])) == messages.MAX_LENGTH


@pytest.mark.parametrize(("url", "shown"), [
    ("http://user:pass@host:8000/path?q=1", "http://host:8000/path?q=1"),
    ("https://only-user@host/", "https://host/"),
    ("http://u:p@ss@host", "http://host"),
    ("http://host/users/a@b.com", "http://host/users/a@b.com"),
    ("http://host?next=//x:y@z", "http://host?next=//x:y@z"),
    ("host:8000", "host:8000"),
])
def test_display_url_drops_user_and_password(url, shown):
    assert display_url(url) == shown


def test_target_labels_hold_no_credentials():
    profile = Profile()
    profile.target.base_url = f"http://user:{PASSWORD}@127.0.0.1:8000/"
    profile.target.extra_base_urls = [f"http://:{PASSWORD}@127.0.0.2:8000"]
    assert labels_for(profile)["target"] == ["http://127.0.0.1:8000", "http://127.0.0.2:8000"]
