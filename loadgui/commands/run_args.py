"""`loadgui run`'s flags, and the profile they make (a profile file with flags on top)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from loadgui.commands.common import whole_number
from loadgui.commands.threshold_text import add_threshold_arguments, cli_thresholds
from loadgui.commands.transport_args import add_transport_arguments, apply_transport_arguments
from loadgui.profile import (
    BACKOFFS,
    BALANCES,
    CLIENTS,
    METHODS,
    PATTERNS,
    Profile,
    ProfileError,
)
from loadgui.profile_http import MOCK_BASE_URL

# The CLI's traffic pattern when neither a flag nor a profile file gives one: a ramp.
DEFAULT_CLI_PATTERN = "linear"


def add_run_arguments(p: argparse.ArgumentParser) -> None:
    target = p.add_argument_group("target")
    target.add_argument("--profile", metavar="PATH", help="profile JSON to start from")
    target.add_argument("--base-url", help="default http://127.0.0.1:8000; several, comma "
                        "separated, spread the requests over them; mock: the embedded mock "
                        "server, started for the run")
    target.add_argument("--balance", choices=BALANCES,
                        help="with several base URLs: round_robin (default) or sticky "
                             "(the same {id} always goes to the same target)")
    target.add_argument("--id-range", type=int, metavar="N",
                        help="{id} in a path or header becomes a random number 1..N (1000)")
    target.add_argument("-e", "--endpoint", help="path such as /test (required unless a profile"
                        " or --mock gives it)")
    target.add_argument("-X", "--method", type=str.upper, choices=METHODS)
    target.add_argument("-H", "--header", action="append", metavar="'NAME: VALUE'",
                        help="extra request header (repeatable)")
    target.add_argument("--body", help="request body text")
    target.add_argument("--timeout", type=float, help="per-request timeout in seconds")
    target.add_argument("--client", choices=CLIENTS,
                        help="httpx (default: TLS, HTTP/2, proxies) or fast (plain http:// "
                             "HTTP/1.1, many times the requests per core)")
    target.add_argument("--mock", action="store_true",
                        help="start the embedded mock server and aim at it (--base-url mock)")
    add_transport_arguments(target)
    keys = p.add_argument_group("API keys (rotated round robin, never printed)")
    keys.add_argument("-k", "--api-keys", help="comma-separated keys")
    keys.add_argument("-f", "--api-keys-file", metavar="PATH", help="one key per line")
    keys.add_argument("--key-header", help="header that carries the key (Authorization)")
    keys.add_argument("--key-scheme", help="prefix before the key (Bearer; '' for none)")
    keys.add_argument("--quarantine-after", type=int, metavar="N",
                      help="a key answered N 401/403/429 in a row leaves the rotation: for "
                           "--quarantine-rest seconds after 429, for good after 401/403 "
                           "(default 0: never)")
    keys.add_argument("--quarantine-rest", type=float, metavar="S",
                      help="seconds a rate-limited key rests (default 60)")
    load = p.add_argument_group("load")
    load.add_argument("-c", "--concurrency", type=int,
                      help="workers (default 50); with --rate, the most requests in flight")
    load.add_argument("--rate", type=float, metavar="RPS",
                      help="open model: send RPS requests/s at intended times (the pattern "
                           "shapes the rate); latency counts from the intended time")
    load.add_argument("--burst", type=int, metavar="N",
                      help="burst mode: N requests released at the same instant")
    load.add_argument("--burst-interval", type=float, metavar="S",
                      help="repeat the burst every S seconds (default: one burst)")
    load.add_argument("--processes", type=whole_number(auto=True), metavar="N|auto",
                      help="worker processes sharing the load (1; auto: one per core)")
    load.add_argument("--cluster", metavar="ADDRESS",
                      help="run on a Dask cluster: the scheduler's address, e.g. "
                           "tcp://HOST:8786 (see `loadgui worker`); needs loadgui[cluster]")
    load.add_argument("--cluster-workers", type=int, metavar="N",
                      help="with --cluster: use N of its worker processes (default: all)")
    load.add_argument("--traffic-pattern", choices=PATTERNS,
                      help="how the load moves over the run: linear (the default: from 1 "
                           "worker, or 1 request/s with --rate, up to the peak), constant, "
                           "sin, step or spike; a --profile keeps its own unless given")
    load.add_argument("--retries", type=int, help="retries per request (default 3)")
    load.add_argument("--backoff-method", choices=BACKOFFS, help="default exponential")
    load.add_argument("--backoff-base", type=float, help="seconds (default 1.0)")
    load.add_argument("--backoff-cap", type=float, help="seconds (default 30.0)")
    load.add_argument("--ignore-retry-after", action="store_true",
                      help="retry after the backoff even when a 429 or 503 says Retry-After "
                           "(by default its wait, capped at the backoff cap, is used)")
    limits = p.add_argument_group("limits (the first reached ends the run; Ctrl+C stops it)")
    limits.add_argument("-n", "--total-requests", type=int,
                        help="requests to send (their retries are extra attempts)")
    limits.add_argument("--duration", type=float, help="seconds")
    out = p.add_argument_group("output")
    out.add_argument("--export-csv", metavar="PATH", help="one row per attempt")
    out.add_argument("--save-profile", metavar="PATH",
                     help="save the effective profile (without its API keys)")
    out.add_argument("--no-save", action="store_true",
                     help="do not keep this run in the run history (loadgui runs list)")
    out.add_argument("--store-keys", action="store_true",
                     help="with --save-profile: store the API keys too, in clear, in a file "
                          "only you can read (0600)")
    out.add_argument("--export-png", metavar="PATH",
                     help="write the run's plots as a PNG when it ends (no display needed)")
    out.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    out.add_argument("--live-plot", action=argparse.BooleanOptionalAction,
                     help="watch the run's plots in a window; closing it stops the run "
                          "(default: on when there is a display, unless --json or CI=true)")
    out.add_argument("--max-error-rate", type=float, metavar="RATE",
                     help="exit 1 when the error rate is above RATE (0..1)")
    out.add_argument("--max-p99-ms", type=float, metavar="MS",
                     help="exit 1 when the p99 latency is above MS milliseconds")
    add_threshold_arguments(out)


def profile_from_args(args: argparse.Namespace) -> Profile:
    """The profile file (or defaults) with every given flag applied on top. Its base URL is
    MOCK_BASE_URL when the run is to go to the embedded mock server (see `aimed_at`)."""
    profile = Profile.read(args.profile).draft() if args.profile else Profile()
    if (args.endpoint is None and not args.profile and not args.mock
            and args.base_url != MOCK_BASE_URL):
        raise ProfileError("an endpoint is required: give -e/--endpoint (e.g. -e /test), "
                           "a --profile, or --mock")
    t, k, load, r, lim = profile.target, profile.keys, profile.load, profile.retry, profile.limits
    if args.mock:
        t.base_url = MOCK_BASE_URL
    if not args.profile:
        load.pattern = DEFAULT_CLI_PATTERN
    if args.base_url is not None:
        urls = [u.strip() for u in args.base_url.split(",") if u.strip()]
        if not urls:
            raise ProfileError("--base-url holds no URL")
        t.base_url, t.extra_base_urls = urls[0], urls[1:]
    _apply(t, balance=args.balance, id_range=args.id_range)
    _apply(t, endpoint=args.endpoint, method=args.method,
           body=args.body, timeout=args.timeout, client=args.client)
    if args.header:
        t.headers = {**t.headers, **_parse_headers(args.header)}
    apply_transport_arguments(args, t)
    if args.api_keys is not None:
        k.keys = [key.strip() for key in args.api_keys.split(",") if key.strip()]
        if not k.keys:
            raise ProfileError("--api-keys holds no keys")
    if args.api_keys_file is not None:
        k.file, k.keys = args.api_keys_file, []
    _apply(k, header=args.key_header, scheme=args.key_scheme)
    _apply(k, quarantine_after=args.quarantine_after, quarantine_rest=args.quarantine_rest)
    _apply(load, concurrency=args.concurrency, pattern=args.traffic_pattern, rate=args.rate,
           processes=args.processes)
    _apply(load, cluster=args.cluster, cluster_workers=args.cluster_workers)
    if args.rate is not None:
        load.mode = "rate"
    if args.burst is not None:
        load.mode, load.concurrency = "burst", args.burst
    _apply(load, burst_interval=args.burst_interval)
    _apply(r, retries=args.retries, backoff=args.backoff_method, base=args.backoff_base,
           cap=args.backoff_cap)
    if args.ignore_retry_after:
        r.respect_retry_after = False
    _apply(lim, total_requests=args.total_requests, duration=args.duration)
    profile.thresholds = [*profile.thresholds, *cli_thresholds(args)]
    valid = profile.validated()
    valid.resolved_keys()  # a missing or empty key file is an input error, found now
    return valid


def uses_mock(profile: Profile) -> bool:
    return profile.target.base_url == MOCK_BASE_URL


def aimed_at(profile: Profile, url: str) -> Profile:
    """The validated profile with its base URL (MOCK_BASE_URL) replaced by `url`."""
    draft = profile.draft()
    draft.target.base_url = url
    return draft.validated()


def wants_live_plot(args: argparse.Namespace, environ: Mapping[str, str] = os.environ,
                    platform: str = sys.platform) -> bool:
    """--live-plot or --no-live-plot as given; else on where a window can open, unless the
    output is for a program (--json) or the run is in CI."""
    if args.live_plot is not None:
        return bool(args.live_plot)
    if args.json or environ.get("CI", "").lower() == "true":
        return False
    return has_display(environ, platform)


def has_display(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """A desktop (macOS, Windows) or an X11 or Wayland display to open a window on, and Qt
    not told to draw off screen (QT_QPA_PLATFORM=offscreen, as in tests)."""
    if environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal"):
        return False
    if platform in ("darwin", "win32"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def _apply(section: object, **values: object) -> None:
    for name, value in values.items():
        if value is not None:
            setattr(section, name, value)


def _parse_headers(items: list[str]) -> dict[str, str]:
    headers = {}
    for item in items:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise ProfileError(f"header {item!r} must look like 'Name: value'")
        headers[name.strip()] = value.strip()
    return headers
