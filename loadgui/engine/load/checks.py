"""The checks of a run's requests, compiled once, evaluated on each response."""

from __future__ import annotations

from loadgui.engine.http.seam import Outcome
from loadgui.profile import Profile


def check_names(profile: Profile) -> dict[str, list[str]]:
    """Per request name of the mix, its checks' names in bit order (for the report)."""
    return {}


class RunChecks:
    """Per request of the mix (by index): whether its responses must be captured, and
    which of its checks a response fails."""

    def __init__(self, profile: Profile):
        self.active = False  # no request has a check: nothing to capture or evaluate

    def capture(self, request: int) -> bool:
        """Whether responses of this request need their body and headers kept."""
        return False

    def evaluate(self, request: int, outcome: Outcome, latency: float) -> tuple[int, str]:
        """(bit mask of the failed checks, message naming the first) for an answered
        attempt; (0, "") when every check passed."""
        return 0, ""
