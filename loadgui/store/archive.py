"""One run as one `.loadgui-run` file, to share: a zip of its run.json and column chunks.

The chunks are copied as they are (already compressed); the file holds no secret, since
the store never had one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loadgui.store import catalog, recovery
from loadgui.store.codec import decode_report
from loadgui.store.columns import CHUNK_RE, chunk_files, read_chunk
from loadgui.store.errors import StoreError, StoreWriteError
from loadgui.store.info import INTERRUPTED, RunInfo
from loadgui.store.manifest import MANIFEST_FORMAT, parse_manifest, write_manifest
from loadgui.store.opened import record_of
from loadgui.store.paths import MANIFEST_FILE

if TYPE_CHECKING:
    from loadgui.store.store import RunStore

SUFFIX = ".loadgui-run"
MAX_MANIFEST_BYTES = 512 * 2**20


def export_run(store: RunStore, run_id: int, path: Path) -> Path:
    """Write run `run_id` to `path` (`.loadgui-run` added when it has no suffix)."""
    if not path.suffix:
        path = path.with_name(path.name + SUFFIX)
    run = store.open_run(run_id)
    record = {"format": MANIFEST_FORMAT, **record_of(run)}
    record.pop("id")  # this store's number: the importing store gives its own
    temporary = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
            zf.writestr(MANIFEST_FILE, catalog.dumps(record),
                        compress_type=zipfile.ZIP_DEFLATED)
            for _, chunk in chunk_files(run.dir):
                zf.write(chunk, chunk.name)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise StoreWriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def import_run(store: RunStore, path: Path) -> RunInfo:
    """Add the run in a `.loadgui-run` file to the store; returns it (with its new id)."""
    try:
        with zipfile.ZipFile(path) as zf:
            record = _record(zf, path)
            known = _known(store, record["uid"])
            if known is not None:
                raise StoreError(f"{path} holds run {known} of this store already")
            run_dir = store.runs_dir / record["uid"]
            temporary = run_dir.with_name(run_dir.name + ".part")
            shutil.rmtree(temporary, ignore_errors=True)
            temporary.mkdir(parents=True)
            try:
                rows = _extract_chunks(zf, temporary, path)
                write_manifest(temporary, record)
                os.replace(temporary, run_dir)
            except BaseException:
                shutil.rmtree(temporary, ignore_errors=True)
                raise
    except FileNotFoundError:
        raise StoreError(f"{path} does not exist") from None
    except zipfile.BadZipFile:
        raise StoreError(f"{path} is not a {SUFFIX} file (not a zip archive)") from None
    except OSError as exc:
        raise StoreWriteError(f"cannot import {path}: {exc.strerror or exc}") from None
    run_id = _list(store, run_dir, record, rows)
    store.apply_retention(keep=run_id)
    return store.info(run_id)


def _record(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        member = zf.getinfo(MANIFEST_FILE)
    except KeyError:
        raise StoreError(f"{path} is not a {SUFFIX} file (no {MANIFEST_FILE})") from None
    if member.file_size > MAX_MANIFEST_BYTES:
        raise StoreError(f"{path}: its {MANIFEST_FILE} is too large to be a run")
    try:
        record = parse_manifest(zf.read(member).decode("utf-8"), f"{path}")
        if not isinstance(record["uid"], str) or not record["uid"].isalnum():
            raise ValueError(f"{path} is damaged (bad uid)")
        if record.get("report") is not None:
            decode_report(record["report"])  # refuse a damaged report before storing it
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreError(str(exc)) from None
    if record["status"] == "running":
        record["status"] = INTERRUPTED
    record["source"] = "import"
    return record


def _known(store: RunStore, uid: str) -> int | None:
    with catalog.connection(store.catalog_path) as conn:
        row = conn.execute("SELECT id FROM runs WHERE uid = ?", (uid,)).fetchone()
    return None if row is None else int(row[0])


def _extract_chunks(zf: zipfile.ZipFile, run_dir: Path, path: Path) -> int:
    rows = 0
    for member in zf.infolist():
        if CHUNK_RE.fullmatch(member.filename) is None:
            continue  # only our own names: nothing can land outside the run's directory
        if member.compress_type != zipfile.ZIP_STORED:  # as exported: no size surprises
            raise StoreError(f"{path}: {member.filename} is not stored as loadgui stores it")
        target = run_dir / member.filename
        with zf.open(member) as source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink, 2**20)
        try:
            rows += len(read_chunk(target)[0]["t_start"])
        except ValueError as exc:
            raise StoreError(f"{path}: {exc}") from None
    return rows


def _list(store: RunStore, run_dir: Path, record: dict[str, Any], rows: int) -> int:
    try:
        with catalog.connection(store.catalog_path) as conn, catalog.transaction(conn):
            return recovery.list_run(conn, run_dir, {**record, "rows": rows})
    except sqlite3.Error as exc:
        shutil.rmtree(run_dir, ignore_errors=True)
        raise StoreWriteError(f"cannot list the imported run: {exc}") from None
