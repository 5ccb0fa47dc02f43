"""`loadgui worker` and `loadgui scheduler`: Dask's own worker and scheduler, started with the
settings load generation needs (loadgui/cluster.yaml): one thread per worker process, one
process per core, no MALLOC_TRIM_THRESHOLD_ from the nanny, no retried shares."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from loadgui.commands.common import EXIT_FAILED, EXIT_OK, fail, whole_number
from loadgui.profile_errors import ProfileError
from loadgui.profile_load import DEFAULT_SCHEDULER_PORT, cluster_address

CONFIG_PATH = Path(__file__).resolve().parent.parent / "cluster.yaml"
INSTALL_HINT = 'this command needs Dask distributed: pip install "loadgui[cluster]"'


def add_worker_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scheduler", nargs="?", metavar="ADDRESS",
                   help="the scheduler to join, e.g. tcp://HOST:8786")
    p.add_argument("--nworkers", type=whole_number(1, auto=True), default="auto", metavar="N|auto",
                   help="worker processes, one thread each (auto, the default: one per core)")
    _add_common(p, "dask worker")


def add_scheduler_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=DEFAULT_SCHEDULER_PORT,
                   help=f"port to listen on ({DEFAULT_SCHEDULER_PORT})")
    _add_common(p, "dask scheduler")


def _add_common(p: argparse.ArgumentParser, dask_command: str) -> None:
    p.add_argument("--host", help="this machine's address to listen on and be reached at "
                                  "(127.0.0.1 keeps the cluster on this machine)")
    p.add_argument("--tls-ca-file", metavar="PATH", help="CA certificate(s) for tls:// (PEM)")
    p.add_argument("--tls-cert", metavar="PATH", help="this side's certificate (PEM)")
    p.add_argument("--tls-key", metavar="PATH", help="this side's private key (PEM)")
    p.add_argument("--config-path", action="store_true",
                   help="print the path of the shipped Dask configuration (for DASK_CONFIG) "
                        "and exit")
    p.add_argument("dask_args", nargs="*", metavar="-- OPTION",
                   help=f"more options for `{dask_command}`, after --")


def run_worker(args: argparse.Namespace) -> int:
    if args.config_path:
        print(CONFIG_PATH)
        return EXIT_OK
    if args.scheduler is None:
        return fail("loadgui worker needs the scheduler's address, e.g. tcp://HOST:8786")
    try:
        address = cluster_address(args.scheduler, "the scheduler's address")
    except ProfileError as exc:
        return fail(str(exc))
    nworkers = _cores() if args.nworkers == "auto" else args.nworkers
    argv = [str(address), "--nthreads", "1", "--nworkers", str(nworkers), "--no-dashboard",
            *_host(args), *_tls(args), *args.dask_args]
    return _run_dask("dask_worker", argv, "loadgui worker")


def run_scheduler(args: argparse.Namespace) -> int:
    if args.config_path:
        print(CONFIG_PATH)
        return EXIT_OK
    if not 0 <= args.port <= 65535:
        return fail(f"--port must be between 0 and 65535, got {args.port}")
    protocol = ["--protocol", "tls"] if _tls(args) else []  # else --host makes it tcp://
    argv = ["--port", str(args.port), *_host(args), *protocol, *_tls(args), *args.dask_args]
    return _run_dask("dask_scheduler", argv, "loadgui scheduler")


def _run_dask(module: str, argv: list[str], prog: str) -> int:
    """Dask's own command line, in this process, with the shipped configuration on top."""
    try:
        import dask.config
        import yaml
        from distributed.cli import dask_scheduler, dask_worker
    except ImportError:
        return fail(INSTALL_HINT)
    with CONFIG_PATH.open(encoding="utf-8") as f:
        ours: dict[str, Any] = yaml.safe_load(f)
    dask.config.update(dask.config.config, ours, priority="new")
    command = (dask_worker if module == "dask_worker" else dask_scheduler).main
    try:
        command.main(args=argv, prog_name=prog, standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else EXIT_OK if code is None else EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_OK
    return EXIT_OK


def _host(args: argparse.Namespace) -> list[str]:
    return ["--host", args.host] if args.host else []


def _tls(args: argparse.Namespace) -> list[str]:
    flags = {"--tls-ca-file": args.tls_ca_file, "--tls-cert": args.tls_cert,
             "--tls-key": args.tls_key}
    return [part for flag, value in flags.items() if value for part in (flag, value)]


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1
