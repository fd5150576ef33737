"""Dashboard sign-in: a key buys an HttpOnly, SameSite=Strict session cookie that expires,
ends on sign-out or when its key is revoked, and is still behind the same-origin guard."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.errors import ConfigError
from spark_control.testing import running_gateway
from tests.core.helpers import core_config
from tests.core.test_access_keys import bearer, keyed, make_key


async def sign_in(client: httpx.AsyncClient, secret: str) -> httpx.Response:
    return await client.post("/api/session", json={"key": secret})


async def test_sign_in_sets_a_strict_http_only_cookie_that_authenticates(tmp_path: Path) -> None:
    async with keyed(tmp_path) as gw:
        secret = await make_key(gw, "alice", "read", "swap")
        assert (await gw.client.get("/api/session")).json()["signed_in"] is False

        answer = await sign_in(gw.client, secret)
        assert answer.status_code == 200
        info = answer.json()
        assert info["signed_in"] and info["name"] == "alice" and info["via"] == "session"
        assert info["scopes"] == ["read", "swap"] and info["can_manage_keys"] is False
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("spark_session=")
        attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "path=/"} <= attributes
        assert "secure" not in attributes  # plain http here; set when served over TLS
        assert secret not in cookie

        # The cookie alone now opens the API, the event stream included.
        assert (await gw.client.get("/api/plugins")).status_code == 200
        async with gw.client.stream("GET", "/api/events") as stream:
            assert stream.status_code == 200
        me = (await gw.client.get("/api/session")).json()
        assert me["name"] == "alice" and me["expires"] > time.time()

        # Its scopes are the key's: a read+swap key cannot manage keys.
        assert (await gw.client.get("/api/keys")).status_code == 403


async def test_a_wrong_key_does_not_sign_in_and_is_audited(tmp_path: Path) -> None:
    async with keyed(tmp_path) as gw:
        admin = await make_key(gw, "owner", "admin")
        wrong = await sign_in(gw.client, "sck_0123456789ab_" + "y" * 43)
        assert wrong.status_code == 401 and "set-cookie" not in wrong.headers
        entries = (await gw.client.get("/api/audit", headers=bearer(admin))).json()["entries"]
        assert [(e["action"], e["result"]) for e in entries] == [("access.sign_in", "refused")]
        assert "y" * 43 not in str(entries)


async def test_sign_out_ends_the_session(tmp_path: Path) -> None:
    async with keyed(tmp_path) as gw:
        secret = await make_key(gw, "alice", "read")
        await sign_in(gw.client, secret)
        token = gw.client.cookies["spark_session"]
        out = await gw.client.delete("/api/session")
        assert out.status_code == 200 and out.json()["signed_in"] is False
        assert (
            'spark_session=""' in out.headers["set-cookie"]
            or "Max-Age=0" in (out.headers["set-cookie"])
        )
        # Even a client that keeps the old cookie is refused: the session is gone.
        assert "spark_session" not in gw.client.cookies
        stale = await gw.client.get("/api/plugins", headers={"Cookie": f"spark_session={token}"})
        assert stale.status_code == 401
        assert stale.json()["error"]["detail"] == {"reason": "expired"}


async def test_an_expired_session_is_refused(tmp_path: Path) -> None:
    async with keyed(tmp_path, session_ttl_s=60) as gw:
        secret = await make_key(gw, "alice", "read")
        answer = await sign_in(gw.client, secret)
        assert "max-age=60" in answer.headers["set-cookie"].lower()
        assert (await gw.client.get("/api/plugins")).status_code == 200
        # Sixty seconds later, as far as the store knows.
        await gw.host.store.execute("UPDATE core_sessions SET expires = ?", (time.time() - 1,))
        expired = await gw.client.get("/api/plugins")
        assert expired.status_code == 401
        assert "sign in again" in expired.json()["error"]["message"]


async def test_revoking_the_key_ends_its_sessions(tmp_path: Path) -> None:
    async with keyed(tmp_path) as gw:
        admin = await make_key(gw, "owner", "admin")
        secret = await make_key(gw, "alice", "read")
        await sign_in(gw.client, secret)
        assert (await gw.client.get("/api/plugins")).status_code == 200
        async with (
            gw.client.stream("GET", "/api/events") as stream,
            httpx.AsyncClient(base_url=gw.url, trust_env=False) as owner,
        ):
            assert stream.status_code == 200
            revoked = await owner.delete("/api/keys/alice", headers=bearer(admin))
            assert revoked.status_code == 200
            # The stream it had open ends too, rather than going on with a dead key.
            async with asyncio.timeout(10):
                async for _ in stream.aiter_lines():
                    pass
        assert (await gw.client.get("/api/plugins")).status_code == 401
        assert (await gw.client.get("/api/events")).status_code == 401


async def test_a_cross_site_sign_in_is_refused_by_the_same_origin_guard(tmp_path: Path) -> None:
    async with keyed(tmp_path) as gw:
        secret = await make_key(gw, "alice", "read")
        refused = await gw.client.post(
            "/api/session", json={"key": secret}, headers={"Origin": "http://evil.example"}
        )
        assert refused.status_code == 403 and "set-cookie" not in refused.headers
        # And a signed-in browser's cookie does not carry a cross-site state change.
        await sign_in(gw.client, secret)
        cross = await gw.client.delete("/api/session", headers={"Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 403
        assert (await gw.client.get("/api/plugins")).status_code == 200


def _cookie_attributes(answer: httpx.Response) -> set[str]:
    assert answer.status_code == 200, answer.text
    return {part.strip().lower() for part in answer.headers["set-cookie"].split(";")[1:]}


async def _signed_in_over(gateway: dict[str, Any], tmp_path: Path, **headers: str) -> set[str]:
    """The sign-in and sign-out cookies' attributes on a gateway with these settings."""
    config = core_config(tmp_path, {"gateway": gateway, "access": {"require_keys": True}})
    async with running_gateway(config) as gw:
        secret = await make_key(gw, "alice", "read")
        signed_in = _cookie_attributes(
            await gw.client.post("/api/session", json={"key": secret}, headers=headers)
        )
        signed_out = _cookie_attributes(await gw.client.delete("/api/session", headers=headers))
    assert ("secure" in signed_in) == ("secure" in signed_out)
    return signed_in


async def test_the_cookie_is_secure_behind_a_trusted_tls_proxy(tmp_path: Path) -> None:
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"}
    # By default nobody's X-Forwarded-Proto is believed: any client could send one.
    assert "secure" not in await _signed_in_over({}, tmp_path / "off", **https)
    proxy = {"trusted_proxies": ["127.0.0.1"]}
    assert "secure" in await _signed_in_over(proxy, tmp_path / "proxy", **https)
    assert "secure" not in await _signed_in_over(proxy, tmp_path / "plain")
    # A proxy at another address is not trusted either.
    elsewhere = {"trusted_proxies": ["10.0.0.0/8"]}
    assert "secure" not in await _signed_in_over(elsewhere, tmp_path / "other", **https)


async def test_the_cookie_is_secure_when_the_public_url_is_https(tmp_path: Path) -> None:
    public = {"public_url": "https://spark.example"}
    assert "secure" in await _signed_in_over(public, tmp_path / "https")
    # Its name passes the Host allow-list and its origin the same-origin guard.
    browser = {"Host": "spark.example", "Origin": "https://spark.example"}
    assert "secure" in await _signed_in_over(public, tmp_path / "browser", **browser)
    plain = {"public_url": "http://spark.lan:9999"}
    assert "secure" not in await _signed_in_over(plain, tmp_path / "http")


async def test_a_trusted_proxy_reports_the_client_in_the_audit_log(tmp_path: Path) -> None:
    gateway = {"trusted_proxies": ["127.0.0.0/8"]}
    config = core_config(tmp_path, {"gateway": gateway, "access": {"require_keys": True}})
    async with running_gateway(config) as gw:
        secret = await make_key(gw, "alice", "admin")
        await gw.client.post(
            "/api/session", json={"key": secret}, headers={"X-Forwarded-For": "192.0.2.7"}
        )
        entries = (await gw.client.get("/api/audit", headers=bearer(secret))).json()["entries"]
    assert [(e["action"], e["origin"]) for e in entries] == [("access.sign_in", "192.0.2.7")]


def test_trusted_proxies_take_addresses_and_networks_only(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as bad:
        core_config(tmp_path, {"gateway": {"trusted_proxies": ["proxy.lan"]}})
    assert "gateway.trusted_proxies" in bad.value.message and "proxy.lan" in bad.value.message
