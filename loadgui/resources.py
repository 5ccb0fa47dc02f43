"""Where the shipped resources (icons, example profiles, styles) live."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def example_profiles() -> list[Path]:
    folder = resource("profiles")
    return sorted(folder.glob("*.json")) if folder.is_dir() else []
