"""RunStore: the history of runs on this machine (see the package's docstring)."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import numpy as np

from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report import Report
from loadgui.profile import Profile
from loadgui.store import archive, catalog, naming, recovery
from loadgui.store.errors import StoreError, UnknownRun
from loadgui.store.info import INTERRUPTED, RUNNING, RunInfo, info_of_row
from loadgui.store.locks import writer_alive
from loadgui.store.opened import StoredRun, open_stored_run
from loadgui.store.paths import CATALOG_FILE, LOCK_FILE, RUNS_DIR, store_home
from loadgui.store.retention import Limits, to_evict
from loadgui.store.selectors import select
from loadgui.store.writer import StoredRunWriter


class RunStore:
    """Open with `RunStore.open()`. `notices` says what opening found and repaired."""

    def __init__(self, home: Path):
        self.home = home
        self.catalog_path = home / CATALOG_FILE
        self.runs_dir = home / RUNS_DIR
        self.notices: list[str] = []

    @classmethod
    def open(cls, home: str | Path | None = None) -> RunStore:
        """The store at `home` (default: $LOADGUI_HOME or the platform's data directory),
        created when missing, its catalog rebuilt from the runs on disk when damaged.
        Raises StoreError (StoreVersionError for a store of a newer loadgui)."""
        store = cls(Path(home) if home is not None else store_home())
        try:
            store.runs_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the run store {store.home}: "
                             f"{exc.strerror or exc}") from None
        store._prepare()
        return store

    def _prepare(self) -> None:
        try:
            created = catalog.prepare(self.catalog_path)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot open the run catalog {self.catalog_path}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            try:
                kept = recovery.set_aside(self.catalog_path)
                created = catalog.prepare(self.catalog_path)
            except (OSError, sqlite3.Error) as again:
                raise StoreError(f"the run catalog {self.catalog_path} is damaged ({exc}) "
                                 f"and cannot be replaced ({again})") from None
            self.notices.append(f"the run catalog was damaged ({exc}); it was kept as "
                                f"{kept.name} and a new one made from the runs on disk")
        if created:
            added, problems = recovery.relist(self.catalog_path, self.runs_dir)
            if added:
                self.notices.append(f"listed again {added} run{'s' * (added != 1)} found "
                                    f"in {self.runs_dir}")
            self.notices.extend(problems)

    # --- saving ------------------------------------------------------------------------------
    def begin_run(self, profile: Profile, *, name: str | None = None, source: str = "api",
                  labels: dict[str, list[str]] | None = None) -> StoredRunWriter:
        """Start saving a run: `append` (or `sync`) its rows as it goes, then `finish`.
        `name` is the profile's name (its file's stem), used by `compare NAME`; default:
        the target URL. Raises StoreWriteError."""
        return StoredRunWriter.begin(self, profile, name, source, labels)

    def save_run(self, profile: Profile, report: Report, recorder: Recorder, *,
                 name: str | None = None, source: str = "api") -> RunInfo:
        """Save a run that has ended, in one go (its rows and final report)."""
        writer = self.begin_run(profile, name=name, source=source, labels=recorder.labels)
        try:
            writer.sync(recorder)
        finally:
            info = writer.finish(report)
        return info

    def save_columns(self, profile: Profile, report: Report, columns: dict[str, np.ndarray],
                     messages: list[str], *, name: str | None = None, source: str = "api",
                     labels: dict[str, list[str]] | None = None) -> RunInfo:
        writer = self.begin_run(profile, name=name, source=source, labels=labels)
        try:
            writer.append(columns, messages)
        finally:
            info = writer.finish(report)
        return info

    # --- reading -----------------------------------------------------------------------------
    def list_runs(self) -> list[RunInfo]:
        """Every run, newest first; a run whose writer has gone is marked interrupted."""
        with catalog.connection(self.catalog_path) as conn:
            rows = conn.execute(f"{catalog.SELECT_INFO} ORDER BY id DESC").fetchall()
        runs = [info_of_row(row) for row in rows]
        if any(run.status == RUNNING for run in runs):
            runs = [self._checked(run) for run in runs]
        return runs

    def info(self, run_id: int) -> RunInfo:
        with catalog.connection(self.catalog_path) as conn:
            row = conn.execute(f"{catalog.SELECT_INFO} WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise UnknownRun(f"no stored run has id {run_id}")
        return self._checked(info_of_row(row))

    def _checked(self, run: RunInfo) -> RunInfo:
        if run.status != RUNNING or writer_alive(self.runs_dir / run.uid / LOCK_FILE):
            return run
        try:
            with catalog.connection(self.catalog_path) as conn:
                catalog.update_run(conn, run.id, status=INTERRUPTED,
                                   reason=recovery.INTERRUPTED_REASON)
        except (sqlite3.Error, StoreError):
            pass  # a read-only store: still shown as interrupted
        return dataclasses.replace(run, status=INTERRUPTED, reason=recovery.INTERRUPTED_REASON)

    def select(self, selector: str) -> RunInfo:
        """A run by id, `latest`, `previous`, profile name, `NAME~N` (see selectors.HELP)."""
        return select(selector, self.list_runs())

    def open_run(self, run: int | str | RunInfo) -> StoredRun:
        """The run's profile, report and (lazily, `columns()`) raw attempt columns."""
        info = run if isinstance(run, RunInfo) else (
            self.info(run) if isinstance(run, int) else self.select(run))
        return open_stored_run(self, info)

    # --- sharing -----------------------------------------------------------------------------
    def export_run(self, run_id: int, path: str | Path) -> Path:
        """Write the run to one `.loadgui-run` file (added when `path` has no suffix)."""
        return archive.export_run(self, run_id, Path(path))

    def import_run(self, path: str | Path) -> RunInfo:
        """Add the run in a `.loadgui-run` file; it gets a new id in this store."""
        return archive.import_run(self, Path(path))

    # --- naming ------------------------------------------------------------------------------
    def rename(self, run_id: int, name: str) -> RunInfo:
        """Give a finished run another name (selectors find it by that name from then on).
        Raises UnknownRun, StoreError for a bad name, StoreWriteError."""
        return naming.relabel(self, run_id, name=naming.checked_name(name))

    def tag(self, run_id: int, tags: list[str]) -> RunInfo:
        """Add tags (one word each) to a finished run; `tag:NAME` selects the newest."""
        return naming.relabel(self, run_id, add=naming.checked_tags(tags))

    def untag(self, run_id: int, tags: list[str]) -> RunInfo:
        """Remove these tags from a run (a tag it does not have is no error)."""
        return naming.relabel(self, run_id, remove=naming.checked_tags(tags))

    # --- removing ----------------------------------------------------------------------------
    def remove(self, run_id: int) -> RunInfo:
        """Remove a finished run (its catalog rows first, then its files)."""
        info = self.info(run_id)
        if not info.finished:
            raise StoreError(f"run {run_id} is still being saved; stop it first")
        with catalog.connection(self.catalog_path) as conn:
            removed = catalog.delete_run(conn, run_id)
        if removed:
            shutil.rmtree(self.runs_dir / info.uid, ignore_errors=True)
        return info

    @property
    def limits(self) -> Limits:
        with catalog.connection(self.catalog_path) as conn:
            runs = catalog.get_setting(conn, "max_runs")
            size = catalog.get_setting(conn, "max_bytes")
        default = Limits()
        return Limits(int(runs) if runs else default.max_runs,
                      int(size) if size else default.max_bytes)

    def set_limits(self, limits: Limits) -> list[RunInfo]:
        """Keep these limits from now on (for every program using this store); returns the
        runs removed to meet them."""
        with catalog.connection(self.catalog_path) as conn, catalog.transaction(conn):
            catalog.set_setting(conn, "max_runs", str(limits.max_runs))
            catalog.set_setting(conn, "max_bytes", str(limits.max_bytes))
        return self.apply_retention()

    def apply_retention(self, keep: int | None = None) -> list[RunInfo]:
        """Remove the oldest runs beyond the limits; never `keep` nor a run being saved.
        A failure here is noted in `notices`, never raised: saving already succeeded."""
        try:
            removed = []
            for run in to_evict(self.list_runs(), self.limits, keep):
                with catalog.connection(self.catalog_path) as conn:
                    if catalog.delete_run(conn, run.id):
                        shutil.rmtree(self.runs_dir / run.uid, ignore_errors=True)
                        removed.append(run)
            return removed
        except (sqlite3.Error, StoreError, OSError) as exc:
            self.notices.append(f"could not remove old runs: {exc}")
            return []
