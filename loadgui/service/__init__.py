"""`loadgui serve`: start runs over HTTP and follow them (FastAPI over the engine; no Qt).

registry.RunRegistry keeps the runs (usable from any asyncio loop), app.create_service_app is
the HTTP API over one, command.run_serve serves it in the foreground.
"""
