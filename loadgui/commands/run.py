"""`loadgui run`: one profile, run on plain asyncio, with a progress line and the report."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from typing import TYPE_CHECKING

from loadgui.commands.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    fail,
)
from loadgui.commands.run_args import profile_from_args
from loadgui.commands.run_text import progress_line, summary_text
from loadgui.engine import Report, RunHandle, RunState, make_run
from loadgui.engine.export import write_csv
from loadgui.profile import ProfileError

if TYPE_CHECKING:
    from mock_server.embedded import EmbeddedMockServer

PROGRESS_PERIOD_S = 0.5


def run_headless(args: argparse.Namespace) -> int:
    """Run, print the report, write the CSV; the exit code says how it went."""
    try:
        return _run_headless(args)
    except KeyboardInterrupt:  # Ctrl+C before the run's own handler was installed
        print("loadgui: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _run_headless(args: argparse.Namespace) -> int:
    if args.max_error_rate is not None and not 0 <= args.max_error_rate <= 1:
        return fail(f"--max-error-rate must be between 0 and 1, got {args.max_error_rate}")
    mock = None
    try:
        if args.mock:
            mock = _start_mock()
        profile = profile_from_args(args, mock.url if mock else None)
        if args.save_profile:
            try:
                profile.write(args.save_profile)
            except OSError as exc:
                raise ProfileError(f"cannot save profile to {args.save_profile}: "
                                   f"{exc.strerror or exc}") from None
        run = make_run(profile)
        signals: list[int] = []
        report = asyncio.run(_drive(run, sys.stderr.isatty(), signals))
    except (ProfileError, OSError) as exc:
        return fail(str(exc))
    finally:
        if mock:
            mock.stop()
    return _finish(args, run, report, signals)


def _start_mock() -> EmbeddedMockServer:
    from mock_server.embedded import EmbeddedMockServer
    from mock_server.settings import MockSettings

    try:
        settings = MockSettings.from_env()
    except ValueError as exc:
        raise ProfileError(f"mock server settings: {exc}") from None
    server = EmbeddedMockServer(settings)
    server.start()
    print(f"loadgui: mock server on {server.url}", file=sys.stderr)
    return server


async def _drive(run: RunHandle, show_progress: bool, signals: list[int]) -> Report:
    """Run to the end; Ctrl+C and SIGTERM (what CI sends on a timeout) stop it gracefully,
    so the report and the CSV are still written. `signals` collects those received."""
    loop = asyncio.get_running_loop()

    def stop(signum: int) -> None:
        signals.append(signum)
        run.stop()

    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop, signum)
    progress = asyncio.ensure_future(_show_progress(run)) if show_progress else None
    try:
        return await run.run()
    finally:
        if progress:
            progress.cancel()
            print(file=sys.stderr)
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)


async def _show_progress(run: RunHandle) -> None:
    while True:
        await asyncio.sleep(PROGRESS_PERIOD_S)
        print("\r" + progress_line(run.report()), end="", file=sys.stderr, flush=True)


def _finish(args: argparse.Namespace, run: RunHandle, report: Report,
            signals: list[int]) -> int:
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        print(summary_text(report))
    code = EXIT_OK
    if signals:
        code = EXIT_TERMINATED if signals[0] == signal.SIGTERM else EXIT_INTERRUPTED
    elif report.state == RunState.FAILED:
        fail(f"the run failed: {report.reason}", EXIT_FAILED)
        code = EXIT_FAILED
    if args.export_csv:
        try:
            rows = write_csv(run.recorder.columns(), args.export_csv, run.recorder.labels,
                             run.recorder.messages)
        except OSError as exc:
            return fail(f"cannot write CSV to {args.export_csv}: {exc.strerror or exc}",
                        EXIT_FAILED)
        print(f"loadgui: wrote {rows} rows to {args.export_csv}", file=sys.stderr)
    if code != EXIT_OK:
        return code
    return _thresholds(args, report)


def _thresholds(args: argparse.Namespace, report: Report) -> int:
    if args.max_error_rate is not None and report.error_rate > args.max_error_rate:
        return fail(f"error rate {report.error_rate:.2%} is above --max-error-rate "
                    f"{args.max_error_rate:.2%}", EXIT_FAILED)
    p99_ms = report.latency.p99 * 1000
    if args.max_p99_ms is not None and not p99_ms <= args.max_p99_ms:
        return fail(f"p99 latency {p99_ms:.1f} ms is above --max-p99-ms {args.max_p99_ms:g}",
                    EXIT_FAILED)
    return EXIT_OK
