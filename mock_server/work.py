"""POST /solve: CPU-bound or I/O-bound work of a requested size."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, Field

router = APIRouter()

MAX_CPU_SIZE = 5_000_000
MAX_IO_SECONDS = 60.0


class CpuWork(BaseModel):
    kind: Literal["cpu"]
    size: int = Field(ge=1, le=MAX_CPU_SIZE, description="count the primes below this number")


class IoWork(BaseModel):
    kind: Literal["io"]
    seconds: float = Field(ge=0, le=MAX_IO_SECONDS, description="how long to await")


def count_primes_below(limit: int) -> int:
    """Trial division in plain Python: slow on purpose, it keeps one core busy."""
    count = 0
    for candidate in range(2, limit):
        divisor = 2
        while divisor * divisor <= candidate:
            if candidate % divisor == 0:
                break
            divisor += 1
        else:
            count += 1
    return count


@router.post("/solve")
async def solve(
    request: Request, work: Annotated[CpuWork | IoWork, Body(discriminator="kind")]
) -> dict[str, Any]:
    started = time.perf_counter()
    answer: dict[str, Any] = {"kind": work.kind, "instance": request.app.state.settings.instance_id}
    if isinstance(work, CpuWork):
        # A worker thread, not the event loop, so /health keeps answering while the core burns.
        # The GIL still limits one instance to one core: parallelism comes from more instances.
        answer["primes"] = await asyncio.to_thread(count_primes_below, work.size)
        answer["size"] = work.size
    else:
        await asyncio.sleep(work.seconds)
    answer["seconds"] = time.perf_counter() - started
    return answer
