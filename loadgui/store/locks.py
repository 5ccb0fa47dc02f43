"""Is a run still being written? Its writer holds a lock on a file in the run's directory;
the system drops the lock when the process ends, however it ends, so a run whose lock is
free and that never finished was interrupted (the process was killed or crashed)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO


class WriterLock:
    """Held by a run's writer from begin_run until it finishes or is closed."""

    def __init__(self, path: Path):
        self._file: IO[bytes] | None = open(path, "a+b")  # noqa: SIM115 (held open)
        if not _try_lock(self._file):
            self._file.close()
            self._file = None
            raise OSError(f"{path} is locked by another writer")

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None


def writer_alive(path: Path) -> bool:
    """Whether some process (this one included) holds the run's writer lock."""
    try:
        with open(path, "a+b") as f:
            return not _try_lock(f)
    except OSError:
        return False  # no lock file: the writer never got as far


if sys.platform == "win32":
    import msvcrt

    def _try_lock(f: IO[bytes]) -> bool:
        f.seek(0)
        try:
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(f: IO[bytes]) -> bool:
        # flock, not lockf: a flock belongs to the open file, so a second open in the same
        # process sees the lock too.
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True
