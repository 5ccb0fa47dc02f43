"""The one error every import raises for input it cannot take."""

from __future__ import annotations


class ImportInputError(ValueError):
    """The input cannot be imported; the message is one line a person can act on."""
