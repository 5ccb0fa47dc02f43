"""The window keeps every run it made in the run store (the same history `loadgui runs`
lists), off the GUI thread: while it goes (`keep_in_history`, rows about once a second,
those stored leaving memory once many are held) or in one go when it ends (`save_run`)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from loadgui.engine import RunHandle
from loadgui.profile import Profile

log = logging.getLogger(__name__)


def _save(handle: RunHandle, name: str | None, profile: Profile | None) -> int | None:
    from loadgui.store import RunStore, StoreError

    try:
        info = RunStore.open().save_run(profile or handle.profile, handle.report(),
                                        handle.recorder, name=name, source="window")
    except StoreError as exc:
        log.warning("the run was not saved in the run store: %s", exc)
        return None
    return info.id


async def save_run(handle: RunHandle, name: str | None,
                   profile: Profile | None = None) -> int | None:
    """The stored run's id, or None when the store could not take it (logged). `profile`
    is the profile to keep when it is not the one that ran (e.g. aimed at "mock" rather than
    at this launch's mock port, so that Run again works after a relaunch)."""
    return await asyncio.get_running_loop().run_in_executor(None, _save, handle, name,
                                                            profile)


async def keep_in_history(handle: RunHandle, ended: asyncio.Future[Any], name: str | None,
                          profile: Profile | None = None) -> int | None:
    """Start when the run starts (`ended`: its task): the run is saved as it goes, then with
    its final report. The stored run's id, or None when the store could not take it
    (logged). `profile` as for `save_run`."""
    from loadgui.store.live import keep_run

    info = await keep_run(handle, ended, name=name, source="window", profile=profile,
                          warn=log.warning)
    return info.id if info is not None else None
