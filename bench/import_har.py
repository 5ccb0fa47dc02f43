"""How long `loadgui import har` takes on a HAR of 100,000 entries (the issue asks < 2 s).

`python bench/import_har.py` writes a HAR 1.2 file shaped like Chrome's (15 request and 10
response headers per entry, cookies, timings, no response bodies) to a temporary folder,
imports it a few times and prints one JSON object: the file's size and the best and median
wall-clock times of reading + parsing + building the profile.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadgui.imports import ImportOptions, read_har

ENTRIES = 100_000
DISTINCT_API_CALLS = 400
DISTINCT_ASSETS = 150
REPEATS = 5
LIMIT_S = 2.0


def header_list(pairs: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs.items()]


def entry(rng: random.Random, index: int) -> dict[str, Any]:
    is_asset = rng.random() < 0.3
    if is_asset:
        number = rng.randrange(DISTINCT_ASSETS)
        extension = ("js", "png")[number % 2]
        method, url = "GET", f"https://cdn.example.com/static/asset{number}.{extension}"
        mime_type, resource_type = ("application/javascript", "script") if number % 2 == 0 \
            else ("image/png", "image")
    else:
        number = rng.randrange(DISTINCT_API_CALLS)
        method = ("GET", "POST", "PUT", "DELETE")[number % 4]
        url = f"https://api.example.com/v1/resource{number // 4}/items?page={number % 7}"
        mime_type, resource_type = "application/json", "fetch"
    request_headers = {
        ":authority": "api.example.com", ":method": method, ":path": "/v1", ":scheme": "https",
        "accept": "application/json, text/plain, */*", "accept-encoding": "gzip, deflate, br",
        "accept-language": "en-GB,en;q=0.9", "authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30",
        "cookie": "session=4f8a1c2e9b7d; theme=dark", "origin": "https://app.example.com",
        "referer": "https://app.example.com/dashboard", "sec-fetch-mode": "cors",
        "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0",
        "x-request-id": f"{index:08x}-0000-4000-8000-000000000000",
        "sec-ch-ua-platform": '"Linux"',
    }
    post_data = {"mimeType": "application/json", "text": json.dumps({"name": "x", "n": index})}
    return {
        "startedDateTime": "2024-05-01T10:00:00.000Z", "time": 12.5,
        "_resourceType": resource_type,
        "request": {
            "method": method, "url": url, "httpVersion": "http/2.0",
            "headers": header_list(request_headers),
            "queryString": [], "cookies": [{"name": "session", "value": "4f8a1c2e9b7d"}],
            "headersSize": -1, "bodySize": 0,
            **({"postData": post_data} if method in ("POST", "PUT") else {}),
        },
        "response": {
            "status": 200, "statusText": "", "httpVersion": "http/2.0",
            "headers": header_list({"content-type": mime_type, "date": "Wed, 01 May 2024",
                                    "cache-control": "no-cache", "server": "nginx",
                                    "vary": "Origin", "x-frame-options": "DENY",
                                    "strict-transport-security": "max-age=63072000",
                                    "content-encoding": "br", "etag": f'"{number}"',
                                    "x-content-type-options": "nosniff"}),
            "cookies": [], "content": {"size": 512, "mimeType": mime_type},
            "redirectURL": "", "headersSize": -1, "bodySize": 300,
        },
        "cache": {},
        "timings": {"blocked": 0.5, "dns": -1, "connect": -1, "send": 0.1, "wait": 11.0,
                    "receive": 0.9, "ssl": -1},
    }


def main() -> None:
    rng = random.Random(1)
    har = {"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"},
                   "pages": [], "entries": [entry(rng, i) for i in range(ENTRIES)]}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.har"
        path.write_text(json.dumps(har), encoding="utf-8")
        del har
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            result = read_har(path, ImportOptions())
            times.append(time.perf_counter() - started)
        size = path.stat().st_size
    print(json.dumps({
        "entries": ENTRIES, "file_mib": round(size / 2**20, 1),
        "requests_in_mix": len(result.profile.requests),
        "left_out": len(result.candidates) - len(result.selected),
        "best_s": round(min(times), 3), "median_s": round(statistics.median(times), 3),
        "limit_s": LIMIT_S, "within_limit": max(times) < LIMIT_S,
    }))


if __name__ == "__main__":
    main()
