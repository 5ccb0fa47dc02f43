"""FastClient's request encoding: many distinct URLs (`{id}` paths) reuse one encoded head
instead of emptying the cache, and what is sent stays right past the cache's bounds."""

from __future__ import annotations

import asyncio

from raw_http import answering, send_each

from loadgui.engine.http.fast_request import ENCODED_CACHE_SIZE, RequestEncoder
from loadgui.engine.http.seam import Outcome

BASE = "http://127.0.0.1:8000"


def split_head(data: bytes) -> tuple[bytes, bytes]:
    line, _, rest = data.partition(b"\r\n")
    return line, rest


def test_a_thousand_item_urls_share_one_encoded_head():
    encoder = RequestEncoder()
    headers = {"Authorization": "Bearer k1"}
    encoded = [encoder.encode("GET", f"{BASE}/items/{i}", headers, None)[1]
               for i in range(1000)]
    encoded += [encoder.encode("GET", f"{BASE}/items/{i}", headers, None)[1]
                for i in range(1000)]
    assert encoder.heads_built == 1
    lines = [split_head(data)[0] for data in encoded]
    assert lines == [f"GET /items/{i % 1000} HTTP/1.1".encode() for i in range(2000)]
    assert {split_head(data)[1] for data in encoded} == {split_head(encoded[0])[1]}
    assert b"Authorization: Bearer k1\r\n" in encoded[0]


def test_past_the_cache_bound_each_request_is_still_encoded_right():
    encoder = RequestEncoder()
    keys = ENCODED_CACHE_SIZE + 50  # distinct heads: one per API key
    for round_ in range(2):
        for k in range(keys):
            origin, data = encoder.encode("POST", f"{BASE}/items/{k}?r={round_}",
                                          {"X-Api-Key": f"key-{k}"}, b"body")
            assert (origin.host, origin.port) == ("127.0.0.1", 8000)
            assert data.startswith(f"POST /items/{k}?r={round_} HTTP/1.1\r\n".encode())
            assert data.endswith(f"X-Api-Key: key-{k}\r\nContent-Length: 4\r\n\r\nbody"
                                 .encode())
    assert encoder.heads_built == keys + 50  # the first `keys - 50` heads were kept


def test_a_run_of_distinct_item_paths_reaches_the_server_intact():
    count = ENCODED_CACHE_SIZE * 2
    outcomes, seen = asyncio.run(send_each(answering(b"HTTP/1.1 204 No Content\r\n\r\n"),
                                           [("GET", f"/items/{i}", {}, None)
                                            for i in range(count)]))
    assert outcomes == [Outcome(204, 0)] * count
    assert [split_head(head)[0] for head in seen.heads] == [
        f"GET /items/{i} HTTP/1.1".encode() for i in range(count)]
