"""`loadgui run`: one profile, run on plain asyncio (or on Qt's loop under a live plot), with a
progress line, the report, and the CSV and PNG exports."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from loadgui.commands.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    fail,
)
from loadgui.commands.run_args import aimed_at, profile_from_args, uses_mock, wants_live_plot
from loadgui.commands.run_saving import RunSaver
from loadgui.commands.run_text import progress_line, summary_text
from loadgui.commands.threshold_text import failure_line
from loadgui.engine import Report, RunHandle, RunState, make_run
from loadgui.engine.export import write_recorder_csv
from loadgui.engine.http.urls import display_url
from loadgui.profile import Profile, ProfileError

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
        profile = profile_from_args(args)
        if args.save_profile:  # as given: a mock target stays `mock`
            try:
                stored = profile.write(args.save_profile, store_keys=args.store_keys)
            except OSError as exc:
                raise ProfileError(f"cannot save profile to {args.save_profile}: "
                                   f"{exc.strerror or exc}") from None
            _tell_about_keys(args, profile, stored)
        live = _live_plot_module() if wants_live_plot(args) else None
        saver = None if args.no_save else RunSaver.begin(profile, _profile_name(args))
        if uses_mock(profile):
            mock = _start_mock()
            profile = aimed_at(profile, mock.url)
        run = make_run(profile)
        signals: list[int] = []
        closed_early = False

        def drive() -> Coroutine[object, object, Report]:
            return _drive(run, sys.stderr.isatty(), signals, saver)

        if live is None:
            report = asyncio.run(drive())
        else:
            result = live.run_live(run, drive, title=_title(args, profile),
                                   expected_duration=profile.limits.duration)
            report, closed_early = result.report, result.closed_early
        if saver is not None:
            saver.finish(run, report)
    except (ProfileError, OSError) as exc:
        return fail(str(exc))
    finally:
        if mock:
            mock.stop()
    if closed_early:
        print("loadgui: the run was stopped: its live plot window was closed", file=sys.stderr)
    return _finish(args, profile, run, report, signals, closed_early)


def _live_plot_module() -> ModuleType | None:
    """loadgui.ui.live_plot, or None (and a note) when Qt cannot load here."""
    try:
        from loadgui.ui import live_plot
    except ImportError as exc:
        print(f"loadgui: the live plot cannot start ({exc}); running without it",
              file=sys.stderr)
        return None
    return live_plot


def _profile_name(args: argparse.Namespace) -> str | None:
    """The --profile file's name without its suffix: what the run is called."""
    return Path(args.profile).stem if args.profile else None


def _title(args: argparse.Namespace, profile: Profile) -> str:
    url = display_url(profile.url())
    name = _profile_name(args)
    return f"{name} · {url}" if name else url


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


async def _drive(run: RunHandle, show_progress: bool, signals: list[int],
                 saver: RunSaver | None = None) -> Report:
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
    saving = asyncio.ensure_future(saver.follow(run)) if saver is not None else None
    try:
        return await run.run()
    finally:
        if saving:
            saving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await saving
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


def _tell_about_keys(args: argparse.Namespace, profile: Profile, stored: bool) -> None:
    if stored:
        print(f"loadgui: warning: {args.save_profile} holds {len(profile.keys.keys)} API "
              "key(s) in clear (written with mode 0600): keep it out of version control",
              file=sys.stderr)
    elif profile.keys.keys:
        print(f"loadgui: the API keys were not saved in {args.save_profile}; give them with "
              "-k or -f when running it, or save with --store-keys", file=sys.stderr)


def _print_report(text: str) -> None:
    """Print the report; a reader that went away (`| head`) must not cost the CSV."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Point stdout at nothing, so that Python's exit flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _finish(args: argparse.Namespace, profile: Profile, run: RunHandle, report: Report,
            signals: list[int], closed_early: bool) -> int:
    _print_report(json.dumps(report.to_dict()) if args.json
                  else summary_text(report))
    code = EXIT_OK
    if signals:
        code = EXIT_TERMINATED if signals[0] == signal.SIGTERM else EXIT_INTERRUPTED
    elif closed_early:
        code = EXIT_INTERRUPTED
    elif report.state == RunState.FAILED:
        fail(f"the run failed: {report.reason}", EXIT_FAILED)
        code = EXIT_FAILED
    written = True
    if args.export_csv:
        try:
            # Rows dropped from memory once stored are read back from the run store.
            rows = write_recorder_csv(run.recorder, args.export_csv)
            print(f"loadgui: wrote {rows} rows to {args.export_csv}", file=sys.stderr)
        except OSError as exc:
            written = not fail(f"cannot write CSV to {args.export_csv}: "
                               f"{exc.strerror or exc}", EXIT_FAILED)
    if args.export_png:
        try:
            _export_png(args, profile, report)
            print(f"loadgui: wrote the plots to {args.export_png}", file=sys.stderr)
        except (OSError, ImportError) as exc:
            written = not fail(f"cannot write PNG to {args.export_png}: "
                               f"{getattr(exc, 'strerror', None) or exc}", EXIT_FAILED)
    if args.junit:
        written = _write_junit(args, report) and written
    if not written:
        return EXIT_FAILED
    if code != EXIT_OK:
        return code
    return _thresholds(args, report)


def _export_png(args: argparse.Namespace, profile: Profile, report: Report) -> None:
    """Draw the report's plots off screen: no window is opened, no display needed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # when no window is open yet
    from loadgui.ui.report_png import save_report_png

    save_report_png(report, profile, args.export_png, name=_profile_name(args))


def _thresholds(args: argparse.Namespace, report: Report) -> int:
    """The profile's thresholds, --threshold and the --max-* shorthands (all evaluated into
    the report): exit 1 when one failed."""
    failed = failure_line(report, args)
    return EXIT_OK if failed is None else fail(failed, EXIT_FAILED)


def _write_junit(args: argparse.Namespace, report: Report) -> bool:
    from loadgui.commands.junit import write_junit

    try:
        write_junit(report, args.junit, name=_profile_name(args) or report.target)
    except OSError as exc:
        return not fail(f"cannot write JUnit XML to {args.junit}: {exc.strerror or exc}",
                        EXIT_FAILED)
    print(f"loadgui: wrote JUnit XML to {args.junit}", file=sys.stderr)
    return True
