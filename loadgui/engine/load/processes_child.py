"""The worker-process side of a ProcessRun: run a share of the profile, stream rows back."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from multiprocessing.connection import Connection
from typing import Any

from loadgui.engine.load.run import Run
from loadgui.engine.load.senders import forget_sent, retry_facts, rows_batch, worker_recorder
from loadgui.profile import Profile

BATCH_PERIOD_S = 0.1


def child_main(profile: Profile, conn: Connection, stop: threading.Event) -> None:
    """Entry point of a worker process: run its share and stream rows back.

    `profile` arrives pickled, validated and frozen: it is not validated again."""
    # Ctrl+C in a terminal reaches the whole process group; the parent stops the children
    # through the stop event, so a child ignores SIGINT (and SIGTERM waits for the parent).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.environ.get("LOADGUI_UVLOOP", "1") != "0":  # LOADGUI_UVLOOP=0: plain asyncio
        with contextlib.suppress(ImportError):
            import uvloop

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        asyncio.run(_child(profile, conn, stop))
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
    task = asyncio.ensure_future(run.run())
    sent, facts = 0, retry_facts(run)
    while not task.done():
        await asyncio.wait({task}, timeout=BATCH_PERIOD_S)
        if stop.is_set():
            run.stop()
        sent = _send_rows(conn, run, sent)
        facts = _send_retry_facts(conn, run, facts)
    with contextlib.suppress(Exception):
        await task
    _send_rows(conn, run, sent)
    _send_retry_facts(conn, run, facts)
    # A child stopped by its parent is not a failure; only its own failure is reported.
    conn.send(("done", run.failure))


def _send_rows(conn: Connection, run: Run, sent: int) -> int:
    message, count = rows_batch(run, sent)
    conn.send(message)
    forget_sent(run, count)
    return count


def _send_retry_facts(conn: Connection, run: Run, last: tuple[Any, ...]) -> tuple[Any, ...]:
    facts = retry_facts(run)
    if facts != last:
        conn.send(facts)
    return facts
