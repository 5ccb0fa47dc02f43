"""The load engine: asyncio + httpx + numpy. It never imports Qt."""

from loadgui.engine.recorder import Recorder, Snapshot
from loadgui.engine.runner import Run, RunState
from loadgui.engine.stats import ErrorKind, percentiles

__all__ = ["ErrorKind", "Recorder", "Run", "RunState", "Snapshot", "percentiles"]
