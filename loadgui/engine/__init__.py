"""The load engine: asyncio + httpx + numpy. It never imports Qt.

Views use `make_run(profile)` and speak only to the RunHandle it returns; every figure they
show comes from its `report()`.
"""

from loadgui.engine.load.handle import FINISHED, RunHandle, RunState
from loadgui.engine.load.run import Run
from loadgui.engine.load.start import make_run
from loadgui.engine.stats.basics import ErrorKind, percentiles
from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report import Report

__all__ = ["FINISHED", "ErrorKind", "Recorder", "Report", "Run", "RunHandle", "RunState",
           "make_run", "percentiles"]
