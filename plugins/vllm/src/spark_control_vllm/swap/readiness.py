"""Whether vLLM really answers: ``/health`` 200, ``/v1/models`` lists the served name,
and a one-token completion comes back; and which catalog model it serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from spark_control.api import Host
    from spark_control_vllm.catalog import Catalog, CatalogEntry
    from spark_control_vllm.swap.remote import HeadNode


#: The longest a quick look at vLLM waits (after its head node was published down).
QUICK_S = 0.5


class Readiness:
    def __init__(self, host: Host, head: HeadNode, catalog: Catalog) -> None:
        self.host = host
        self.head = head
        self.catalog = catalog

    async def ready(self, entry: CatalogEntry, *, quick: bool = False) -> bool:
        """/health 200, /v1/models lists the served name, one token comes back."""
        timeout = httpx.Timeout(5.0 if quick else 30.0, connect=2.0)
        try:
            async with self.host.http_client(timeout=timeout) as client:
                if (await client.get(self.head.url("/health"))).status_code != 200:
                    return False
                models = (await client.get(self.head.url("/v1/models"))).json()
                if entry.served_name not in {m.get("id") for m in models.get("data", [])}:
                    return False
                completion = await client.post(
                    self.head.url("/v1/chat/completions"),
                    json={
                        "model": entry.served_name,
                        "max_tokens": 1,
                        "messages": [{"role": "user", "content": "ping"}],
                    },
                )
                return completion.status_code == 200
        except (httpx.HTTPError, ValueError, AttributeError):
            return False

    async def answers(self) -> bool:
        """Whether vLLM's ``/health`` answers 200 within ``QUICK_S`` (a node that is
        gone answers nothing: this is how long withdrawing its model may wait)."""
        timeout = httpx.Timeout(QUICK_S, connect=QUICK_S)
        try:
            async with self.host.http_client(timeout=timeout) as client:
                return (await client.get(self.head.url("/health"))).status_code == 200
        except httpx.HTTPError:
            return False

    async def serving_model(self) -> str | None:
        """The catalog id of the model ``/v1/models`` lists (None: nothing answers)."""
        try:
            async with self.host.http_client(timeout=httpx.Timeout(3.0, connect=2.0)) as client:
                response = await client.get(self.head.url("/v1/models"))
                served = {m.get("id") for m in response.json().get("data", [])}
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
        for entry in self.catalog.entries():
            if entry.served_name in served:
                return entry.id
        return None
