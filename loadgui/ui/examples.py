"""The bundled example profiles, with the names and descriptions resources/examples.json
gives them (a profile file has no name of its own)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loadgui.resources import example_profiles, resource

INDEX = ("examples.json",)


@dataclass(frozen=True)
class Example:
    path: Path
    name: str
    description: str

    @property
    def file_name(self) -> str:
        return self.path.name


@cache
def examples() -> tuple[Example, ...]:
    """In the index's order; a profile the index does not list comes last, named by its file.
    Read once: the bundled files don't change while the window is open."""
    files = {path.name: path for path in example_profiles()}
    listed: list[Example] = []
    for entry in _index():
        path = files.pop(str(entry.get("file", "")), None)
        if path is not None:
            listed.append(Example(path, str(entry.get("name") or _name(path)),
                                  str(entry.get("description", ""))))
    return (*listed, *(Example(path, _name(path), "") for path in files.values()))


def example_at(path: str | Path) -> Example | None:
    """The example a path is (however it was reached: Open, Open Recent, the command line)."""
    try:
        resolved = Path(path).resolve()
    except OSError:
        return None
    return next((e for e in examples() if e.path.resolve() == resolved), None)


def _index() -> list[dict[str, object]]:
    try:
        data = json.loads(resource(*INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # no index: file names it is
    entries = data.get("examples", []) if isinstance(data, dict) else []
    return [e for e in entries if isinstance(e, dict)]


def _name(path: Path) -> str:
    return path.stem.replace("-", " ").capitalize()
