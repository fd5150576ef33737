"""A JSON body that is malformed, missing or too deep gets one clear 4xx in the one
error shape, saying what was wrong (not a character offset posing as a field name)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from spark_control import hookimpl
from spark_control.testing import running_gateway
from tests.core.helpers import core_config

JSON = {"Content-Type": "application/json"}


class Order(BaseModel):
    model: str
    count: int = 1


class Orders:
    @hookimpl
    def spark_routes(self, register: Any) -> None:
        router = APIRouter()

        @router.post("/api/orders")
        async def order(body: Order) -> dict[str, Any]:
            return body.model_dump()

        register(router)


async def test_malformed_missing_and_deep_bodies_say_what_was_wrong(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins={"orders": Orders()}) as gw:
        ok = await gw.client.post("/api/orders", json={"model": "m"})
        assert ok.json() == {"model": "m", "count": 1}

        cut = await gw.client.post("/api/orders", content=b'{"model": ', headers=JSON)
        assert cut.status_code == 400, cut.text
        error = cut.json()["error"]
        assert error["type"] == "bad_request"
        assert error["message"] == (
            "the request body is not valid JSON: Expecting value at character 10"
        )
        assert error["detail"] == {"position": 10}

        empty = await gw.client.post("/api/orders", headers=JSON)
        assert empty.status_code == 422, empty.text
        assert "the request body is missing" in empty.json()["error"]["message"]
        assert empty.json()["error"]["detail"] == {"field": "body"}

        deep = await gw.client.post("/api/orders", content=b"[" * 100_000, headers=JSON)
        assert deep.status_code == 400, deep.text
        assert deep.json()["error"]["message"].startswith("the request body is not valid JSON")

        # A well-formed body with a wrong field still names the field.
        wrong = await gw.client.post("/api/orders", json={"model": "m", "count": "many"})
        assert wrong.status_code == 422
        assert wrong.json()["error"]["detail"] == {"field": "count"}
        assert "count: Input should be a valid integer" in wrong.json()["error"]["message"]
