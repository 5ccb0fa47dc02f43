"""Validation of a profile's thresholds: each expression must parse."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loadgui.profile import Profile


def normalise_thresholds(p: Profile) -> None:
    """Raise ProfileError for the first invalid value of the thresholds."""
