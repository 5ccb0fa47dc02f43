"""The load engine: asyncio + httpx + numpy. It never imports Qt."""

from loadgui.engine.recorder import ErrorKind, Recorder, Snapshot, percentiles
from loadgui.engine.runner import Run, RunState

__all__ = ["ErrorKind", "Recorder", "Run", "RunState", "Snapshot", "percentiles"]
