"""The /v1 proxy in front of the vLLM that swaps manage, on the simulated cluster: requests
held during a swap, the drain before a stop, models not loaded, on-demand swaps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import openai
import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_vllm.sim import set_vllm_failure, set_vllm_load_time
from tests.vllm.conftest import (
    FIRST,
    SECOND,
    SERVED,
    manager,
    open_gateway,
    reset_switches,
    settled,
    sim_cluster,
    swap,
)


def chat(model: str, text: str = "hi", **extra: object) -> dict[str, object]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("proxy-managed-sim"), "127.0.8.20") as sim:
        yield sim


@pytest.fixture
async def gateway(tmp_path: Path, cluster: SimCluster) -> AsyncIterator[RunningGateway]:
    reset_switches(cluster)
    async with open_gateway(tmp_path, cluster, proxy={"swap_wait_s": 20}) as gw:
        assert (await swap(gw, FIRST)).status_code in (200, 202)
        assert (await settled(gw))["model"] == FIRST
        yield gw
        reset_switches(cluster)
        await gw.client.post("/api/vllm/stop")


async def test_the_loaded_model_answers_by_served_name_or_catalog_id(
    gateway: RunningGateway,
) -> None:
    async with openai.AsyncOpenAI(
        base_url=gateway.url + "/v1", api_key="unused", max_retries=0
    ) as client:
        assert [m.id for m in (await client.models.list()).data] == [SERVED[FIRST]]
        for name in (SERVED[FIRST], FIRST):
            reply = await client.chat.completions.create(
                model=name, messages=[{"role": "user", "content": "two words"}]
            )
            assert reply.model == SERVED[FIRST]
            assert reply.choices[0].message.content == "Echo: two words"
        stream = await client.chat.completions.create(
            model=FIRST, messages=[{"role": "user", "content": "a b c"}], stream=True
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
        assert text == "Echo: a b c"

        with pytest.raises(openai.NotFoundError) as not_loaded:
            await client.chat.completions.create(
                model=SECOND, messages=[{"role": "user", "content": "x"}]
            )
        assert "in the catalog but not loaded (loaded: llama-3.1-8b-instruct)" in str(
            not_loaded.value
        )
        # vLLM's own errors pass through as vLLM wrote them.
        with pytest.raises(openai.BadRequestError) as too_long:
            await client.chat.completions.create(
                model=FIRST, messages=[{"role": "user", "content": "x"}], max_tokens=10**9
            )
        assert "maximum context length" in str(too_long.value)
        # A /v1 path vLLM has no route for: vLLM's FastAPI 404 becomes an OpenAI-shaped one.
        unknown = await gateway.client.post("/v1/no/such/route", json={"model": FIRST})
        assert unknown.status_code == 404
        assert unknown.json()["error"]["type"] == "invalid_request_error"
        assert "Invalid URL (POST /v1/no/such/route)" in unknown.json()["error"]["message"]


async def test_a_finished_swap_shows_vllm_healthy_without_waiting_for_polls(
    tmp_path: Path, cluster: SimCluster
) -> None:
    """The swap asks vLLM's probe to check at once: with polls a minute apart (and two
    agreeing results needed), the probe still says ok right after the swap."""
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "health": {"interval_s": 60},
        },
    )
    async with running_gateway(config) as gw:
        first = (await gw.client.get("/api/health")).json()["probes"]["vllm"]
        assert first["state"] != "ok", "nothing is loaded yet"
        assert (await gw.client.post("/api/swap", json={"model": FIRST})).status_code == 202
        async with asyncio.timeout(60):
            while (await gw.client.get("/api/swap")).json()["state"] == "swapping":
                await asyncio.sleep(0.1)
        async with asyncio.timeout(15):  # far below the 60 s interval
            while (await gw.client.get("/api/health")).json()["probes"]["vllm"]["state"] != "ok":
                await asyncio.sleep(0.1)
        await gw.client.post("/api/vllm/stop")


async def test_a_request_during_a_swap_is_held_then_answered_by_the_new_model(
    gateway: RunningGateway, cluster: SimCluster
) -> None:
    set_vllm_load_time(cluster, "spark-1", 1.5)
    assert (await swap(gateway, SECOND)).status_code == 202
    response = await gateway.client.post("/v1/chat/completions", json=chat(SECOND))
    # Answered only once the swap had ended, and by the model it loaded.
    assert manager(gateway).current_model == SECOND
    assert response.status_code == 200, response.text
    assert response.json()["model"] == SERVED[SECOND]
    types = [e.type for e in gateway.host.events.buffered()]
    assert "vllm.swap_complete" in types


async def test_past_the_wait_a_request_gets_503_with_retry_after(
    tmp_path: Path, cluster: SimCluster
) -> None:
    reset_switches(cluster)
    async with open_gateway(tmp_path, cluster, proxy={"swap_wait_s": 0.2}) as gw:
        set_vllm_load_time(cluster, "spark-1", 3)
        assert (await swap(gw, FIRST)).status_code == 202
        response = await gw.client.post("/v1/chat/completions", json=chat(FIRST))
        assert manager(gw).busy  # refused while the swap still ran
        assert response.status_code == 503
        assert response.headers["retry-after"] == "10"
        assert response.json()["error"]["type"] == "swap_in_progress"
        reset_switches(cluster)
        await settled(gw)
        await gw.client.post("/api/vllm/stop")


async def test_a_stream_in_flight_finishes_before_a_swap_stops_its_model(
    gateway: RunningGateway,
) -> None:
    long_prompt = " ".join(f"w{i}" for i in range(1500))  # 1.5 s of tokens at 1 ms each
    async with gateway.client.stream(
        "POST", "/v1/chat/completions", json=chat(FIRST, long_prompt, stream=True)
    ) as response:
        chunks = response.aiter_bytes()
        await anext(chunks)
        started = await swap(gateway, SECOND)
        assert started.status_code == 202
        rest = b"".join([chunk async for chunk in chunks])
    assert rest.endswith(b"data: [DONE]\n\n")  # whole: the stop waited for it
    assert (await settled(gateway))["model"] == SECOND


async def test_on_demand_swap_loads_the_model_asked_for_and_respects_residency(
    tmp_path: Path, cluster: SimCluster
) -> None:
    reset_switches(cluster)
    proxy = {"on_demand_swap": True, "min_residency_s": 0}
    async with open_gateway(tmp_path, cluster, proxy=proxy) as gw:
        assert (await swap(gw, FIRST)).status_code in (200, 202)
        await settled(gw)
        response = await gw.client.post("/v1/chat/completions", json=chat(SECOND))
        assert response.status_code == 200, response.text
        assert response.json()["model"] == SERVED[SECOND]
        started = [e for e in gw.host.events.buffered() if e.type == "vllm.swap_started"]
        assert started[-1].data["actor"] == "on-demand"
        await gw.client.post("/api/vllm/stop")

    proxy = {"on_demand_swap": True, "min_residency_s": 600}
    async with open_gateway(tmp_path, cluster, proxy=proxy) as gw:
        await swap(gw, FIRST)
        await settled(gw)
        refused = await gw.client.post("/v1/chat/completions", json=chat(SECOND))
        assert refused.status_code == 503
        assert refused.json()["error"]["type"] == "min_residency"
        assert 590 <= int(refused.headers["retry-after"]) <= 600
        assert manager(gw).current_model == FIRST  # no thrash
        await gw.client.post("/api/vllm/stop")


async def test_an_on_demand_swap_goes_through_the_gate(tmp_path: Path, cluster: SimCluster) -> None:
    reset_switches(cluster)
    proxy = {"on_demand_swap": True, "min_residency_s": 0}
    async with open_gateway(tmp_path, cluster, proxy=proxy) as gw:
        gate = gw.gateway.pm.get_plugin("gate")
        gate.closed = True
        try:
            response = await gw.client.post("/v1/chat/completions", json=chat(SECOND))
        finally:
            gate.closed = False
        assert response.status_code == 423
        error = response.json()["error"]
        assert "held by Bob" in error["message"] and error["code"] == 423
        assert manager(gw).current_model is None and not manager(gw).busy


async def test_with_nothing_loaded_a_request_gets_a_clear_503(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        await asyncio.sleep(0)
        response = await gw.client.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": "x"}]}
        )
    assert response.status_code == 503
    assert "no model is loaded" in response.json()["error"]["message"]


async def test_a_stop_drains_and_holds_new_requests_until_it_is_done(
    gateway: RunningGateway,
) -> None:
    long_prompt = " ".join(f"w{i}" for i in range(800))
    async with gateway.client.stream(
        "POST", "/v1/chat/completions", json=chat(FIRST, long_prompt, stream=True)
    ) as response:
        chunks = response.aiter_bytes()
        await anext(chunks)
        stop = asyncio.create_task(gateway.client.post("/api/vllm/stop"))
        while not manager(gateway).stopping:
            await asyncio.sleep(0.01)
        late = asyncio.create_task(gateway.client.post("/v1/chat/completions", json=chat(FIRST)))
        rest = b"".join([chunk async for chunk in chunks])
    assert rest.endswith(b"data: [DONE]\n\n")
    assert (await stop).status_code == 200
    held = await late
    # Held through the stop, then told plainly: not a 502 from a dying vLLM.
    assert held.status_code == 404, held.text
    assert held.json()["error"]["type"] == "model_not_loaded"


async def test_every_request_for_the_model_an_on_demand_swap_loads_waits_as_long_as_the_first(
    tmp_path: Path, cluster: SimCluster
) -> None:
    """Callers after the first wait ``on_demand_wait_s`` too (not ``swap_wait_s``); the
    swap is audited with actor "on-demand" and the requesting key; a failed one answers
    every waiting caller with the swap's own reason."""
    reset_switches(cluster)
    proxy = {"on_demand_swap": True, "min_residency_s": 0, "swap_wait_s": 0.5}
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "access": {"require_keys": True},
            "vllm": {"proxy": proxy, "load_deadline_s": 20},
        },
    )
    async with running_gateway(config) as gw:
        access = gw.gateway.access
        _, secret = await access.keys.create("alice-app", ["swap"], access.known_scopes())
        gw.client.headers["Authorization"] = f"Bearer {secret}"
        assert (await swap(gw, FIRST)).status_code == 202
        await settled(gw)
        set_vllm_load_time(cluster, "spark-1", 2)

        async def ask(model: str) -> tuple[int, dict[str, object]]:
            response = await gw.client.post("/v1/chat/completions", json=chat(model))
            return response.status_code, response.json()

        first = asyncio.create_task(ask(SECOND))
        async with asyncio.timeout(10):
            while not manager(gw).busy:
                await asyncio.sleep(0.02)
        later = [asyncio.create_task(ask(model)) for model in (SECOND, SERVED[SECOND])]
        answers = await asyncio.gather(first, *later)
        assert [status for status, _ in answers] == [200, 200, 200], answers
        entries = (await gw.client.get("/api/audit?action=vllm.swap")).json()["entries"]
        on_demand = [e for e in entries if e["actor"] == "on-demand"]
        assert len(on_demand) == 1, entries
        assert on_demand[0]["key"] == "alice-app"
        assert on_demand[0]["target"] == SECOND
        assert on_demand[0]["result"].startswith("started swp_")

        set_vllm_failure(cluster, "spark-1", "oom", times=1)
        first = asyncio.create_task(ask(FIRST))
        async with asyncio.timeout(10):
            while not manager(gw).busy:
                await asyncio.sleep(0.02)
        answers = await asyncio.gather(first, asyncio.create_task(ask(FIRST)))
        for status, body in answers:
            assert status == 503, body
            error = body["error"]
            assert isinstance(error, dict)
            assert error["message"] == (
                f"the swap to {FIRST} did not succeed: vLLM ran out of GPU memory"
            ), error
        assert (await settled(gw))["model"] == SECOND, "rolled back"
        await gw.client.post("/api/vllm/stop")
