"""The cluster tests' shared cluster: `dask scheduler` with the shipped configuration
(DASK_CONFIG, as a user of plain Dask would set it) and two `loadgui worker` processes with one
worker process each, as two machines would run them."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from dask_loopback import LOADGUI, LoopbackCluster, loopback

from loadgui.commands.cluster_cmd import CONFIG_PATH


@pytest.fixture(scope="session")
def loopback_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackCluster]:
    scheduler = [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                 "--port", "0", "--no-dashboard"]
    worker = [*LOADGUI, "worker", "--nworkers", "1", "--host", "127.0.0.1"]
    with loopback(tmp_path_factory.mktemp("dask"), scheduler, worker,
                  scheduler_env={"DASK_CONFIG": str(CONFIG_PATH)}) as cluster:
        yield cluster
