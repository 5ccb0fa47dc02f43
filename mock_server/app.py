"""The mock API: `create_app(settings)` builds one instance's FastAPI app."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import random
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mock_server.bodies import router as bodies_router
from mock_server.items import router as items_router
from mock_server.middleware import BodyLimitMiddleware, InstanceHeaderMiddleware
from mock_server.settings import MockSettings
from mock_server.work import router as work_router

ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


class SettingsUpdate(BaseModel):
    """The settings a running instance takes over the wire; unset fields stay as they are."""

    min_latency: float | None = None
    max_latency: float | None = None
    error_rate: float | None = None
    max_body_bytes: int | None = None


def create_app(settings: MockSettings) -> FastAPI:
    """A mock instance. `app.state.settings` is read per request: replace or mutate it live."""
    # /openapi.json describes the mock, so `loadgui import openapi` can be tried on it.
    app = FastAPI(title="loadgui mock server", docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json")
    app.state.settings = settings
    app.state.items = {}
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(InstanceHeaderMiddleware)

    async def test(request: Request) -> JSONResponse:
        current: MockSettings = request.app.state.settings
        latency = random.uniform(current.min_latency, current.max_latency)
        if latency > 0:
            await asyncio.sleep(latency)
        body: dict[str, Any] = {"instance": current.instance_id, "latency": latency}
        if random.random() < current.error_rate:
            return JSONResponse({"error": "simulated failure", **body}, status_code=500)
        return JSONResponse({"ok": True, **body})

    @app.get("/ping")
    async def ping(request: Request) -> dict[str, Any]:
        return {
            "port": request.scope["server"][1],
            "instance": request.app.state.settings.instance_id,
        }

    async def echo(request: Request) -> dict[str, Any]:
        """What arrived: lets a client (or a proxy test) see its request as the server saw it."""
        body = await request.body()
        return {
            "method": request.method,
            "path": request.url.path,
            "query": request.url.query,
            "headers": [[k, v] for k, v in request.headers.items()],
            "body_bytes": len(body),
            "instance": request.app.state.settings.instance_id,
        }

    # One route per method, so each method has its own operationId in /openapi.json.
    for method in ALL_METHODS:
        app.add_api_route("/test", test, methods=[method], name=f"test_{method.lower()}")
        app.add_api_route("/echo", echo, methods=[method], name=f"echo_{method.lower()}")

    @app.put("/_settings")
    async def update_settings(request: Request, update: SettingsUpdate) -> dict[str, Any]:
        """How a cluster applies new settings to instances running in other processes."""
        changes = update.model_dump(exclude_none=True)
        try:
            settings = dataclasses.replace(request.app.state.settings, **changes)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        request.app.state.settings = settings
        return dataclasses.asdict(settings)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(items_router)
    app.include_router(work_router)
    app.include_router(bodies_router)
    return app


def create_worker_app() -> FastAPI:
    """App factory for uvicorn workers: settings from the environment, one identity per worker."""
    settings = MockSettings.from_env()
    return create_app(
        dataclasses.replace(settings, instance_id=f"{settings.instance_id}-{os.getpid()}")
    )
