"""The run store: every run's profile, final report, series and raw attempt columns, kept on
this machine so that a run can be compared with the ones before it.

Layout under the store's home ($LOADGUI_HOME, else the platform's data directory):

    catalog.sqlite        runs (with their reports) and per-interval series; WAL mode
    runs/<uid>/run.json   the run's record: the catalog can be rebuilt from these
    runs/<uid>/cols-NNNNNN.npz   raw attempt columns, one chunk per append

Secrets are never stored: API keys are kept as their count (the attempts name them by
index), URLs without `user:password`, credential headers masked. Qt-free; the window, the
CLI and `loadgui serve` are its clients:

    store = RunStore.open()
    writer = store.begin_run(profile, name="smoke", source="cli")
    writer.sync(recorder)            # during the run, now and then
    writer.finish(report)            # at the end (completed, stopped or failed)
    runs = store.list_runs()
    run = store.open_run("latest")   # .profile, .report, .columns(), .batches(), .problems
    diff = compare_runs(store.open_run("previous"), run)

`writer.sync` then `recorder.release(writer.stored, writer.read_back)` lets a long run's
recorder drop the rows stored (store.live.keep_run does both for the window and the service).
"""

from loadgui.store.archive import SUFFIX as ARCHIVE_SUFFIX
from loadgui.store.columns import StoredColumns
from loadgui.store.compare import MetricDelta, RunDiff, ScopeDiff, compare_reports, compare_runs
from loadgui.store.errors import StoreError, StoreVersionError, StoreWriteError, UnknownRun
from loadgui.store.gates import Gates
from loadgui.store.info import RunInfo
from loadgui.store.opened import StoredRun
from loadgui.store.paths import HOME_ENV, store_home
from loadgui.store.profile_diff import ProfileChange, profile_changes
from loadgui.store.retention import Limits
from loadgui.store.selectors import HELP as SELECTOR_HELP
from loadgui.store.store import RunStore
from loadgui.store.writer import StoredRunWriter

__all__ = [
    "ARCHIVE_SUFFIX", "HOME_ENV", "SELECTOR_HELP", "Gates", "Limits", "MetricDelta",
    "ProfileChange", "RunDiff", "RunInfo", "RunStore", "ScopeDiff", "StoreError",
    "StoreVersionError", "StoreWriteError", "StoredColumns", "StoredRun", "StoredRunWriter",
    "UnknownRun", "compare_reports", "compare_runs", "profile_changes", "store_home",
]
