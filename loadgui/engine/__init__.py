"""The load engine: asyncio + httpx + numpy. It never imports Qt."""

from loadgui.engine.load.run import Run, RunState
from loadgui.engine.stats.basics import ErrorKind, percentiles
from loadgui.engine.stats.recorder import Recorder, Snapshot

__all__ = ["ErrorKind", "Recorder", "Run", "RunState", "Snapshot", "percentiles"]
