"""Large-body endpoints: POST /ping parses a pydantic model, POST /pong streams raw chunks.

Both are capped at `settings.max_body_bytes` by BodyLimitMiddleware (413 beyond).
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

router = APIRouter()


class PingPayload(BaseModel):
    message: str = ""
    data: str = ""


@router.post("/ping")
async def ping_with_body(request: Request, payload: PingPayload) -> dict[str, Any]:
    return {
        "port": request.scope["server"][1],
        "instance": request.app.state.settings.instance_id,
        "message": payload.message,
        "data_length": len(payload.data),
    }


@router.post("/pong")
async def pong(request: Request) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = chunks = 0
    async for chunk in request.stream():
        if chunk:
            digest.update(chunk)
            size += len(chunk)
            chunks += 1
    return {
        "instance": request.app.state.settings.instance_id,
        "bytes": size,
        "chunks": chunks,
        "sha256": digest.hexdigest(),
    }
