"""Writing a text file all or nothing, owner-only when it holds secrets."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_text_atomically(path: str | Path, text: str, *, private: bool) -> None:
    """A temporary file beside `path`, renamed over it: a reader never sees half a file.

    mkstemp makes it 0600, which a file holding secrets keeps; any other file gets the usual
    mode (0666 less the umask). Raises OSError.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
