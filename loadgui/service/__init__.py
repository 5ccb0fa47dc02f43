"""`loadgui serve`: start runs over HTTP and follow them (FastAPI over the engine; no Qt).

registry.RunRegistry keeps the runs (RunHandles from `loadgui.engine.make_run`, usable from
any asyncio loop), profiles says which profiles may run over HTTP, models renders a run's
Report as the status answer, and app.create_service_app is the HTTP API over a registry.
loadgui.commands.serve serves it in the foreground; nothing here imports a command module.
"""
