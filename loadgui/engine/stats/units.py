"""The one way seconds become milliseconds: numbers for JSON, text for people."""

from __future__ import annotations

import math

NO_VALUE = "–"


def to_ms(seconds: float) -> float | None:
    """Seconds as milliseconds for JSON: rounded to the microsecond, None for NaN."""
    return None if math.isnan(seconds) else round(seconds * 1000, 3)


def ms_text(seconds: float, empty: str = NO_VALUE) -> str:
    """Seconds as milliseconds for people: one decimal below 100 ms, none above."""
    if math.isnan(seconds):
        return empty
    value = seconds * 1000
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
