"""Validation of the checks of a profile's target and requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loadgui.profile import Profile


def normalise_checks(p: Profile) -> None:
    """Raise ProfileError for the first invalid value of the checks."""
