"""API keys: off by default; when on, required everywhere but /health, scoped per route,
answered 401/403 in the route's error shape, attributed by name in audit and metrics."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from spark_control.testing import RunningGateway, running_gateway
from tests.core.helpers import core_config
from tests.core.sample_plugins import AccessDemo


@contextlib.asynccontextmanager
async def keyed(
    tmp_path: Path, demo: AccessDemo | None = None, **access: Any
) -> AsyncIterator[RunningGateway]:
    """A gateway with keys required (unless ``require_keys`` says otherwise), no key cache."""
    settings = {"require_keys": True, "key_cache_s": 0, **access}
    config = core_config(tmp_path, {"access": settings})
    async with running_gateway(config, extra_plugins={"demo": demo or AccessDemo()}) as gw:
        yield gw


async def make_key(gw: RunningGateway, name: str, *scopes: str) -> str:
    access = gw.gateway.access
    _, secret = await access.keys.create(name, scopes, access.known_scopes())
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def test_keys_are_off_by_default_and_every_route_answers(tmp_path: Path) -> None:
    config = core_config(tmp_path)
    async with running_gateway(config, extra_plugins={"demo": AccessDemo()}) as gw:
        assert (await gw.client.get("/api/plugins")).status_code == 200
        assert (await gw.client.post("/api/demo/items")).status_code == 200
        session = (await gw.client.get("/api/session")).json()
        assert session["keys_required"] is False and session["can_manage_keys"] is True


async def test_with_keys_on_health_is_open_and_everything_else_needs_a_key(
    tmp_path: Path,
) -> None:
    async with keyed(tmp_path) as gw:
        assert (await gw.client.get("/health")).json() == {"status": "ok"}
        for method, path in (
            ("GET", "/api/plugins"),
            ("GET", "/api/events"),
            ("GET", "/metrics"),
            ("GET", "/api/audit"),
            ("GET", "/openapi.json"),
            ("POST", "/api/demo/items"),
            ("GET", "/api/nowhere"),
        ):
            response = await gw.client.request(method, path)
            assert response.status_code == 401, (method, path)
            assert response.headers["www-authenticate"] == "Bearer"
            error = response.json()["error"]
            assert error["type"] == "unauthorized"
            assert "Authorization: Bearer" in error["message"]
            assert error["detail"] == {"reason": "missing"}
            assert "code" not in error  # the core's shape outside /v1

        bad = await gw.client.get("/api/plugins", headers=bearer("sck_0123456789ab_" + "x" * 43))
        assert bad.status_code == 401 and bad.json()["error"]["detail"]["reason"] == "invalid"
        # The dashboard's page and scripts load, so it can ask for a key.
        assert (await gw.client.get("/")).status_code == 200
        assert (await gw.client.get("/ui/app.js")).status_code == 200


async def test_scopes_per_route_read_admin_and_a_plugin_scope(tmp_path: Path) -> None:
    async with keyed(tmp_path) as gw:
        reader = await make_key(gw, "reader", "read")
        forcer = await make_key(gw, "forcer", "demo.force")
        admin = await make_key(gw, "owner", "admin")

        assert (await gw.client.get("/api/demo/items", headers=bearer(reader))).status_code == 200
        refused = await gw.client.post("/api/demo/items", headers=bearer(reader))
        assert refused.status_code == 403
        assert refused.json()["error"] == {
            "type": "insufficient_scope",
            "message": "the key 'reader' lacks the 'admin' scope this route needs",
            "detail": {"required_scope": "admin", "key": "reader"},
        }
        assert (await gw.client.post("/api/demo/items", headers=bearer(admin))).status_code == 200

        assert (await gw.client.post("/api/demo/force", headers=bearer(reader))).status_code == 403
        assert (await gw.client.post("/api/demo/force", headers=bearer(forcer))).status_code == 200
        assert (await gw.client.post("/api/demo/force", headers=bearer(admin))).status_code == 200
        # Any scope lets a key read.
        assert (await gw.client.get("/api/demo/items", headers=bearer(forcer))).status_code == 200

        schema = (await gw.client.get("/openapi.json", headers=bearer(reader))).json()
        paths = schema["paths"]
        assert paths["/api/demo/force"]["post"]["x-required-scope"] == "demo.force"
        assert paths["/api/demo/items"]["get"]["x-required-scope"] == "read"
        assert paths["/api/demo/items"]["post"]["x-required-scope"] == "admin"
        assert paths["/health"]["get"]["x-required-scope"] == "public"
        assert "HTTPBearer" in schema["components"]["securitySchemes"]


async def test_the_openai_client_works_with_a_read_key_and_gets_openai_errors(
    tmp_path: Path,
) -> None:
    demo = AccessDemo()
    async with keyed(tmp_path, demo) as gw:
        reader = await make_key(gw, "meeting-app", "read")
        http = httpx.AsyncClient(trust_env=False)
        client = openai.AsyncOpenAI(
            base_url=gw.url + "/v1", api_key=reader, http_client=http, max_retries=0
        )
        reply = await client.chat.completions.create(
            model="demo-model", messages=[{"role": "user", "content": "Hi"}]
        )
        assert reply.choices[0].message.content == "Hello, Alice."

        with pytest.raises(openai.PermissionDeniedError) as denied:
            await client.post("/demo/reload", cast_to=dict, body={"model": "demo-model"})
        error = denied.value.body
        assert isinstance(error, dict)
        assert error["type"] == "insufficient_scope" and error["code"] == 403
        assert "'swap'" in error["message"]

        nobody = openai.AsyncOpenAI(
            base_url=gw.url + "/v1", api_key="not-a-key", http_client=http, max_retries=0
        )
        with pytest.raises(openai.AuthenticationError) as unauthorized:
            await nobody.chat.completions.create(
                model="demo-model", messages=[{"role": "user", "content": "Hi"}]
            )
        body = unauthorized.value.body
        assert isinstance(body, dict) and body["code"] == 401 and body["param"] is None
        await http.aclose()

        # Azure-style clients send the key as `api-key`; accepted under /v1 only.
        alt = await gw.client.post(
            "/v1/chat/completions",
            json={"model": "demo-model", "messages": []},
            headers={"api-key": reader},
        )
        assert alt.status_code == 200
        elsewhere = await gw.client.get("/api/demo/items", headers={"api-key": reader})
        assert elsewhere.status_code == 401


async def test_keys_are_made_listed_and_revoked_over_the_api_secret_shown_once(
    tmp_path: Path,
) -> None:
    async with keyed(tmp_path) as gw:
        admin = bearer(await make_key(gw, "owner", "admin"))
        made = await gw.client.post(
            "/api/keys", json={"name": "ci-bot", "scopes": ["swap"]}, headers=admin
        )
        assert made.status_code == 201
        assert made.headers["cache-control"] == "no-store"
        secret = made.json()["secret"]
        assert secret.startswith("sck_") and made.json()["scopes"] == ["swap"]
        assert (await gw.client.get("/api/demo/items", headers=bearer(secret))).status_code == 200

        listing = await gw.client.get("/api/keys", headers=admin)
        assert [k["name"] for k in listing.json()["keys"]] == ["owner", "ci-bot"]
        assert secret not in listing.text
        assert set(listing.json()["scopes"]) >= {"read", "swap", "admin", "demo.force"}

        duplicate = await gw.client.post("/api/keys", json={"name": "ci-bot"}, headers=admin)
        assert duplicate.status_code == 409 and "revoke it first" in duplicate.text
        unknown = await gw.client.post(
            "/api/keys", json={"name": "x", "scopes": ["root"]}, headers=admin
        )
        assert unknown.status_code == 422 and "unknown scope 'root'" in unknown.text
        bad_name = await gw.client.post("/api/keys", json={"name": "Bad Name"}, headers=admin)
        assert bad_name.status_code == 422
        no_admin = await gw.client.post("/api/keys", json={"name": "y"}, headers=bearer(secret))
        assert no_admin.status_code == 403

        revoked = await gw.client.delete("/api/keys/ci-bot", headers=admin)
        assert revoked.status_code == 200 and revoked.json()["revoked"] is not None
        after = await gw.client.get("/api/demo/items", headers=bearer(secret))
        assert after.status_code == 401
        again = await gw.client.delete("/api/keys/ci-bot", headers=admin)
        assert again.status_code == 404

        # Only hashes are stored: the secret is nowhere in the database files.
        await gw.host.store.execute("PRAGMA wal_checkpoint(FULL)")
        for path in (gw.host.data_dir).iterdir():
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


async def test_every_use_is_attributed_by_key_name_in_audit_and_metrics(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with keyed(tmp_path) as gw:
        reader = await make_key(gw, "reader", "read")
        admin = await make_key(gw, "owner", "admin")
        await gw.client.get("/api/demo/items", headers=bearer(reader))
        await gw.client.post("/api/demo/items", headers=bearer(reader))
        await gw.client.post("/api/demo/items", headers=bearer(admin))
        await gw.client.get("/api/plugins")

        metrics = (await gw.client.get("/metrics", headers=bearer(reader))).text
        assert 'spark_control_key_requests_total{key="reader",outcome="allowed"} 2.0' in metrics
        assert 'spark_control_key_requests_total{key="reader",outcome="forbidden"} 1.0' in metrics
        assert 'spark_control_key_requests_total{key="owner",outcome="allowed"} 1.0' in metrics
        assert 'spark_control_auth_refusals_total{reason="missing"} 1.0' in metrics
        assert reader not in metrics and admin not in metrics

        audit = (await gw.client.get("/api/audit", headers=bearer(reader))).json()
        entry = next(e for e in audit["entries"] if e["action"] == "demo.add")
        assert entry["key"] == "owner" and entry["actor"] == "owner"
        assert reader not in str(audit) and admin not in str(audit)
        by_owner = (await gw.client.get("/api/audit?key=owner", headers=bearer(reader))).json()
        assert [e["action"] for e in by_owner["entries"]] == ["demo.add"]
    assert reader not in caplog.text and admin not in caplog.text


async def test_a_valid_key_is_named_in_the_audit_log_even_with_keys_off(tmp_path: Path) -> None:
    async with keyed(tmp_path, require_keys=False) as gw:
        admin = await make_key(gw, "owner", "admin")
        await gw.client.post("/api/demo/items", headers=bearer(admin))
        await gw.client.post("/api/demo/items", headers=bearer("sck_not_a_key"))
        entries = (await gw.client.get("/api/audit")).json()["entries"]
        keys = [e["key"] for e in entries if e["action"] == "demo.add"]
        assert keys == [None, "owner"]
