"""Where the run store lives: one place for the window, `loadgui run` and `loadgui serve`."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_ENV = "LOADGUI_HOME"
CATALOG_FILE = "catalog.sqlite"
RUNS_DIR = "runs"
MANIFEST_FILE = "run.json"
LOCK_FILE = "writer.lock"


def store_home() -> Path:
    """$LOADGUI_HOME when set (tests, a second store), else the platform's data directory
    (~/.local/share/loadgui, ~/Library/Application Support/loadgui, %LOCALAPPDATA%\\loadgui)."""
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("loadgui", appauthor=False))
