"""The swap lock over HTTP: acquire, renew, release, force, and the gate it puts on
swaps, on a gateway without vLLM (the gate is asked through /api/gates)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from spark_control.contrib import Action
from spark_control.testing import running_gateway
from tests.coordination.conftest import acquire, coordination_config, coordination_gateway

TOKEN = "X-Swap-Lock-Token"


async def test_acquire_shows_holder_and_expiry_but_never_the_token(tmp_path: Path) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        free = (await gw.client.get("/api/swap/lock")).json()
        assert free == {"held": False, "slot": "default", "fencing": 0, "leases": []}
        granted = await acquire(gw, "Alice's batch", ttl_s=120)
        assert granted["held"] is True
        assert granted["holder"] == "Alice's batch"
        assert granted["fencing"] == 1
        assert 119 < granted["expires_in_s"] <= 120
        assert len(granted["token"]) >= 40

        shown = (await gw.client.get("/api/swap/lock")).json()
        assert shown["holder"] == "Alice's batch"
        assert shown["reason"] == "batch run"
        assert shown["fencing"] == 1
        assert "token" not in shown
        assert granted["token"] not in (await gw.client.get("/api/swap/lock")).text


async def test_a_second_acquire_is_refused_with_the_holder_and_retry_after(
    tmp_path: Path,
) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        await acquire(gw, "Alice", ttl_s=90)
        response = await gw.client.post("/api/swap/lock", json={"holder": "Bob", "ttl_s": 30})
        assert response.status_code == 409
        error = response.json()["error"]
        assert "held by Alice" in error["message"]
        assert error["detail"]["holder"] == "Alice"
        assert 1 <= int(response.headers["retry-after"]) <= 90


async def test_while_held_the_swap_gate_answers_423_unless_the_token_is_sent(
    tmp_path: Path,
) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        assert (await gw.client.get("/api/gates/vllm.swap")).json()["allowed"] is True
        granted = await acquire(gw, "Alice", ttl_s=60)

        refused = (await gw.client.get("/api/gates/vllm.swap")).json()
        assert refused["allowed"] is False
        assert refused["refusal"]["status"] == 423
        assert "held by Alice" in refused["refusal"]["reason"]

        wrong = await gw.client.get("/api/gates/vllm.swap", headers={TOKEN: "not-the-token"})
        assert wrong.json()["allowed"] is False
        right = await gw.client.get("/api/gates/vllm.swap", headers={TOKEN: granted["token"]})
        assert right.json()["allowed"] is True
        # Other actions are not the lock's business.
        assert (await gw.client.get("/api/gates/other.thing")).json()["allowed"] is True


async def test_renewal_extends_and_release_is_idempotent(tmp_path: Path) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        granted = await acquire(gw, "Alice", ttl_s=10)
        renewed = await gw.client.post(
            "/api/swap/lock", json={"ttl_s": 300}, headers={TOKEN: granted["token"]}
        )
        assert renewed.status_code == 200, renewed.text
        assert renewed.json()["renewed"] is True
        assert renewed.json()["expires_in_s"] > 290
        assert renewed.json()["fencing"] == granted["fencing"]
        assert "token" not in renewed.json()

        first = await gw.client.delete("/api/swap/lock", headers={TOKEN: granted["token"]})
        assert first.status_code == 200
        assert first.json()["released"] is True
        again = await gw.client.delete("/api/swap/lock", headers={TOKEN: granted["token"]})
        assert again.status_code == 200
        assert again.json()["released"] is False
        assert "already ended (released)" in again.json()["message"]
        assert (await gw.client.get("/api/swap/lock")).json()["held"] is False

        # The released token is stale: it cannot renew, and it does not pass the gate.
        stale = await gw.client.post(
            "/api/swap/lock", json={"ttl_s": 30}, headers={TOKEN: granted["token"]}
        )
        assert stale.status_code == 409
        assert "ended" in stale.json()["error"]["message"]
        gate = await gw.client.get("/api/gates/vllm.swap", headers={TOKEN: granted["token"]})
        assert gate.json()["allowed"] is False


async def test_force_release_raises_the_fencing_number_and_is_audited(tmp_path: Path) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        granted = await acquire(gw, "Alice", ttl_s=600)
        forced = await gw.client.delete(
            "/api/swap/lock", params={"force": "true"}, headers={"X-Actor": "Bob"}
        )
        assert forced.status_code == 200, forced.text
        assert forced.json()["released"] is True
        assert forced.json()["fencing"] == granted["fencing"] + 1
        audit = (
            await gw.client.get("/api/audit", params={"action": "coordination.lock_force_release"})
        ).json()
        entry = audit["entries"][0]
        assert entry["actor"] == "Bob"
        assert entry["target"] == "Alice"
        assert entry["detail"] == {"ended_fencing": 1, "fencing": 2, "slot": "default"}

        # The next grant's number is higher still; Alice's token acts no more.
        assert (await acquire(gw, "Carol"))["fencing"] == 3
        refused = await gw.client.delete("/api/swap/lock", headers={TOKEN: granted["token"]})
        assert refused.status_code == 200
        assert refused.json()["released"] is False
        assert (await gw.client.get("/api/swap/lock")).json()["holder"] == "Carol"


async def test_force_release_from_another_site_is_refused(tmp_path: Path) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        await acquire(gw, "Alice")
        response = await gw.client.delete(
            "/api/swap/lock", params={"force": "true"}, headers={"Origin": "http://evil.example"}
        )
        assert response.status_code == 403
        assert (await gw.client.get("/api/swap/lock")).json()["holder"] == "Alice"


async def test_the_lease_ends_by_itself_and_the_dashboard_hears_it(tmp_path: Path) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        async with gw.host.events.subscribe(None) as events:
            await acquire(gw, "Alice", ttl_s=0.5)
            changes = []
            async for event in events:
                if event.type == "coordination.lock_changed":
                    changes.append(event.data)
                    if not event.data["held"]:
                        break
        assert changes[0]["holder"] == "Alice"
        assert changes[-1] == {"held": False, "slot": "default", "fencing": 1, "leases": []}
        assert (await gw.client.get("/api/gates/vllm.swap")).json()["allowed"] is True


async def test_bad_lock_requests_get_a_clear_4xx(tmp_path: Path) -> None:
    async with coordination_gateway(tmp_path, vllm=False, lock_max_ttl_s=3600) as gw:
        cases = [
            ({"holder": "A", "ttl_s": -5}, "ttl_s"),
            ({"holder": "A", "ttl_s": 0}, "ttl_s"),
            ({"holder": "A", "ttl_s": 10**9}, "at most 3600"),
            ({"reason": "no holder", "ttl_s": 30}, "holder"),
            ({"holder": "", "ttl_s": 30}, "holder"),
            ({"holder": "A", "ttl_s": "soon"}, "ttl_s"),
            ({"holder": "A", "ttl_s": 30, "tokn": "x"}, "tokn"),
        ]
        for body, said in cases:
            response = await gw.client.post("/api/swap/lock", json=body)
            assert response.status_code == 422, (body, response.text)
            assert said in response.json()["error"]["message"], (body, response.text)
        infinite = await gw.client.post(
            "/api/swap/lock",
            content=b'{"holder": "A", "ttl_s": Infinity}',
            headers={"content-type": "application/json"},
        )
        assert infinite.status_code == 422, infinite.text
        no_token = await gw.client.delete("/api/swap/lock")
        assert no_token.status_code == 422
        assert "X-Swap-Lock-Token" in no_token.json()["error"]["message"]
        await acquire(gw, "Alice")
        wrong = await gw.client.delete("/api/swap/lock", headers={TOKEN: "guessed"})
        assert wrong.status_code == 409
        assert "held by Alice" in wrong.json()["error"]["message"]
        renew_wrong = await gw.client.post("/api/swap/lock", json={}, headers={TOKEN: "guessed"})
        assert renew_wrong.status_code == 409
        assert (await gw.client.get("/api/swap/lock")).json()["holder"] == "Alice"


async def test_of_many_simultaneous_acquires_exactly_one_wins(tmp_path: Path) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        answers = await asyncio.gather(
            *(
                gw.client.post("/api/swap/lock", json={"holder": f"job-{i}", "ttl_s": 60})
                for i in range(12)
            )
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [201] + [409] * 11
        winner = next(a.json() for a in answers if a.status_code == 201)
        assert (await gw.client.get("/api/swap/lock")).json()["holder"] == winner["holder"]
        losers = [a.json()["error"]["detail"]["holder"] for a in answers if a.status_code == 409]
        assert set(losers) == {winner["holder"]}


async def test_a_swap_key_holds_the_lock_and_only_an_admin_forces_it(tmp_path: Path) -> None:
    config = coordination_config(tmp_path, vllm=False)
    config.core.access.require_keys = True
    async with running_gateway(config) as gw:
        access = gw.gateway.access
        headers = {}
        for scope in ("read", "swap", "admin"):
            _, secret = await access.keys.create(f"{scope}-key", [scope], access.known_scopes())
            headers[scope] = {"Authorization": f"Bearer {secret}"}
        lease = {"holder": "nightly-job", "ttl_s": 60}
        refused = await gw.client.post("/api/swap/lock", json=lease, headers=headers["read"])
        assert refused.status_code == 403
        assert refused.json()["error"]["detail"]["required_scope"] == "swap"

        granted = await gw.client.post("/api/swap/lock", json=lease, headers=headers["swap"])
        assert granted.status_code == 201, granted.text
        forced = await gw.client.delete(
            "/api/swap/lock", params={"force": "true"}, headers=headers["swap"]
        )
        assert forced.status_code == 403
        assert forced.json()["error"]["detail"]["required_scope"] == "admin"
        assert (await gw.client.get("/api/swap/lock", headers=headers["read"])).json()["held"]

        token = {TOKEN: granted.json()["token"], **headers["swap"]}
        released = await gw.client.delete("/api/swap/lock", headers=token)
        assert released.json()["released"] is True
        again = await gw.client.post("/api/swap/lock", json=lease, headers=headers["swap"])
        assert again.status_code == 201
        forced = await gw.client.delete(
            "/api/swap/lock", params={"force": "true"}, headers=headers["admin"]
        )
        assert forced.status_code == 200 and forced.json()["released"] is True


async def test_a_lease_holds_its_own_model_slot_only(tmp_path: Path) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        coder = await acquire(gw, "Bob's eval", slot="coder")
        assert (coder["slot"], coder["held"], coder["holder"]) == ("coder", True, "Bob's eval")
        # Today's clients see the default slot, which is free; every lease is listed.
        shown = (await gw.client.get("/api/coordination/lock")).json()
        assert (shown["slot"], shown["held"]) == ("default", False)
        assert [(lease["slot"], lease["holder"]) for lease in shown["leases"]] == [
            ("coder", "Bob's eval")
        ]
        assert (await gw.client.get("/api/coordination/lock?slot=coder")).json()["held"]

        # The gate: a swap of the default slot (no slot named) passes; of coder, 423.
        assert (await gw.host.gate(Action("vllm.swap", params={"model": "m"}))) is None
        refused = await gw.host.gate(Action("vllm.swap", params={"slot": "coder"}))
        assert refused is not None and refused.status == 423
        assert "the swap lock of slot 'coder' is held by Bob's eval" in refused.reason
        assert refused.detail["slot"] == "coder"
        asked = await gw.client.get("/api/gates/vllm.swap", params={"slot": "coder"})
        assert asked.json()["allowed"] is False
        assert (await gw.client.get("/api/gates/vllm.swap")).json()["allowed"] is True
        with_token = Action(
            "vllm.swap", params={"slot": "coder"}, headers={TOKEN.lower(): coder["token"]}
        )
        assert await gw.host.gate(with_token) is None
        # Bob's live token on another, free slot is no stale token: that slot is open.
        elsewhere = Action(
            "vllm.swap", params={"slot": "chat"}, headers={TOKEN.lower(): coder["token"]}
        )
        assert await gw.host.gate(elsewhere) is None

        default = await acquire(gw, "Alice", slot="default")
        assert default["fencing"] == coder["fencing"] + 1
        taken = await gw.client.post(
            "/api/coordination/lock", json={"holder": "Carol", "slot": "coder"}
        )
        assert taken.status_code == 409
        assert taken.json()["error"]["detail"]["slot"] == "coder"

        forced = await gw.client.delete(
            "/api/coordination/lock", params={"force": "true", "slot": "coder"}
        )
        assert forced.json()["released"] is True and forced.json()["slot"] == "coder"
        assert (await gw.client.get("/api/coordination/lock")).json()["holder"] == "Alice"
        stale = Action("vllm.swap", params={"slot": "coder"}, headers={TOKEN.lower(): "x"})
        assert (await gw.host.gate(stale)).status == 409  # type: ignore[union-attr]

        for bad in ("Coder", "has space", "-x", "a" * 33):
            response = await gw.client.post(
                "/api/coordination/lock", json={"holder": "Dave", "slot": bad}
            )
            assert response.status_code == 422, (bad, response.text)
            assert "slot" in response.json()["error"]["message"]
        bad_query = await gw.client.get("/api/coordination/lock", params={"slot": "../x"})
        assert bad_query.status_code == 422
