"""Renaming and tagging stored runs, kept both in the catalog and in the run's run.json (so
a catalog rebuilt from the runs on disk keeps them)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from loadgui.store import catalog
from loadgui.store.errors import StoreError, StoreWriteError, UnknownRun
from loadgui.store.info import RunInfo, tags_of
from loadgui.store.manifest import read_manifest, write_manifest
from loadgui.store.paths import MANIFEST_FILE

if TYPE_CHECKING:
    from loadgui.store.store import RunStore

MAX_NAME = 200
MAX_TAG = 64


def checked_name(name: str) -> str:
    """The name, stripped. Raises StoreError for an empty, multi-line or overlong one."""
    text = name.strip()
    if not text:
        raise StoreError("a run's name cannot be empty")
    if not text.isprintable():
        raise StoreError(f"a run's name must be one line of text, got {name!r}")
    if len(text) > MAX_NAME:
        raise StoreError(f"a run's name has at most {MAX_NAME} characters")
    return text


def checked_tags(tags: list[str]) -> list[str]:
    """The tags, each one word: no space, comma or control character (so `tag:NAME` and a
    comma-separated list read them back). Raises StoreError."""
    if not tags:
        raise StoreError("give at least one tag")
    for tag in tags:
        if not tag or not tag.isprintable() or "," in tag or any(c.isspace() for c in tag):
            raise StoreError(f"a tag is one word without spaces or commas, got {tag!r}")
        if len(tag) > MAX_TAG:
            raise StoreError(f"a tag has at most {MAX_TAG} characters, got {tag!r}")
    return tags


def relabel(store: RunStore, run_id: int, *, name: str | None = None,
            add: Sequence[str] = (), remove: Sequence[str] = ()) -> RunInfo:
    """Set the run's name and/or add and remove tags; returns the run as it is now."""
    info = store.info(run_id)
    if not info.finished:  # its writer rewrites run.json when the run ends
        raise StoreError(f"run {run_id} is still being saved; rename or tag it once it ends")
    run_dir = store.runs_dir / info.uid
    try:
        with catalog.connection(store.catalog_path) as conn, catalog.transaction(conn):
            # In the transaction, so that two processes changing one run take turns.
            row = conn.execute("SELECT name, tags, size_bytes FROM runs WHERE id = ?",
                               (run_id,)).fetchone()
            if row is None:
                raise UnknownRun(f"no stored run has id {run_id}")
            record = read_manifest(run_dir)
            record["name"] = row[0] if name is None else name
            record["tags"] = sorted((set(tags_of(row[1])) | set(add)) - set(remove))
            before = (run_dir / MANIFEST_FILE).stat().st_size
            catalog.update_run(conn, run_id, name=record["name"], tags=record["tags"])
            # Last, so that a failure before it leaves both as they were (rolled back).
            after = write_manifest(run_dir, record)
            catalog.update_run(conn, run_id, size_bytes=row[2] + after - before)
    except ValueError as exc:
        raise StoreError(f"cannot change run {run_id}: {exc}") from None
    except (OSError, sqlite3.Error) as exc:
        raise StoreWriteError(f"cannot change run {run_id}: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None
    return store.info(run_id)
