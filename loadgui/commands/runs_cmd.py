"""`loadgui runs list|show|rm|export|import|limits` (and rename|tag|untag, see runs_naming),
`loadgui compare` and `loadgui report`: the run store from the command line. Bad input is
one line on stderr and exit 2; a gate crossed, or a store that cannot be read or written,
exit 1.

Building the parser imports nothing heavy: the store is imported when a command runs.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from loadgui.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    OneLineParser,
    fail,
    whole_number,
)
from loadgui.commands.runs_naming import NAMING_ACTIONS, add_naming_actions

if TYPE_CHECKING:
    from loadgui.store import RunInfo, RunStore

RUN = ("a run id (see `loadgui runs list`), latest, previous, a profile name (its latest "
       "run), tag:TAG (the latest run tagged so), or any of these followed by ~N (N runs "
       "before it)")
_SIZE_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9,
               "gb": 10**9, "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20,
               "gib": 2**30, "tib": 2**40}


def add_runs_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Runs saved on this machine (every run of the window, `loadgui "
                          "run` and `loadgui serve`), in $LOADGUI_HOME or the data directory.")
    actions = parser.add_subparsers(dest="runs_action", required=True, metavar="ACTION",
                                    parser_class=OneLineParser)
    listing = actions.add_parser("list", help="list stored runs, newest first")
    listing.add_argument("--json", action="store_true", help="print them as a JSON list")
    show = actions.add_parser("show", help="show a run: its report, profile and problems")
    show.add_argument("run", help=RUN)
    show.add_argument("--json", action="store_true", help="print it as one JSON object")
    remove = actions.add_parser("rm", help="remove runs")
    remove.add_argument("runs", nargs="+", metavar="RUN", help=RUN)
    export = actions.add_parser("export", help="write a run to one .loadgui-run file")
    export.add_argument("run", help=RUN)
    export.add_argument("path", help="the file to write (.loadgui-run added without suffix)")
    imported = actions.add_parser("import", help="add a run from a .loadgui-run file")
    imported.add_argument("path")
    limits = actions.add_parser("limits", help="show or set how many runs are kept")
    limits.add_argument("--max-runs", type=whole_number(1), metavar="N",
                        help="keep at most N runs (default 200); the oldest go first")
    limits.add_argument("--max-size", type=_arg(parse_size), metavar="SIZE",
                        help="keep at most SIZE on disk, e.g. 2GB (the default)")
    add_naming_actions(actions, RUN)


def add_compare_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Compare run B with run A: better, worse or the same, figure by figure."
    parser.add_argument("a", metavar="A", help=f"the baseline run: {RUN}")
    parser.add_argument("b", metavar="B", help="the run to judge (e.g. latest)")
    parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    parser.add_argument("--noise", type=_arg(parse_fraction), default=0.05, metavar="PCT",
                        help="changes within this are the same (default 5%%)")
    parser.add_argument("--max-p99-regression", type=_arg(parse_fraction), metavar="PCT",
                        help="exit 1 when p99 latency rose more than this (e.g. 10%%)")
    parser.add_argument("--max-rps-drop", type=_arg(parse_fraction), metavar="PCT",
                        help="exit 1 when requests/s fell more than this (e.g. 10%%)")
    parser.add_argument("--max-error-rate-increase", type=_arg(parse_fraction),
                        metavar="RATE", help="exit 1 when the error rate rose more than "
                                             "this (absolute: 0.01 is one point)")


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Write a stored run as one self-contained HTML file (charts "
                          "included, nothing loaded from the network).")
    parser.add_argument("run", help=RUN)
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="the HTML file (default loadgui-run-ID.html)")
    parser.add_argument("--compare", metavar="BASELINE",
                        help="add a comparison with this run (e.g. previous)")
    parser.add_argument("--noise", type=_arg(parse_fraction), default=0.05, metavar="PCT",
                        help="the comparison's noise band (default 5%%)")


def run_runs(args: argparse.Namespace) -> int:
    actions: dict[str, Callable[[RunStore, argparse.Namespace], int]] = {
        "list": _list, "show": _show, "rm": _remove, "export": _export, "import": _import,
        "limits": _limits, **NAMING_ACTIONS}
    return _with_store(lambda store: actions[args.runs_action](store, args))


def run_compare(args: argparse.Namespace) -> int:
    from loadgui.store import Gates, compare_runs
    from loadgui.store.diff_text import diff_text

    def compare(store: RunStore) -> int:
        a, b = store.open_run(store.select(args.a)), store.open_run(store.select(args.b))
        diff = compare_runs(a, b, args.noise)
        crossed = Gates(args.max_p99_regression, args.max_rps_drop,
                        args.max_error_rate_increase).failures(diff)
        if args.json:
            print(json.dumps({**diff.to_dict(), "gates_failed": crossed}))
        else:
            print(diff_text(diff))
        _problems(a.problems + b.problems)
        return fail("; ".join(crossed), EXIT_FAILED) if crossed else EXIT_OK

    return _with_store(compare)


def run_report(args: argparse.Namespace) -> int:
    from loadgui.report_html import write_html

    def report(store: RunStore) -> int:
        run = store.open_run(store.select(args.run))
        baseline = store.open_run(store.select(args.compare)) if args.compare else None
        path = Path(args.output or f"loadgui-run-{run.info.id}.html")
        try:
            write_html(path, run, baseline, noise=args.noise)
        except OSError as exc:
            return fail(f"cannot write {path}: {exc.strerror or exc}", EXIT_FAILED)
        _problems(run.problems + (baseline.problems if baseline else []))
        print(f"loadgui: wrote {path}", file=sys.stderr)
        return EXIT_OK

    return _with_store(report)


def _with_store(action: Callable[[RunStore], int]) -> int:
    from loadgui.store import RunStore, StoreError, StoreWriteError, UnknownRun

    try:
        store = RunStore.open()
    except StoreError as exc:
        return fail(str(exc), EXIT_FAILED)
    for notice in store.notices:
        print(f"loadgui: note: {notice}", file=sys.stderr)
    try:
        return action(store)
    except UnknownRun as exc:
        return fail(str(exc), EXIT_USAGE)
    except StoreWriteError as exc:
        return fail(str(exc), EXIT_FAILED)
    except StoreError as exc:
        return fail(str(exc), EXIT_USAGE)


def _list(store: RunStore, args: argparse.Namespace) -> int:
    from loadgui.threshold_verdicts import stored_verdicts

    runs = store.list_runs()
    verdicts = stored_verdicts(store) if runs else {}
    if args.json:
        print(json.dumps([{**run.to_dict(), "thresholds": (
            verdicts[run.id].to_dict() if run.id in verdicts else None)} for run in runs]))
    elif not runs:
        print(f"no stored runs yet (store: {store.home})")
    else:
        print(f"{'id':>5}  {'started':<16}  {'name':<24} {'status':<11} {'requests':>9} "
              f"{'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'thresholds':>10}")
        for run in runs:
            verdict = verdicts.get(run.id)
            print(_list_line(run, verdict.text() if verdict else "–"))
    return EXIT_OK


def _list_line(run: RunInfo, thresholds: str = "–") -> str:
    name = run.name if len(run.name) <= 24 else run.name[:23] + "…"
    figures = "  (no report)"
    if run.requests is not None:
        figures = (f"{run.requests:>9,} {run.rps or 0:>9,.1f} {_ms(run.p50 or 0):>8} "
                   f"{_ms(run.p99 or 0):>8} {(run.error_rate or 0):>7.2%} {thresholds:>10}")
    tags = f"  tags: {', '.join(run.tags)}" if run.tags else ""
    return (f"{run.id:>5}  {run.started:%Y-%m-%d %H:%M}  {name:<24} {run.status:<11} "
            f"{figures}{tags}")


def _show(store: RunStore, args: argparse.Namespace) -> int:
    from loadgui.commands.run_text import summary_text

    run = store.open_run(store.select(args.run))
    # Counted chunk by chunk: a long run's rows need not fit in memory.
    readable = sum(len(columns["t_start"]) for columns, _ in run.batches())
    if args.json:
        print(json.dumps({"run": run.info.to_dict(), "profile": run.profile_data,
                          "environment": run.environment, "report": run.report.to_dict(),
                          "rows_readable": readable, "problems": run.problems}))
        return EXIT_OK
    info = run.info
    print(f"run {info.id}: {info.name} ({info.status}), started {info.started:%Y-%m-%d %H:%M:%S}"
          f", from {info.source}")
    print(f"  target {info.target}; {info.key_count} API key(s), stored as indexes only")
    if info.tags:
        print(f"  tags: {', '.join(info.tags)}")
    print(f"  {readable:,} attempts' raw columns, {info.size_bytes / 1e6:.1f} MB")
    print(summary_text(run.report))
    _problems(run.problems)
    return EXIT_OK


def _remove(store: RunStore, args: argparse.Namespace) -> int:
    chosen = [store.select(selector) for selector in args.runs]  # all found before any goes
    for run in chosen:
        store.remove(run.id)
        print(f"loadgui: removed run {run.id} ({run.name})", file=sys.stderr)
    return EXIT_OK


def _export(store: RunStore, args: argparse.Namespace) -> int:
    path = store.export_run(store.select(args.run).id, args.path)
    print(f"loadgui: wrote {path}", file=sys.stderr)
    return EXIT_OK


def _import(store: RunStore, args: argparse.Namespace) -> int:
    info = store.import_run(args.path)
    print(f"loadgui: imported {args.path} as run {info.id} ({info.name})", file=sys.stderr)
    return EXIT_OK


def _limits(store: RunStore, args: argparse.Namespace) -> int:
    from loadgui.store import Limits

    limits = store.limits
    if args.max_runs is not None or args.max_size is not None:
        limits = Limits(limits.max_runs if args.max_runs is None else args.max_runs,
                        limits.max_bytes if args.max_size is None else args.max_size)
        for run in store.set_limits(limits):
            print(f"loadgui: removed run {run.id} ({run.name})", file=sys.stderr)
    used = sum(run.size_bytes for run in store.list_runs())
    print(f"keeping at most {limits.max_runs} runs and {limits.max_bytes / 1e9:g} GB; "
          f"{used / 1e6:.1f} MB used in {store.home}")
    return EXIT_OK


def _ms(seconds: float) -> str:
    from loadgui.engine.stats.units import ms_text

    return ms_text(seconds)


def _problems(problems: list[str]) -> None:
    for problem in dict.fromkeys(problems):
        print(f"loadgui: note: {problem}", file=sys.stderr)


def _arg(parse: Callable[[str], float | int]) -> Callable[[str], float | int]:
    def parsed(text: str) -> float | int:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parsed


def parse_fraction(text: str) -> float:
    """`10%` or `0.1` as 0.1. Raises ValueError."""
    cleaned = text.strip()
    try:
        value = float(cleaned.removesuffix("%")) / (100 if cleaned.endswith("%") else 1)
    except ValueError:
        raise ValueError(f"expected a percentage such as 10% or a fraction such as 0.1, "
                         f"got {text!r}") from None
    if not 0 <= value < math.inf:
        raise ValueError(f"must be zero or more, got {text!r}")
    return value


def parse_size(text: str) -> int:
    """`2GB`, `500 MB`, `1.5G`, `2GiB`, `1000000` as bytes. Raises ValueError."""
    cleaned = text.strip().lower().replace(" ", "").replace("_", "")
    number = cleaned.rstrip("kmgtib")
    unit = cleaned[len(number):]
    try:
        value = float(number) * _SIZE_UNITS[unit]
    except (ValueError, KeyError):
        raise ValueError(f"not a size: {text!r} (e.g. 2GB, 500MB)") from None
    if not 0 <= value < math.inf:
        raise ValueError(f"not a size: {text!r} (e.g. 2GB, 500MB)")
    return int(value)
