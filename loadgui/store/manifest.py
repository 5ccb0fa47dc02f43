"""run.json: everything about a run but its raw columns, in the run's own directory.

The catalog is rebuilt from these files when it is lost or damaged, and an exported run
carries one. Written when the run begins and again when it ends, each time atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from loadgui import __version__
from loadgui.store.errors import StoreVersionError
from loadgui.store.paths import MANIFEST_FILE

MANIFEST_FORMAT = 1


def environment() -> dict[str, str]:
    """Where the run was made: shown in its HTML report."""
    return {"loadgui": __version__, "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "os": platform.platform(terse=True), "machine": platform.machine(),
            "saved": time.strftime("%Y-%m-%d %H:%M:%S %z")}


def write_manifest(run_dir: Path, record: dict[str, Any]) -> int:
    """Write run.json atomically; returns its size. Raises OSError."""
    text = json.dumps({"format": MANIFEST_FORMAT, **record}, separators=(",", ":"))
    path = run_dir / MANIFEST_FILE
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return len(text.encode("utf-8"))


def parse_manifest(text: str, where: str) -> dict[str, Any]:
    """A run record from run.json's text. Raises ValueError, or StoreVersionError for a
    run written by a newer loadgui."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ValueError(f"{where} is damaged (not JSON)") from None
    if not isinstance(data, dict) or not isinstance(data.get("format"), int):
        raise ValueError(f"{where} is not a loadgui run")
    if data["format"] > MANIFEST_FORMAT:
        raise StoreVersionError(
            f"{where} was written by a newer loadgui (run format {data['format']}; this "
            f"one reads up to {MANIFEST_FORMAT}): upgrade loadgui to read it")
    missing = [k for k in ("uid", "name", "started_at", "status", "profile") if k not in data]
    if missing:
        raise ValueError(f"{where} is damaged (no {', '.join(missing)})")
    data.pop("format")
    return data


def read_manifest(run_dir: Path) -> dict[str, Any]:
    path = run_dir / MANIFEST_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} cannot be read ({exc})") from None
    return parse_manifest(text, str(path))
