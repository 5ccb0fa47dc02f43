"""Checks of how much load a profile makes and where: load, retry backoff, cluster.

Part of Profile.validated() (see profile_checks.normalise_in_place).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from loadgui.profile_errors import ProfileError, about, in_range, one_of, shown
from loadgui.profile_http import check_host
from loadgui.profile_sections import Load

if TYPE_CHECKING:
    from loadgui.profile import Profile

PATTERNS = ("constant", "linear", "sin", "step", "spike")
BACKOFFS = ("fixed", "exponential", "jitter")
LOAD_MODES = ("concurrency", "rate", "burst")
MIN_RATE = 0.1
MAX_RATE = 1_000_000
MAX_PROCESSES = 256
MAX_CONCURRENCY = 10_000
MAX_RETRIES = 100
CLUSTER_SCHEMES = ("tcp", "tls")
DEFAULT_SCHEDULER_PORT = 8786


def process_count(load: Load) -> int:
    """How many worker processes run the load: one per core for "auto", never more than
    there are workers to share out."""
    wanted = (os.cpu_count() or 1) if load.processes == "auto" else int(load.processes)
    return max(1, min(wanted, load.concurrency))


def check_load_and_retry(p: Profile) -> None:
    load = p.load
    with about("load.mode"):
        one_of(load.mode, "load mode", LOAD_MODES)
    with about("load.concurrency"):
        in_range(load.concurrency, "concurrency", 1, MAX_CONCURRENCY, integer=True)
        load.concurrency = int(load.concurrency)
    with about("load.rate"):
        in_range(load.rate, "rate", MIN_RATE, MAX_RATE)
    with about("load.processes"):
        if load.processes != "auto":
            in_range(load.processes, "processes", 1, MAX_PROCESSES, integer=True)
            load.processes = int(load.processes)
    with about("load.pattern"):
        one_of(load.pattern, "traffic pattern", PATTERNS)

    r = p.retry
    with about("retry.retries"):
        in_range(r.retries, "retries", 0, MAX_RETRIES, integer=True)
        r.retries = int(r.retries)
    with about("retry.backoff"):
        one_of(r.backoff, "backoff method", BACKOFFS)
    with about("retry.base"):
        in_range(r.base, "backoff base", 0, 3600)
    with about("retry.cap"):
        in_range(r.cap, "backoff cap", 0, 86400)
        if r.cap < r.base:
            raise ProfileError(f"backoff cap ({r.cap:g} s) must not be below backoff base "
                               f"({r.base:g} s)")

    with about("load.burst_interval"):
        in_range(load.burst_interval, "burst interval", 0, 86400)
    with about("load.processes"):
        if load.mode == "burst" and load.processes != 1:
            raise ProfileError("burst mode runs in one process, so that a burst's requests "
                               "leave together; set processes to 1")
        count = process_count(load)
        if load.mode == "rate" and load.rate / count < MIN_RATE:
            raise ProfileError(f"a rate of {load.rate:g}/s split across {count} processes "
                               f"leaves {load.rate / count:.3g}/s to each, below the minimum "
                               f"of {MIN_RATE:g}/s per process; use fewer processes or a "
                               f"higher rate")


def check_cluster(p: Profile) -> None:
    load = p.load
    with about("load.cluster"):
        load.cluster = cluster_address(load.cluster)
        if load.cluster is not None and load.processes != 1:
            raise ProfileError("a cluster run uses the cluster's worker processes; set "
                               "processes to 1")
        if load.cluster is not None and load.mode == "burst":
            raise ProfileError("burst mode runs in one process, so that a burst's requests "
                               "leave together; it cannot run on a cluster")
    with about("load.cluster_workers"):
        if load.cluster_workers is None:
            return
        in_range(load.cluster_workers, "cluster workers", 1, MAX_CONCURRENCY, integer=True)
        load.cluster_workers = int(load.cluster_workers)
        if load.cluster is None:
            raise ProfileError("cluster workers needs a cluster: the address of a Dask "
                               "scheduler, such as tcp://HOST:8786")
        count = min(load.cluster_workers, load.concurrency)
        if load.mode == "rate" and load.rate / count < MIN_RATE:
            raise ProfileError(f"a rate of {load.rate:g}/s split across {count} cluster "
                               f"workers leaves {load.rate / count:.3g}/s to each, below the "
                               f"minimum of {MIN_RATE:g}/s per worker")


def cluster_address(value: Any, name: str = "cluster") -> str | None:
    """A Dask scheduler address as tcp://HOST:PORT or tls://HOST:PORT (tcp and port 8786
    when not given), None for none, or a readable ProfileError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    expected = f"{name} must be a Dask scheduler address such as tcp://HOST:8786"
    if not isinstance(value, str):
        raise ProfileError(f"{expected}, got {shown(value)}")
    scheme, sep, rest = value.strip().partition("://")
    scheme, rest = (scheme.lower(), rest) if sep else ("tcp", scheme)
    try:
        parts = urlsplit("//" + rest)
        port = DEFAULT_SCHEDULER_PORT if parts.port is None else parts.port
    except ValueError as exc:
        raise ProfileError(f"{expected}: {exc}, got {shown(value)}") from None
    if scheme not in CLUSTER_SCHEMES or not parts.hostname or parts.username or port == 0 \
            or parts.path or parts.query or parts.fragment \
            or any(c.isspace() or not c.isprintable() for c in rest):
        raise ProfileError(f"{expected} (tcp:// or tls://), got {shown(value)}")
    check_host(parts.hostname)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{scheme}://{host}:{port}"
