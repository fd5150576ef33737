"""Failover (issue 26 item 7, in part): a leader gateway in a process of its own is
killed with SIGKILL; the other gateway, on the same PostgreSQL and the same simulated
cluster, takes the lead within the lease time and acts on a node (its fenced remote
command runs). How long the takeover takes is measured by
``bench/replicas_takeover.py``, not asserted here. Skipped, with the reason, where
PostgreSQL is not installed."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx

from spark_control.settings import write_config
from spark_control.sim import SimCluster
from spark_control.ssh import RemoteCommand
from spark_control.testing import gateway_process, make_config, running_gateway
from tests.coordination.lease_backends import fresh_schema

LEASE_S = 2.0


async def test_the_other_gateway_takes_over_when_the_leader_is_killed(
    tmp_path: Path, spark_postgres: str, spark_sim_cluster: SimCluster
) -> None:
    nodes = spark_sim_cluster.topology_config()
    async with fresh_schema(spark_postgres) as dsn:
        shared = {"database_url": dsn, "leader_lease_s": LEASE_S}
        a_config = write_config(
            tmp_path / "a.yaml",
            {
                "gateway": {**shared, "data_dir": str(tmp_path / "a")},
                "plugins": {"enabled": []},
                "nodes": nodes,
            },
        )
        with gateway_process(a_config, log_path=tmp_path / "a.log") as a:
            async with httpx.AsyncClient(base_url=a.url, trust_env=False) as client:
                seen_a = (await client.get("/api/leadership")).json()
            assert seen_a["leader"] is True, a.log()

            b_config = make_config(
                tmp_path / "b", {"gateway": shared, "plugins": {"enabled": []}, "nodes": nodes}
            )
            async with running_gateway(b_config) as b:
                assert (await b.client.get("/api/leadership")).json()["leader"] is False
                node = b.host.topology.node(spark_sim_cluster.head.name)
                refused = await b.client.get("/api/gates/vllm.swap")
                assert refused.json()["refusal"]["gate"] == "core.leadership"

                a.process.send_signal(signal.SIGKILL)
                a.process.wait(timeout=10)
                # Within the lease and a third (generous here: the machine is shared).
                async with asyncio.timeout(60):
                    while not (await b.client.get("/api/leadership")).json()["leader"]:
                        await asyncio.sleep(0.1)
                seen_b = (await b.client.get("/api/leadership")).json()
                assert seen_b["fencing"] > seen_a["fencing"]
                assert (await b.client.get("/api/gates/vllm.swap")).json()["allowed"] is True
                # Its first remote action passes the fence and runs on the node.
                done = await b.host.ssh.run(node, RemoteCommand("echo", "after-takeover"))
                assert done.exit_status == 0 and done.stdout.strip() == "after-takeover"
