"""Where the shipped resources (icons, example profiles) live.

A wheel carries them inside the package, as `loadgui/resources/` (setup.py copies the
repository's `resources/` there); they are found through importlib.resources. A checkout or
an editable install has no such folder in the package and reads the repository's `resources/`.
(The folder has no __init__.py, so `import loadgui.resources` is still this module.)
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _resources_folder() -> Path:
    shipped = Path(str(files("loadgui").joinpath("resources")))
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / "resources"


RESOURCES = _resources_folder()


def resource(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def example_profiles() -> list[Path]:
    folder = resource("profiles")
    return sorted(folder.glob("*.json")) if folder.is_dir() else []
