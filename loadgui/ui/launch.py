"""Entry point for the window; imports Qt only when the window is asked for."""

from __future__ import annotations

import sys


def launch_window(profile_path: str | None = None, start_mock: bool = True) -> int:
    print("loadgui: the window is coming soon; use `loadgui run --help` meanwhile",
          file=sys.stderr)
    return 0
