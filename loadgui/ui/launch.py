"""Entry point for the window; imports Qt only when the window is asked for."""

from __future__ import annotations

import sys


def launch_window(profile_path: str | None = None, start_mock: bool = True) -> int:
    try:
        from loadgui.ui.app import run_window
    except ImportError as exc:
        print(f"loadgui: error: the window cannot start: {exc} "
              "(install the system libraries Qt needs; see the README)", file=sys.stderr)
        return 1
    return run_window(profile_path=profile_path, start_mock=start_mock)
