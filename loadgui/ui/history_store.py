"""The window's calls into the run store, each run in a worker thread (`in_worker`): the
store reads SQLite and files, which must never hold up the GUI thread. Each call opens the
store anew ($LOADGUI_HOME, as `loadgui runs` does), so a run saved or removed by another
program shows the next time."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from loadgui.store import RunDiff, RunInfo, RunStore, StoredRun, StoreError, compare_runs
from loadgui.threshold_verdicts import Verdict, stored_verdicts

T = TypeVar("T")


async def in_worker(function: Callable[..., T], *args: object) -> T:
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


async def shown_if_refused(show_error: Callable[[str, str], object], title: str,
                           function: Callable[..., T], *args: object) -> T | None:
    """`function(*args)` in a worker thread; None once `show_error(title, why)` said why
    the store refused (StoreError)."""
    try:
        return await in_worker(function, *args)
    except StoreError as exc:
        show_error(title, str(exc))
        return None


@dataclass(frozen=True)
class Listing:
    runs: list[RunInfo]  # newest first
    home: Path
    notices: list[str]  # what opening the store found and repaired
    verdicts: dict[int, Verdict] | None  # run id -> its thresholds'; None: unreadable


@dataclass(frozen=True)
class Comparison:
    a: StoredRun
    b: StoredRun
    diff: RunDiff  # B against A


def list_runs() -> Listing:
    """The runs and their thresholds' verdicts, from one opening of the store."""
    store = RunStore.open()
    runs = store.list_runs()
    return Listing(runs, store.home, list(store.notices), verdicts(store) if runs else {})


def verdicts(store: RunStore | None = None) -> dict[int, Verdict] | None:
    """Each stored run's thresholds' pass or fail; None when the store cannot be read (its
    listing says why)."""
    try:
        return stored_verdicts(store or RunStore.open())
    except (StoreError, OSError, sqlite3.Error):
        return None


def open_run(run_id: int) -> StoredRun:
    return RunStore.open().open_run(run_id)


def compare(a_id: int, b_id: int) -> Comparison:
    store = RunStore.open()
    a, b = store.open_run(a_id), store.open_run(b_id)
    return Comparison(a, b, compare_runs(a, b))


def remove(run_ids: list[int]) -> list[str]:
    """Remove each run; one sentence per run that could not be removed."""
    store = RunStore.open()
    problems = []
    for run_id in run_ids:
        try:
            store.remove(run_id)
        except StoreError as exc:
            problems.append(str(exc))
    return problems


def rename(run_id: int, name: str) -> RunInfo:
    return RunStore.open().rename(run_id, name)


def set_tags(run_id: int, tags: list[str]) -> RunInfo:
    """Give the run exactly these tags (the ones it has and are not listed are removed)."""
    store = RunStore.open()
    info = store.info(run_id)
    wanted = set(tags)
    if wanted - set(info.tags):
        info = store.tag(run_id, sorted(wanted - set(info.tags)))
    if set(info.tags) - wanted:
        info = store.untag(run_id, sorted(set(info.tags) - wanted))
    return info


def export_run(run_id: int, path: str) -> Path:
    return RunStore.open().export_run(run_id, path)


def import_run(path: str) -> RunInfo:
    return RunStore.open().import_run(path)
