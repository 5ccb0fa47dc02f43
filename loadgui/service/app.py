"""The trigger/status HTTP API over a RunRegistry: `create_service_app(registry, token)`."""

# No `from __future__ import annotations`: FastAPI reads the handlers' annotations, and the
# query parameter's description is built from a local of create_service_app.
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from loadgui import __version__
from loadgui.profile import Profile, ProfileError
from loadgui.service.csv_stream import csv_chunks
from loadgui.service.defaults import LATENCIES_LIMIT
from loadgui.service.models import (
    Accepted,
    ErrorBody,
    RunListing,
    RunStatus,
    run_listing,
    run_status,
)
from loadgui.service.profiles import profile_from_body, require_limits
from loadgui.service.registry import RegistryFull, RunEntry, RunRegistry, UnknownRun
from loadgui.service.security import access_check
from loadgui.store import StoreError

MAX_PROFILE_BYTES = 1024 * 1024

_DESCRIPTION = f"""Start loadgui runs over HTTP and follow them.

`POST /trigger` with a profile (the JSON the window saves) starts a run in the background and
answers at once with its id; with no body it runs the service's default profile (`loadgui
serve --profile PATH`), and without one that is a 422. Every run needs an end:
`limits.total_requests` or `limits.duration` (422 otherwise). `GET /status/{{id}}` reports it:
`status`, `reason` (why it failed or was stopped), `successful_responses`, `failed_responses`
(status ≥ 400), `exceptions`, `total_time` and `average_latency` in **seconds**, and `report`,
the run's full report (the JSON of `loadgui run --json`, latencies in milliseconds under
`latency_ms`). `?latencies=true` adds the most recent successful latencies in seconds, at most
{LATENCIES_LIMIT:,}. A service runs a limited number of runs at once (429 beyond) and keeps a
limited history of finished runs (older ones answer 404); `GET /runs/{{id}}/report` answers a
finished run's HTML report from the run store, kept beyond that history. API key files
(`keys.file`) are not read: send keys inline. With a token, every call needs
`Authorization: Bearer <token>`; without one, only loopback callers are answered.
"""
_PROFILE_BODY = {
    "required": False,
    "content": {"application/json": {
        "schema": {"type": "object", "description": "A loadgui profile; omitted sections and "
                   "fields take their defaults, but limits.total_requests or limits.duration "
                   "is required. No body: the service's default profile (--profile)."},
        "example": {"target": {"base_url": "http://127.0.0.1:8000", "endpoint": "/test"},
                    "load": {"concurrency": 10}, "limits": {"total_requests": 1000}},
    }},
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}


def create_service_app(registry: RunRegistry, token: str | None = None, *,
                       latencies_limit: int = LATENCIES_LIMIT,
                       default_profile: Profile | None = None) -> FastAPI:
    """The service's ASGI app. Its lifespan's end stops every run of `registry`.

    `default_profile` (validated, bounded) is what a trigger without a body runs.
    """
    if default_profile is not None:
        default_profile = require_limits(default_profile.validated())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await registry.shutdown()

    app = FastAPI(title="loadgui service", version=__version__, description=_DESCRIPTION,
                  lifespan=lifespan, dependencies=[Depends(access_check(token))],
                  responses=_errors(401, 403))
    app.state.registry = registry

    def entry_or_404(request_id: str) -> RunEntry:
        try:
            return registry.get(request_id)
        except UnknownRun:
            raise HTTPException(404, f"no run with id {request_id!r}") from None

    @app.post("/trigger", status_code=202, response_model=Accepted,
              responses=_errors(413, 422, 429), openapi_extra={"requestBody": _PROFILE_BODY})
    async def trigger(request: Request, response: Response) -> Accepted | JSONResponse:
        """Start a run of the profile in the body (none: the default profile); answers at
        once with the run's id."""
        try:
            profile = profile_from_body(await _read_body(request), default_profile)
            entry = registry.start(profile)
        except ProfileError as exc:
            return JSONResponse(
                status_code=422, content=ErrorBody(detail=str(exc), field=exc.field).model_dump())
        except RegistryFull as exc:
            raise HTTPException(429, str(exc)) from None
        response.headers["Location"] = f"/status/{entry.id}"
        return Accepted(message="Request accepted", request_id=entry.id)

    @app.get("/status/{request_id}", response_model=RunStatus,
             response_model_exclude_unset=True, responses=_errors(404))
    async def run_status_view(
        request_id: str,
        latencies: Annotated[bool, Query(description=(
            f"Add the most recent successful latencies (seconds), at most {latencies_limit:,}."
        ))] = False,
    ) -> RunStatus:
        """The run's state and numbers, from its report; exact once it has ended."""
        return run_status(entry_or_404(request_id), with_latencies=latencies,
                          latencies_limit=latencies_limit)

    @app.post("/stop/{request_id}", response_model=RunStatus,
              response_model_exclude_unset=True, responses=_errors(404))
    async def stop(request_id: str) -> RunStatus:
        """Stop a run (waiting a few seconds for it to end) and answer its status."""
        entry_or_404(request_id)
        return run_status(await registry.stop(request_id))

    @app.get("/runs")
    async def runs() -> list[RunListing]:
        """Running runs and the most recent finished ones, oldest first."""
        return [run_listing(entry) for entry in registry.runs()]

    @app.get("/runs/{request_id}/csv", response_class=StreamingResponse,
             responses={200: {"content": {"text/csv": {}}}, **_errors(404)})
    async def run_csv(request_id: str) -> StreamingResponse:
        """One row per attempt recorded so far, the columns of `loadgui run --export-csv`."""
        entry = entry_or_404(request_id)
        # A sync iterator: Starlette produces the chunks in a worker thread, off the loop.
        return StreamingResponse(
            csv_chunks(entry.run.recorder), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="loadgui-{entry.id}.csv"'})

    @app.get("/runs/{request_id}/report", response_class=HTMLResponse,
             responses={200: {"content": {"text/html": {}}}, **_errors(404, 503)})
    async def run_report(request_id: str) -> HTMLResponse:
        """The run's offline HTML report (as `loadgui report`), from the run store: a run
        this service made, once it has ended and been saved; 404 says why not."""
        try:
            uuid.UUID(request_id)
        except ValueError:
            raise HTTPException(404, f"no run with id {request_id!r}") from None
        try:
            entry: RunEntry | None = registry.get(request_id)
        except UnknownRun:
            entry = None  # forgotten by the registry, maybe still stored
        if entry is not None and not entry.finished:
            raise HTTPException(404, f"run {request_id} is still running; its report is "
                                     "stored when it ends")
        if entry is not None:
            await registry.saved()  # it may be being saved right now
        try:
            html = await run_in_threadpool(_stored_report, request_id)
        except StoreError as exc:
            raise HTTPException(503, str(exc)) from None
        if html is not None:
            return HTMLResponse(html)
        if entry is None:
            raise HTTPException(404, f"no run with id {request_id!r} in the run store")
        raise HTTPException(404, f"run {request_id} is not in the run store: it ended unsaved "
                                 "(see the service's log) or the store's limits removed it")

    return app


def _stored_report(request_id: str) -> str | None:
    """The HTML report of the service's run `request_id`, None when it is not stored. The
    registry stores a run under "serve " + the first 8 characters of its id (registry._save).
    """
    from loadgui.report_html import render_html
    from loadgui.store import RunStore

    store = RunStore.open()
    name = f"serve {request_id[:8]}"
    runs = [run for run in store.list_runs()
            if run.source == "serve" and run.name == name and run.finished]
    return render_html(store.open_run(runs[0])) if runs else None


async def _read_body(request: Request) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_PROFILE_BYTES:
            raise HTTPException(413,
                                f"a profile must not exceed {MAX_PROFILE_BYTES:,} bytes")
    return bytes(body)
