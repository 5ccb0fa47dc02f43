"""A run kept in the store while it goes, for the window and `loadgui serve` (`loadgui run`
has its own RunSaver, with its warnings on stderr).

About once a second the rows recorded since the last time are written as a chunk, off the
event loop, then released to the recorder, which drops those stored once it holds more than
its `hold`: memory stays flat however long the run. When the run ends its final report is
saved. A store that cannot be written costs a warning, never the run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from loadgui.engine.load.handle import RunHandle
from loadgui.engine.stats.report import Report
from loadgui.profile import Profile
from loadgui.store.errors import StoreError
from loadgui.store.info import RunInfo
from loadgui.store.writer import StoredRunWriter

SYNC_PERIOD_S = 1.0


async def keep_run(run: RunHandle, ended: asyncio.Future[Any], *, name: str | None,
                   source: str, warn: Callable[[str], object],
                   profile: Profile | None = None,
                   final_report: Callable[[], Report] | None = None,
                   period: float | None = None) -> RunInfo | None:
    """Save `run` while it goes until `ended` is done, then with its final report
    (`final_report()`, default `run.report()`); returns the stored run's info, or None
    when the store could not take it (said once through `warn`). `profile` is the profile
    to keep when it is not the one that ran. Cancelled, it leaves the run `interrupted`
    with the rows stored so far."""
    loop = asyncio.get_running_loop()
    period = SYNC_PERIOD_S if period is None else period
    labels = {name_: list(values) for name_, values in run.recorder.labels.items()}

    def begin() -> StoredRunWriter:
        from loadgui.store.store import RunStore

        return RunStore.open().begin_run(profile or run.profile, name=name, source=source,
                                         labels=labels)

    beginning = loop.run_in_executor(None, begin)
    try:
        writer = await asyncio.shield(beginning)
    except StoreError as exc:
        warn(f"the run will not be saved: {exc}")
        return None
    except asyncio.CancelledError:
        beginning.add_done_callback(_close_writer)  # it may still be made: not left running
        raise
    warned = False

    def sync() -> None:
        nonlocal warned
        try:
            writer.sync(run.recorder)
        except StoreError as exc:
            if not warned:
                warned = True
                warn(f"saving the run's rows failed: {exc}; the report will still be saved")

    def finish(report: Report) -> RunInfo | None:
        sync()
        try:
            return writer.finish(report)
        except StoreError as exc:
            warn(f"the run was not saved: {exc}")
            return None

    try:
        while not ended.done():
            await asyncio.wait({ended}, timeout=period)
            await loop.run_in_executor(None, sync)
            # Here, on the loop that records the rows: only it may drop them.
            run.recorder.release(writer.stored, writer.read_back)
        report = final_report() if final_report is not None else run.report()
        return await loop.run_in_executor(None, finish, report)
    finally:
        with contextlib.suppress(StoreError, OSError):
            writer.close()


def _close_writer(made: asyncio.Future[StoredRunWriter]) -> None:
    if not made.cancelled() and made.exception() is None:
        made.result().close()
