"""The one line a folded form section shows in place of its rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from loadgui.profile import Profile


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def headers_summary(p: Profile) -> str:
    headers = _plural(len(p.target.headers), "header") if p.target.headers else "no headers"
    body = p.target.body
    return f"{headers}, {f'{len(body.encode()):,}-byte body' if body else 'no body'}"


def processes_summary(p: Profile) -> str:
    if p.load.cluster is not None:
        workers = p.load.cluster_workers
        return (f"Dask cluster at {p.load.cluster.strip() or '(no address yet)'}, "
                f"{_plural(workers, 'worker') if workers else 'all workers'}")
    processes = p.load.processes
    if processes == "auto":
        return "auto: one per core"
    return _plural(int(processes), "process", "processes")


def retries_summary(p: Profile) -> str:
    r = p.retry
    if not r.retries:
        return "no retries"
    return f"{_plural(r.retries, 'retry', 'retries')}, {r.backoff} {r.base:g} s … {r.cap:g} s"


def keys_summary(p: Profile) -> str:
    k = p.keys
    where = f"in {k.header}" + (f": {k.scheme}" if k.scheme else "")
    if k.file:
        return f"from {Path(k.file).name}, {where}"
    return f"{_plural(len(k.keys), 'key')} {where}" if k.keys else "none"


def mix_summary(p: Profile) -> str:
    names = [spec.name for spec in p.requests]
    if not names:
        return "none: the target's one request"
    return f"{len(names)}: {', '.join(names[:3])}{'…' if len(names) > 3 else ''}"


def transport_summary(p: Profile) -> str:
    t = p.target
    targets = _plural(1 + len(t.extra_base_urls), "target")
    return f"{targets}, {t.client} client, timeout {t.timeout:g} s"


SUMMARIES: dict[str, Callable[[Profile], str]] = {
    "headers": headers_summary, "processes": processes_summary, "retries": retries_summary,
    "keys": keys_summary, "mix": mix_summary, "transport": transport_summary,
}
