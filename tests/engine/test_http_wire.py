"""What each client puts on the wire for the same URL, read by a raw socket server on 127.0.0.1:
FastClient must send what httpx sends (target encoding, Host, Basic auth from the URL)."""

from __future__ import annotations

import asyncio
from base64 import b64encode

import httpx
import pytest
from raw_http import Seen, answering, raw_server

from loadgui.engine.http.fast_request import request_target
from loadgui.engine.http.seam import Outcome
from tests.transport.transport_helpers import make_client

PATHS = [
    "/a b/é?q=a b&x=é#fragment",
    "/x/../y/./z?a=<b>&c=\"d\"&e=`{f}`",
    "/%7Euser/%zz/100%?%41=1&sp=%20",
    "?only=a-query",
    "",
    "/ünïcode/路径?键=值",
    "/.well-known/thing",
    "/{braces}/[brackets]/pipe|caret^back\\slash",
    "/items/42?fields=a,b;c=d&e=f:g@h!$'()*+~",
]


def heads_sent(kind: str, urls: list[str], headers: dict[str, str] | None = None
               ) -> tuple[list[Outcome], list[dict[str, str]]]:
    """Send GET to each URL (written with "{port}" for the server's port) with one client of
    `kind`; the outcomes and, per request, its request line and headers as the server read
    them, "{port}" again in place of the port."""

    async def go() -> tuple[list[Outcome], Seen]:
        async with raw_server(answering(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                              ) as seen:
            port = seen.url.rpartition(":")[2]
            client = make_client(kind, seen.url, 2.0)
            try:
                return [await client.send("GET", url.replace("{port}", port),
                                          dict(headers or {}), None)
                        for url in urls], seen
            finally:
                await client.aclose()

    outcomes, seen = asyncio.run(go())
    port = seen.url.rpartition(":")[2]
    return outcomes, [parsed_head(head, port) for head in seen.heads]


def parsed_head(head: bytes, port: str) -> dict[str, str]:
    """A request's line and headers (repeated ones joined), "{port}" in place of the port."""
    line, *fields = head.decode("latin-1").removesuffix("\r\n\r\n").split("\r\n")
    parsed = {"request line": line}
    for name, _, value in (f.partition(": ") for f in fields):
        key = name.lower()
        value = value.replace(f":{port}", ":{port}")
        parsed[key] = f"{parsed[key]}, {value}" if key in parsed else value
    return parsed


def test_targets_are_percent_encoded_as_httpx_does():
    urls = ["http://127.0.0.1:{port}" + path for path in PATHS]
    fast_outcomes, fast = heads_sent("fast", urls)
    httpx_outcomes, reference = heads_sent("httpx", urls)
    assert fast_outcomes == httpx_outcomes == [Outcome(200, 0)] * len(urls)
    assert [h["request line"] for h in fast] == [h["request line"] for h in reference]
    assert fast[0]["request line"] == "GET /a%20b/%C3%A9?q=a%20b&x=%C3%A9 HTTP/1.1"


@pytest.mark.parametrize("path", PATHS)
def test_request_target_is_httpx_raw_path(path):
    url = "http://example.com" + path
    rest = url[len("http://example.com"):]
    assert request_target(url, rest) == httpx.URL(url).raw_path.decode("ascii")


def test_user_and_password_in_the_url_become_basic_auth_as_in_httpx():
    urls = ["http://us%40er:p%20ss@127.0.0.1:{port}/private",
            "http://only-user@127.0.0.1:{port}/private",
            "http://:only-password@127.0.0.1:{port}/private",
            "http://127.0.0.1:{port}/public"]
    # A profile's own Authorization header gives way to the URL's, as httpx has it.
    headers = {"authorization": "Bearer profile-key"}
    fast_outcomes, fast = heads_sent("fast", urls, headers)
    httpx_outcomes, reference = heads_sent("httpx", urls, headers)
    assert fast_outcomes == httpx_outcomes == [Outcome(200, 0)] * len(urls)
    expected = [f"Basic {b64encode(pair).decode()}"
                for pair in (b"us@er:p ss", b"only-user:", b":only-password")]
    assert [h["authorization"] for h in reference] == [*expected, "Bearer profile-key"]
    assert [h["authorization"] for h in fast] == [*expected, "Bearer profile-key"]
    assert [h["host"] for h in fast] == [h["host"] for h in reference] == [
        "127.0.0.1:{port}"] * len(urls)


def test_httpx_client_sends_basic_auth_from_the_url():
    outcomes, heads = heads_sent("httpx", ["http://alice:s3cret@127.0.0.1:{port}/"])
    assert outcomes == [Outcome(200, 0)]
    assert heads[0]["authorization"] == "Basic " + b64encode(b"alice:s3cret").decode()
    assert "@" not in heads[0]["host"]


def test_every_printable_ascii_character_is_encoded_as_httpx_does():
    for char in map(chr, range(0x20, 0x7F)):
        for rest in (f"/a{char}b", f"/a{char}b?c{char}d", f"?c{char}d"):
            url = "http://example.com" + rest
            assert request_target(url, rest) == httpx.URL(url).raw_path.decode("ascii"), rest
