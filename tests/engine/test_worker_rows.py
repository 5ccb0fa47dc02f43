"""A worker (process or cluster share) hands its rows to its parent in batches and, past
its hold, forgets the ones handed over: every row reaches the parent exactly once."""

import asyncio

import numpy as np

from loadgui.engine.load.run import Run
from loadgui.engine.load.senders import forget_sent, rows_batch
from loadgui.engine.stats.recorder import Recorder
from loadgui.profile import Profile


def test_rows_handed_over_are_forgotten_and_none_is_lost(quiet_mock):
    p = Profile()
    p.target.base_url = quiet_mock.url
    p.target.client = "fast"
    p.retry.retries = 0
    p.load.concurrency = 2
    p.limits.duration = 2.5  # rows leave once their one-second intervals have closed
    run = Run(p, top_level=False, recorder=Recorder(hold=100))
    batches: list[np.ndarray] = []

    async def hand_over(sent: int) -> int:
        message, count = rows_batch(run, sent)
        batches.append(message[2]["t_start"])
        forget_sent(run, count)
        return count

    async def main() -> int:
        task = asyncio.ensure_future(run.run())
        sent = 0
        while not task.done():
            await asyncio.sleep(0.005)
            sent = await hand_over(sent)
        await task
        return await hand_over(sent)

    sent = asyncio.run(main())
    handed = np.concatenate(batches)
    assert sent == len(run.recorder) == len(handed) > 300
    assert run.recorder.dropped > 0  # the worker did not keep every row
    assert len(run.recorder.columns()["t_start"]) < sent
