"""`loadgui-mock` / `python -m mock_server`: run the mock server in the foreground."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import NoReturn

from mock_server.addresses import parse_port
from mock_server.serve import PROG, serve_cluster, serve_single, serve_workers
from mock_server.settings import ClusterSettings, MockSettings
from mock_server.threaded_server import MockServerError

_CLUSTER_OPTIONS = {
    "target_concurrency": "--target-concurrency",
    "cold_start": "--cold-start",
    "cool_down": "--cool-down",
    "instance_concurrency": "--instance-concurrency",
    "health_interval": "--health-interval",
}


class _OneLineParser(argparse.ArgumentParser):
    """argparse that reports a bad command line as one `prog: error: ...` line, no usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog=PROG,
        description="Mock HTTP API for loadgui: one instance, a cluster behind a round-robin "
        "proxy, or one instance with several uvicorn workers. Latency and error rate default "
        "to the MIN_LATENCY, MAX_LATENCY and ERROR_RATE environment variables.",
    )
    parser.add_argument("--host", metavar="HOST", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", metavar="PORT", type=parse_port, default=8000, help="port (0 picks a free one)"
    )
    instance = parser.add_argument_group("each instance")
    instance.add_argument(
        "--min-latency", metavar="S", type=float, help="seconds, lower bound of /test"
    )
    instance.add_argument(
        "--max-latency", metavar="S", type=float, help="seconds, upper bound of /test"
    )
    instance.add_argument(
        "--error-rate", metavar="RATE", type=float, help="share of /test answers that are 500"
    )
    instance.add_argument(
        "--max-body-bytes", metavar="BYTES", type=int, help="largest request body (413 beyond)"
    )
    instance.add_argument(
        "--instance-id", metavar="ID", help="identity reported in X-Instance and /ping"
    )
    cluster = parser.add_argument_group("cluster (instances are separate processes)")
    cluster.add_argument(
        "--instances", metavar="N", type=int, help="run N instances behind a proxy"
    )
    cluster.add_argument("--min-instances", metavar="N", type=int, help="autoscaling: never fewer")
    cluster.add_argument("--max-instances", metavar="N", type=int, help="autoscaling: never more")
    cluster.add_argument(
        "--target-concurrency",
        metavar="N",
        type=float,
        help="scale up above this many requests/instance",
    )
    cluster.add_argument(
        "--cold-start", metavar="S", type=float, help="seconds before a new instance serves"
    )
    cluster.add_argument(
        "--cool-down", metavar="S", type=float, help="idle seconds before scaling down"
    )
    cluster.add_argument(
        "--instance-concurrency",
        metavar="N",
        type=int,
        help="requests per instance; more wait in the proxy",
    )
    cluster.add_argument(
        "--health-interval", metavar="S", type=float, help="seconds between health checks"
    )
    parser.add_argument(
        "--workers", metavar="N", type=int, help="one instance with N uvicorn workers"
    )
    # Used by the cluster for its instances: leave when the parent closes our stdin, and keep
    # idle connections from the proxy open for as long as it says.
    parser.add_argument("--exit-on-stdin-eof", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep-alive", type=int, default=5, help=argparse.SUPPRESS)
    return parser


def settings_from_args(args: argparse.Namespace) -> MockSettings:
    """Environment first, then command-line overrides. Raises ValueError on bad values."""
    settings = MockSettings.from_env()
    names = ("min_latency", "max_latency", "error_rate", "max_body_bytes", "instance_id")
    overrides = {name: value for name in names if (value := getattr(args, name)) is not None}
    return dataclasses.replace(settings, **overrides)


def cluster_from_args(args: argparse.Namespace) -> ClusterSettings | None:
    """Cluster settings if the command line asks for a cluster, else None. Raises ValueError."""
    counts = (args.instances, args.min_instances, args.max_instances)
    options = {k: v for k in _CLUSTER_OPTIONS if (v := getattr(args, k)) is not None}
    if all(count is None for count in counts):
        if options:
            flag = _CLUSTER_OPTIONS[next(iter(options))]
            raise ValueError(f"{flag} needs --instances or --min-instances/--max-instances")
        return None
    if args.workers is not None:
        raise ValueError("--workers runs a single instance; it cannot be combined with a cluster")
    if args.instances is not None and args.min_instances is not None:
        raise ValueError("--instances and --min-instances both set the minimum; give one")
    minimum = next((n for n in (args.min_instances, args.instances) if n is not None), 1)
    maximum = args.max_instances if args.max_instances is not None else minimum
    return ClusterSettings(min_instances=minimum, max_instances=maximum, **options)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from_args(args)
        cluster = cluster_from_args(args)
        if args.workers is not None and args.workers < 1:
            raise ValueError(f"--workers must be >= 1, got {args.workers}")
        if args.keep_alive < 1:
            raise ValueError(f"--keep-alive must be >= 1, got {args.keep_alive}")
        if cluster is not None:
            serve_cluster(cluster, settings, args.host, args.port)
        elif args.workers is not None and args.workers > 1:
            serve_workers(settings, args.host, args.port, args.workers)
        else:
            serve_single(
                settings,
                args.host,
                args.port,
                watch_stdin=args.exit_on_stdin_eof,
                keep_alive=args.keep_alive,
            )
    except (ValueError, MockServerError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # a second Ctrl+C while stopping
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
