"""Entry point for the window; imports Qt only when the window is asked for."""

from __future__ import annotations

import os
import sys


def launch_window(profile_path: str | None = None, start_mock: bool = True) -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        print("loadgui: error: no display to open the window on (DISPLAY is not set); "
              "use `loadgui run` for headless runs", file=sys.stderr)
        return 1
    try:
        from loadgui.ui.app import run_window
    except ImportError as exc:
        print(f"loadgui: error: the window cannot start: {exc} "
              "(install the system libraries Qt needs; see the README)", file=sys.stderr)
        return 1
    return run_window(profile_path=profile_path, start_mock=start_mock)
