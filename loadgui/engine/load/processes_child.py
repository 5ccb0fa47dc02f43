"""The worker-process side of a ProcessRun: run a share of the profile, stream rows back."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from multiprocessing.connection import Connection

from loadgui.engine.load.run import Run
from loadgui.engine.load.senders import stream_share, worker_loop_factory, worker_recorder
from loadgui.profile import Profile


def child_main(profile: Profile, conn: Connection, stop: threading.Event) -> None:
    """Entry point of a worker process: run its share and stream rows back.

    `profile` arrives pickled, validated and frozen: it is not validated again."""
    # Ctrl+C in a terminal reaches the whole process group; the parent stops the children
    # through the stop event, so a child ignores SIGINT (and SIGTERM waits for the parent).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with asyncio.Runner(loop_factory=worker_loop_factory()) as runner:
            runner.run(_child(profile, conn, stop))
    except Exception as exc:  # reported to the parent as this process's failure
        with contextlib.suppress(OSError):
            conn.send(("done", f"worker process failed: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


async def _child(profile: Profile, conn: Connection, stop: threading.Event) -> None:
    run = Run(profile, top_level=False, recorder=worker_recorder())
    await run.prepare()
    if run.failure is not None:
        conn.send(("failed", run.failure))
        return
    conn.send(("ready",))
    _, t0 = conn.recv()
    run.start_at(t0)
    await stream_share(run, conn.send, stop.is_set)
