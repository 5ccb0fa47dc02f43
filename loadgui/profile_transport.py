"""Validation of how requests travel: connection policy, HTTP/2, TLS, proxy."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loadgui.profile import Profile


def normalise_transport(p: Profile) -> None:
    """Raise ProfileError for the first invalid value of the transport fields."""
