"""Reading what an import starts from: a text file, standard input, or a URL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from loadgui.imports.errors import ImportInputError

MAX_FETCHED_BYTES = 50 * 1024 * 1024
FETCH_TIMEOUT_S = 10.0


def read_text(path: str | Path, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportInputError(f"cannot read the {what} {path}: no such file") from None
    except OSError as exc:
        raise ImportInputError(f"cannot read the {what} {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ImportInputError(f"the {what} {path} is not a UTF-8 text file") from None


def fetch_text(url: str, what: str) -> str:
    """The body of a GET of `url` (redirects followed, at most MAX_FETCHED_BYTES)."""
    try:
        with httpx.Client(timeout=FETCH_TIMEOUT_S, follow_redirects=True,
                          trust_env=False) as client, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise ImportInputError(f"cannot fetch the {what} {url}: the server answered "
                                       f"{response.status_code} {response.reason_phrase}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_FETCHED_BYTES:
                    raise ImportInputError(f"the {what} at {url} is larger than "
                                           f"{MAX_FETCHED_BYTES // 2**20} MiB")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ImportInputError(f"cannot fetch the {what} {url}: {reason}") from None
    try:
        return b"".join(chunks).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportInputError(f"the {what} at {url} is not UTF-8 text") from None


def parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        cut_short = " (is it cut short?)" if exc.pos >= len(text.rstrip()) else ""
        raise ImportInputError(f"the {what} is not valid JSON{cut_short}: {exc.msg} at line "
                               f"{exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise ImportInputError(f"the {what} is nested too deeply to be read") from None


def read_bytes(path: str | Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportInputError(f"cannot read the {what} {path}: no such file") from None
    except OSError as exc:
        raise ImportInputError(f"cannot read the {what} {path}: {exc.strerror or exc}") from None
