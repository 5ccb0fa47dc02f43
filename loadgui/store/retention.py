"""Which runs to let go: the store keeps the newest `max_runs` and at most `max_bytes`."""

from __future__ import annotations

from dataclasses import dataclass

from loadgui.store.info import RunInfo

DEFAULT_MAX_RUNS = 200
DEFAULT_MAX_BYTES = 2_000_000_000  # 2 GB


@dataclass(frozen=True, slots=True)
class Limits:
    max_runs: int = DEFAULT_MAX_RUNS
    max_bytes: int = DEFAULT_MAX_BYTES


def to_evict(runs: list[RunInfo], limits: Limits, keep: int | None = None) -> list[RunInfo]:
    """The oldest runs to remove until both limits hold. Never a run still being written,
    nor `keep` (the run just saved: it stays even when it alone is over the size limit)."""
    count = len(runs)
    size = sum(run.size_bytes for run in runs)
    out = []
    for run in sorted(runs, key=lambda r: r.id):
        if count <= limits.max_runs and size <= limits.max_bytes:
            break
        if not run.finished or run.id == keep:
            continue
        out.append(run)
        count -= 1
        size -= run.size_bytes
    return out

