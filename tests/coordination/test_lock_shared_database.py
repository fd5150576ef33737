"""Two gateways with ``gateway.database_url`` on one real PostgreSQL share the swap
lock: what one grants the other refuses, shows and gates, and the token works on
either. Skipped, with the reason, where PostgreSQL is not installed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from spark_control.errors import ConfigError
from spark_control.settings import load_config
from spark_control.testing import RunningGateway, make_config, running_gateway
from tests.coordination.conftest import acquire
from tests.coordination.lease_backends import fresh_schema

TOKEN = "X-Swap-Lock-Token"
LOCK = "/api/coordination/lock"


def shared_config(tmp_path: Path, dsn: str) -> object:
    return make_config(
        tmp_path, {"plugins": {"enabled": ["coordination"]}, "gateway": {"database_url": dsn}}
    )


async def shown_on(gw: RunningGateway, held: bool, timeout: float = 5.0) -> dict[str, object]:
    """The lock as ``gw`` shows it, once it shows ``held`` (it looks each second)."""
    async with asyncio.timeout(timeout):
        while True:
            shown: dict[str, object] = (await gw.client.get(LOCK)).json()
            if shown["held"] is held:
                return shown
            await asyncio.sleep(0.1)


async def test_two_gateways_on_one_database_share_the_swap_lock(
    tmp_path: Path, spark_postgres: str
) -> None:
    async with (
        fresh_schema(spark_postgres) as dsn,
        running_gateway(shared_config(tmp_path / "a", dsn)) as a,  # type: ignore[arg-type]
        running_gateway(shared_config(tmp_path / "b", dsn)) as b,  # type: ignore[arg-type]
    ):
        granted = await acquire(a, "Alice", ttl_s=60)
        refused = await b.client.post(LOCK, json={"holder": "Bob", "ttl_s": 30})
        assert refused.status_code == 409
        assert refused.json()["error"]["detail"]["holder"] == "Alice"

        shown = await shown_on(b, held=True)
        assert (shown["holder"], shown["fencing"]) == ("Alice", 1)
        # a leads the cluster (it started first): its gate holds the lock's answer; b
        # refuses every gated action, being no leader (tests/replicas).
        gate = (await a.client.get("/api/gates/vllm.swap")).json()
        assert gate["allowed"] is False and gate["refusal"]["status"] == 423
        with_token = await a.client.get("/api/gates/vllm.swap", headers={TOKEN: granted["token"]})
        assert with_token.json()["allowed"] is True
        on_b = await b.client.get("/api/gates/vllm.swap", headers={TOKEN: granted["token"]})
        assert on_b.json()["refusal"]["gate"] == "core.leadership"

        # The holder's token renews and releases on the other gateway too.
        renewed = await b.client.post(
            LOCK,
            json={"holder": "Alice", "ttl_s": 90},
            headers={TOKEN: granted["token"]},
        )
        assert renewed.status_code == 200, renewed.text
        released = await b.client.delete(LOCK, headers={TOKEN: granted["token"]})
        assert released.status_code == 200, released.text
        await shown_on(a, held=False)
        assert (await acquire(a, "Bob", ttl_s=30))["fencing"] == 2


def test_a_database_url_that_is_not_postgresql_is_refused_with_the_reason(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("gateway:\n  database_url: mysql://alice:secret-pw@db.example/spark\n")
    with pytest.raises(ConfigError) as caught:
        load_config(config, environ={})
    message = str(caught.value)
    assert "gateway.database_url" in message and "postgresql://" in message
    assert "secret-pw" not in message


async def test_a_database_out_of_reach_is_a_503_and_the_lock_recovers(
    tmp_path: Path, spark_postgres: str
) -> None:
    async with (
        fresh_schema(spark_postgres) as dsn,
        running_gateway(shared_config(tmp_path, dsn)) as gw,  # type: ignore[arg-type]
    ):
        granted = await acquire(gw, "Alice", ttl_s=60)
        rows = gw.plugin("coordination").book.value.rows
        # A partition: the database's address now leads nowhere (nothing listens there).
        rows.dsn = "postgresql://nobody@127.0.0.1:1/none"
        await rows.close()
        refused = await gw.client.post(LOCK, json={"holder": "Bob", "ttl_s": 30})
        assert refused.status_code == 503, refused.text
        assert "cannot be reached" in refused.json()["error"]["message"]
        # The gate keeps the last known answer meanwhile: still held by Alice.
        gate = (await gw.client.get("/api/gates/vllm.swap")).json()
        assert gate["allowed"] is False
        rows.dsn = dsn  # healed
        released = await gw.client.delete(LOCK, headers={TOKEN: granted["token"]})
        assert released.status_code == 200, released.text
        assert released.json()["released"] is True
