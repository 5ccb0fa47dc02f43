"""What can go wrong with the run store, each as one sentence a person can act on."""

from __future__ import annotations


class StoreError(Exception):
    """The run store cannot do what was asked; the message says why and what to do."""


class StoreVersionError(StoreError):
    """The store (or a run file) was written by a newer loadgui: read nothing, write nothing."""


class StoreWriteError(StoreError):
    """Saving failed (disk full, unwritable directory); what was stored before is kept."""


class UnknownRun(StoreError):
    """No stored run matches the id or selector given."""
