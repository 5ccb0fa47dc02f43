"""Which stored run a person means: `12`, `latest`, `previous`, a run's name, `tag:TAG`,
`NAME~2`."""

from __future__ import annotations

import re

from loadgui.store.errors import UnknownRun
from loadgui.store.info import RunInfo

_BACK = re.compile(r"(?P<base>.+?)~(?P<back>\d+)")
TAG = "tag:"
HELP = ("a run id (see `loadgui runs list`), latest, previous, a profile name (its latest "
        "run), tag:TAG (the latest run tagged so), or any of these followed by ~N (N runs "
        "before it)")


def select(selector: str, runs: list[RunInfo]) -> RunInfo:
    """The run `selector` names among `runs` (newest first). Runs still being written count
    only by id. Raises UnknownRun with a one-line message."""
    text = selector.strip()
    if text.isdigit():
        for run in runs:
            if run.id == int(text):
                return run
        raise UnknownRun(f"no stored run has id {text}")
    base, back = text, 0
    match = _BACK.fullmatch(text)
    if match:
        base, back = match["base"], int(match["back"])
    finished = [run for run in runs if run.finished]
    if base == "previous":
        base, back = "latest", back + 1
    if base == "latest":
        chosen = finished
        if not chosen:
            raise UnknownRun("no finished run is stored yet")
    elif base.startswith(TAG) and len(base) > len(TAG):
        tag = base[len(TAG):]
        chosen = [run for run in finished if tag in run.tags]
        if not chosen:
            raise UnknownRun(f"no finished run is tagged {tag!r}")
    else:
        chosen = [run for run in finished if run.name == base]
        if not chosen:
            raise UnknownRun(f"no stored run matches {selector!r}: give {HELP}")
    count = len(chosen)
    if back >= count:
        plural = "s" * (count != 1)
        what = f"stored run{plural}" if base == "latest" else f"run{plural} of {base!r}"
        if base.startswith(TAG):
            what = f"run{plural} tagged {base[len(TAG):]!r}"
        raise UnknownRun(f"{selector!r} needs {back + 1} finished runs, but there "
                         f"{'is' if count == 1 else 'are'} only {count} {what}")
    return chosen[back]
