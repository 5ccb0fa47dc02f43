"""`loadgui run`: one profile, run on plain asyncio, with a progress line and a summary."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from typing import TYPE_CHECKING

from loadgui.commands.common import EXIT_FAILED, EXIT_OK, fail
from loadgui.commands.run_args import profile_from_args
from loadgui.commands.run_text import breakdown_table, burst_lines, progress_line, summary_table
from loadgui.engine import Run, RunState, Snapshot
from loadgui.engine.export import write_csv
from loadgui.engine.load.processes import ProcessRun, make_run
from loadgui.engine.stats.breakdown import breakdowns
from loadgui.profile import ProfileError

if TYPE_CHECKING:
    from mock_server.embedded import EmbeddedMockServer

PROGRESS_PERIOD_S = 0.5
EXIT_INTERRUPTED = 130


def run_headless(args: argparse.Namespace) -> int:
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
    except (ProfileError, OSError) as exc:
        if mock:
            mock.stop()
        return fail(str(exc))
    try:
        snapshot = asyncio.run(_drive(run, show_progress=sys.stderr.isatty()))
    finally:
        if mock:
            mock.stop()
    return _report(args, run, snapshot)


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


async def _drive(run: Run | ProcessRun, show_progress: bool) -> Snapshot:
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGINT, run.stop)
    progress = asyncio.ensure_future(_show_progress(run)) if show_progress else None
    try:
        return await run.run()
    finally:
        if progress:
            progress.cancel()
            print(file=sys.stderr)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGINT)


async def _show_progress(run: Run | ProcessRun) -> None:
    while True:
        await asyncio.sleep(PROGRESS_PERIOD_S)
        print("\r" + progress_line(run.snapshot(exact=False)), end="", file=sys.stderr, flush=True)


def _report(args: argparse.Namespace, run: Run | ProcessRun, snapshot: Snapshot) -> int:
    if args.json:
        summary = snapshot.to_dict()
        summary["generator"]["asked_rps"] = round(run.asked_rps, 2)
        for name, groups in breakdowns(run.recorder).items():
            summary[f"by_{name}"] = [g.to_dict() for g in groups]
        if getattr(run, "bursts", None) is not None:
            summary["bursts"] = [b.to_dict() for b in run.bursts.stats]
        print(json.dumps({"state": str(run.state), **summary}))
    else:
        print(summary_table(snapshot, str(run.state), run.asked_rps))
        for name, groups in breakdowns(run.recorder).items():
            print(breakdown_table(name, groups))
        if getattr(run, "bursts", None) is not None:
            print(burst_lines(run.bursts.stats))
    code = EXIT_INTERRUPTED if run.state is RunState.STOPPED else EXIT_OK
    if args.export_csv:
        try:
            rows = write_csv(run.recorder.columns(), args.export_csv, run.recorder.labels)
        except OSError as exc:
            return fail(f"cannot write CSV to {args.export_csv}: {exc.strerror or exc}",
                        EXIT_FAILED)
        print(f"loadgui: wrote {rows} rows to {args.export_csv}", file=sys.stderr)
    if args.max_error_rate is not None and snapshot.error_rate > args.max_error_rate:
        return fail(f"error rate {snapshot.error_rate:.2%} is above --max-error-rate "
                    f"{args.max_error_rate:.2%}", EXIT_FAILED)
    p99_ms = snapshot.latency_p99 * 1000
    if args.max_p99_ms is not None and not p99_ms <= args.max_p99_ms:
        return fail(f"p99 latency {p99_ms:.1f} ms is above --max-p99-ms {args.max_p99_ms:g}",
                    EXIT_FAILED)
    return code
