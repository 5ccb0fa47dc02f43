"""make_run: the kind of run a profile asks for, behind the one run surface."""

from __future__ import annotations

from loadgui.engine.load.handle import RunHandle
from loadgui.engine.load.processes import ProcessRun
from loadgui.engine.load.run import Run
from loadgui.profile import Profile


def make_run(profile: Profile) -> RunHandle:
    """A run in this process, over worker processes when the profile asks for several, or
    over a Dask cluster's workers when it names one (Dask is imported only then)."""
    profile = profile.validated()
    if profile.load.cluster is not None:
        from loadgui.engine.load.cluster_run import ClusterRun

        return ClusterRun(profile)
    return ProcessRun(profile) if profile.process_count() > 1 else Run(profile)
