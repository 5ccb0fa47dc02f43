"""Validation of Retry-After handling and API key quarantine."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loadgui.profile import Profile


def normalise_retry(p: Profile) -> None:
    """Raise ProfileError for the first invalid value of retry and quarantine."""
