"""Takeover benchmark (issue 26): two gateway processes on one PostgreSQL; SIGKILL the
leader; how long until the other leads and its gate lets a swap through.

Run from the repository root:  uv run python bench/replicas_takeover.py [--rounds 3]
[--lease 9]. It starts a throwaway PostgreSQL (Debian's ``postgresql`` package,
``spark_control.pg_cluster``) on loopback, then per round two gateways
(``spark-control serve``, core only, ``gateway.leader_lease_s`` = ``--lease``) in a
fresh schema; waits until the second one follows, and a random part of a renewal
interval more (a kill lands anywhere in the leader's renewal cycle); kills the leader
with SIGKILL and polls the survivor's ``/api/leadership`` and ``/api/gates/vllm.swap``
every 20 ms. It prints each round and the median and worst, and ends by itself.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import psycopg

from spark_control.pg_cluster import PostgresCluster, postgres_unavailable
from spark_control.settings import write_config
from spark_control.testing import gateway_process


def config(folder: Path, name: str, dsn: str, lease_s: float) -> Path:
    return write_config(
        folder / f"{name}.yaml",
        {
            "gateway": {
                "data_dir": str(folder / name),
                "database_url": dsn,
                "leader_lease_s": lease_s,
                "access_log": "off",
            },
            "plugins": {"enabled": []},
        },
    )


def wait_for(url: str, path: str, key: str, want: object, timeout: float = 60.0) -> float:
    """Poll ``url + path`` every 20 ms until its JSON ``key`` is ``want``; when it was."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=url, trust_env=False, timeout=2.0) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(path).json().get(key) == want:
                    return time.monotonic()
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
    raise TimeoutError(f"{url}{path}: {key} never became {want!r}")


def one_round(dsn: str, folder: Path, lease_s: float, rng: random.Random) -> tuple[float, float]:
    with gateway_process(config(folder, "a", dsn, lease_s), log_path=folder / "a.log") as a:
        wait_for(a.url, "/api/leadership", "leader", True)
        with gateway_process(config(folder, "b", dsn, lease_s), log_path=folder / "b.log") as b:
            wait_for(b.url, "/api/leadership", "leader", False)
            time.sleep(rng.uniform(0, lease_s / 3))
            killed = time.monotonic()
            os.kill(a.process.pid, signal.SIGKILL)
            led = wait_for(b.url, "/api/leadership", "leader", True)
            allowed = wait_for(b.url, "/api/gates/vllm.swap", "allowed", True)
            return led - killed, allowed - killed


def fresh_schema(dsn: str, name: str) -> str:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{dsn}{'&' if '?' in dsn else '?'}options={quote(f'-csearch_path={name}')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lease", type=float, default=9.0, help="gateway.leader_lease_s")
    args = parser.parse_args()
    why = postgres_unavailable()
    if why is not None:
        raise SystemExit(f"cannot run: {why}")
    rng = random.Random()  # noqa: S311 - when to kill, not a secret
    leads, gates = [], []
    with PostgresCluster() as pg, tempfile.TemporaryDirectory(prefix="takeover-") as tmp:
        for n in range(args.rounds):
            folder = Path(tmp) / f"round{n}"
            folder.mkdir()
            led, allowed = one_round(fresh_schema(pg.dsn, f"round{n}"), folder, args.lease, rng)
            leads.append(led)
            gates.append(allowed)
            print(f"round {n + 1}: leads after {led:.2f} s, gate open after {allowed:.2f} s")
    print(
        f"lease {args.lease:g} s, {args.rounds} rounds: SIGKILL -> new leader "
        f"median {statistics.median(leads):.2f} s, worst {max(leads):.2f} s; "
        f"-> swap gate open median {statistics.median(gates):.2f} s, worst {max(gates):.2f} s"
    )
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
