"""Command line: `loadgui` opens the window, `loadgui run` runs a profile headless,
`loadgui serve` serves the trigger/status API."""

from __future__ import annotations

import argparse
import sys

from loadgui import __version__
from loadgui.commands.cluster_cmd import (
    add_scheduler_arguments,
    add_worker_arguments,
    run_scheduler,
    run_worker,
)
from loadgui.commands.common import EXIT_INTERRUPTED, OneLineParser
from loadgui.commands.import_cmd import add_import_arguments, run_import
from loadgui.commands.run_args import add_run_arguments
from loadgui.commands.runs_cmd import (
    add_compare_arguments,
    add_report_arguments,
    add_runs_arguments,
)
from loadgui.commands.serve import add_serve_arguments


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="loadgui", description="Desktop HTTP load tester.")
    parser.add_argument("--version", action="version", version=f"loadgui {__version__}")
    parser.add_argument("--profile", metavar="PATH", help="open this profile in the window")
    parser.add_argument("--no-mock", action="store_true",
                        help="do not start the embedded mock server with the window")
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)
    sub.add_parser("gui", help="open the window (the default)")
    run = sub.add_parser("run", help="run a profile headless and print a summary",
                         description="Run load headless. Flags override the --profile file.")
    add_run_arguments(run)
    serve = sub.add_parser("serve", help="serve an HTTP API that starts runs and reports them",
                           description="Start runs over HTTP (POST /trigger) and follow them "
                                       "(GET /status/ID); API docs at /docs.")
    add_serve_arguments(serve)
    imports = sub.add_parser("import", help="make a profile from cURL, HAR, OpenAPI or Postman")
    add_import_arguments(imports)
    worker = sub.add_parser("worker", help="join a Dask cluster as load-generating workers",
                            description="Start Dask worker processes (one per core, one thread "
                                        "each) for `loadgui run --cluster`.")
    add_worker_arguments(worker)
    scheduler = sub.add_parser("scheduler", help="start a Dask scheduler for loadgui workers",
                               description="Start a Dask scheduler for `loadgui worker` and "
                                           "`loadgui run --cluster`. It has no authentication: "
                                           "keep it on a trusted network, or use tls://.")
    add_scheduler_arguments(scheduler)
    add_runs_arguments(sub.add_parser(
        "runs", help="list, show, rename, tag, remove, export or import stored runs"))
    add_compare_arguments(sub.add_parser(
        "compare", help="compare two stored runs; gates exit 1 on a regression"))
    add_report_arguments(sub.add_parser(
        "report", help="write a stored run as one self-contained HTML file"))
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl+C while still starting up: no traceback
        print("loadgui: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        from loadgui.commands.run import run_headless

        return run_headless(args)
    if args.command == "import":
        return run_import(args)
    if args.command in ("runs", "compare", "report"):
        from loadgui.commands import runs_cmd

        history = {"runs": runs_cmd.run_runs, "compare": runs_cmd.run_compare,
                   "report": runs_cmd.run_report}
        return history[args.command](args)
    if args.command == "worker":
        return run_worker(args)
    if args.command == "scheduler":
        return run_scheduler(args)
    if args.command == "serve":
        from loadgui.commands.serve import run_serve

        return run_serve(args)
    from loadgui.ui.launch import launch_window

    return launch_window(profile_path=args.profile, start_mock=not args.no_mock)
