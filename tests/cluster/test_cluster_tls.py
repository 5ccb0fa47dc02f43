"""A cluster run over tls:// with Dask's own security settings: `loadgui scheduler` and
`loadgui worker` given certificates, the driver given them through Dask's configuration."""

from __future__ import annotations

import asyncio

from dask_loopback import LOADGUI, loopback

from loadgui.engine import RunState, make_run
from loadgui.profile import Profile
from tests.tls_certificates import ca_and_certificate


def test_a_run_over_tls(tmp_path, quiet_mock):
    import dask.config

    pem = ca_and_certificate(tmp_path)
    tls = ["--tls-ca-file", pem["ca"], "--tls-cert", pem["cert"], "--tls-key", pem["key"]]
    scheduler = [*LOADGUI, "scheduler", "--host", "127.0.0.1", "--port", "0", *tls,
                 "--", "--no-dashboard"]
    worker = [*LOADGUI, "worker", "--nworkers", "1", "--host", "127.0.0.1", *tls]
    p = Profile()
    p.target.base_url, p.retry.retries, p.limits.total_requests = quiet_mock.url, 0, 300
    p.load.concurrency = 4
    settings = {"distributed.comm.tls.ca-file": pem["ca"],
                "distributed.comm.tls.client.cert": pem["cert"],
                "distributed.comm.tls.client.key": pem["key"]}
    with dask.config.set(settings), loopback(tmp_path, scheduler, worker, workers=1) as cluster:
        assert cluster.address.startswith("tls://127.0.0.1:")
        p.load.cluster = cluster.address
        run = make_run(p)
        report = asyncio.run(run.run())
        assert run.state is RunState.COMPLETED and report.requests == 300
        without = make_run(p)
        with dask.config.set({"distributed.comm.tls.ca-file": None,
                              "distributed.comm.tls.client.cert": None,
                              "distributed.comm.tls.client.key": None}):
            refused = asyncio.run(without.run())
    assert refused.state == "failed" and refused.reason is not None
    assert "needs Dask's TLS settings" in refused.reason
