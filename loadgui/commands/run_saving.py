"""`loadgui run` keeps every run in the run store: its rows while it goes, its report at the end.

Rows stored are released to the recorder, which drops them from memory once it holds more
than its `hold` (so an hour-long run stays flat). A run killed mid-way leaves what was
flushed readable (listed `interrupted`); a store that cannot be written costs a warning,
never the run (its rows then stay in memory).
"""

from __future__ import annotations

import asyncio
import sys

from loadgui.engine import Report, RunHandle
from loadgui.profile import Profile
from loadgui.store import RunStore, StoreError
from loadgui.store.writer import StoredRunWriter

SYNC_PERIOD_S = 1.0


def _warn(message: str) -> None:
    print(f"loadgui: warning: {message}", file=sys.stderr)


class RunSaver:
    def __init__(self, writer: StoredRunWriter):
        self._writer = writer
        self._warned = False

    @classmethod
    def begin(cls, profile: Profile, name: str | None) -> RunSaver | None:
        try:
            store = RunStore.open()
            writer = store.begin_run(profile, name=name, source="cli")
        except StoreError as exc:
            _warn(f"the run will not be saved: {exc}")
            return None
        return cls(writer)

    async def follow(self, run: RunHandle) -> None:
        """Store new rows about once a second until cancelled (off the event loop), then
        let the recorder drop those stored (on the loop, where rows are recorded)."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(SYNC_PERIOD_S)
            await loop.run_in_executor(None, self._sync, run)
            run.recorder.release(self._writer.stored, self._writer.read_back)

    def _sync(self, run: RunHandle) -> None:
        try:
            self._writer.sync(run.recorder)
        except StoreError as exc:
            if not self._warned:
                self._warned = True
                _warn(f"saving the run's rows failed: {exc}; the report will still be saved")

    def finish(self, run: RunHandle, report: Report) -> None:
        self._sync(run)
        try:
            info = self._writer.finish(report)
        except StoreError as exc:
            _warn(f"the run was not saved: {exc}")
            return
        finally:
            self._writer.close()
        print(f"loadgui: saved as run {info.id} (loadgui runs show {info.id})", file=sys.stderr)
