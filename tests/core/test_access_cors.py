"""CORS: nothing allowed by default; an allow-listed origin gets its preflight answered and
may call with a key; every other origin is refused; the Host allow-list still holds."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_access_keys import bearer, keyed, make_key

APP = "http://127.0.6.20:5173"
OTHER = "http://127.0.6.21:5173"


def preflight(origin: str, method: str = "POST") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    }


async def test_no_origin_is_allowed_by_default(tmp_path: Path) -> None:
    async with keyed(tmp_path) as gw:
        answer = await gw.client.options("/api/demo/items", headers=preflight(APP))
        assert answer.status_code == 403
        assert "access-control-allow-origin" not in answer.headers
        assert "access.cors_origins" in answer.json()["error"]["message"]
        reader = await make_key(gw, "reader", "read")
        read = await gw.client.get("/api/demo/items", headers={"Origin": APP, **bearer(reader)})
        assert read.status_code == 200
        assert "access-control-allow-origin" not in read.headers  # the browser hides it


async def test_an_allowed_origin_gets_its_preflight_and_may_call_with_a_key(
    tmp_path: Path,
) -> None:
    async with keyed(tmp_path, cors_origins=[APP]) as gw:
        answer = await gw.client.options("/api/demo/items", headers=preflight(APP))
        assert answer.status_code == 204
        assert answer.headers["access-control-allow-origin"] == APP
        assert "POST" in answer.headers["access-control-allow-methods"]
        assert answer.headers["access-control-allow-headers"] == "authorization, content-type"
        assert answer.headers["vary"] == "Origin"
        assert "access-control-allow-credentials" not in answer.headers

        admin = await make_key(gw, "owner", "admin")
        posted = await gw.client.post("/api/demo/items", headers={"Origin": APP, **bearer(admin)})
        assert posted.status_code == 200
        assert posted.headers["access-control-allow-origin"] == APP
        # Refusals carry the headers too, so the app can read why.
        missing = await gw.client.get("/api/demo/items", headers={"Origin": APP})
        assert missing.status_code == 401
        assert missing.headers["access-control-allow-origin"] == APP


async def test_another_origin_is_refused(tmp_path: Path) -> None:
    async with keyed(tmp_path, cors_origins=[APP]) as gw:
        answer = await gw.client.options("/api/demo/items", headers=preflight(OTHER))
        assert answer.status_code == 403
        assert "access-control-allow-origin" not in answer.headers
        admin = await make_key(gw, "owner", "admin")
        posted = await gw.client.post("/api/demo/items", headers={"Origin": OTHER, **bearer(admin)})
        assert posted.status_code == 403  # the same-origin guard, key or not
        assert "cross-origin request refused" in posted.json()["error"]["message"]


async def test_a_dns_rebinding_host_is_refused_even_from_an_allowed_origin(
    tmp_path: Path,
) -> None:
    async with keyed(tmp_path, cors_origins=[APP]) as gw:
        admin = await make_key(gw, "owner", "admin")
        for method in ("GET", "OPTIONS"):
            headers = {"Host": "attacker.example", **preflight(APP), **bearer(admin)}
            answer = await gw.client.request(method, "/api/demo/items", headers=headers)
            assert answer.status_code == 400, method
            assert answer.json()["error"]["type"] == "host_not_allowed"
            assert "access-control-allow-origin" not in answer.headers
