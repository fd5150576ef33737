"""Idle unload and sleep (issue 25): a model that no ``/v1`` request used for
``ttl_s`` is unloaded (llama-swap's ``ttl``), or, with ``sleep_mode``, put to
sleep through vLLM's sleep mode; the next request for it wakes it and is held until
it is awake.

A slot owns one keeper (``SwapManager.idle``). Use is what the proxy reports: a request
counts from the moment it is routed to the slot until its answer ends, so a long
stream is never idle; the idle time runs from the end of the last request, or from
when the model began answering if none came since.

An unload or a sleep changes what the cluster serves, so it asks the gates first as
the action ``vllm.stop`` (params ``slot``, ``model``, ``idle_s``, ``mode`` ``unload``
or ``sleep``), with no lease token: while someone holds the swap lock the gate refuses
and the keeper leaves the model alone (it looks again later). It never acts while a
swap or a stop runs, and an unload takes the slot's start lock
(``SwapManager.stop_if``), so no swap can start between its check and its stop. An
unload goes through the slot's normal stop (drain, stop, check it stopped). Each one
is written to the audit log (actor ``idle``) and published: ``vllm.idle_unloaded``,
``vllm.model_slept``, ``vllm.model_woken`` and ``vllm.wake_failed`` (payload
``slot``, ``model``, ``idle_s``/``level``/``took_s``/``reason``), then ``vllm.state_changed``.

Sleep (``POST /sleep?level=N`` on the node's port) and wake (``POST /wake_up``; at
level 2 the weights are woken, reloaded with ``POST /collective_rpc``
``reload_weights``, then the KV cache) are checked with ``GET /is_sleeping`` after each,
so a write that did not take is an error, never assumed. A wake needs no gate: it
restores what the lease holder last saw. A model is asleep only for the slot
generation it was put to sleep in: a swap or a stop since then means a fresh vLLM.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import httpx

from spark_control.api import Action, SparkError

if TYPE_CHECKING:
    from spark_control_vllm.swap.manager import SwapManager

log = logging.getLogger(__name__)

#: The actor of what the keeper does (audit log, gates).
IDLE_ACTOR = "idle"
#: The gated action an unload or a sleep asks for: what ``POST /api/vllm/stop`` asks.
ACTION = "vllm.stop"
UNLOADED = "vllm.idle_unloaded"
SLEPT = "vllm.model_slept"
WOKEN = "vllm.model_woken"
WAKE_FAILED = "vllm.wake_failed"
#: The keeper looks at least this often, and at most ten times per TTL.
LONGEST_LOOK_S = 5.0
SHORTEST_LOOK_S = 0.05
#: How long a sleep, a level-1 wake or an ``/is_sleeping`` may take.
CALL_TIMEOUT_S = 120.0


class IdleKeeper:
    """Watches one slot's use and unloads (or puts to sleep) its idle model."""

    def __init__(self, slot: SwapManager) -> None:
        self.slot = slot
        self.settings = slot.settings
        self.in_flight = 0
        self.last_used = time.monotonic()
        #: The level the current model sleeps at (0: awake), for ``_asleep_in``.
        self.level = 0
        self._asleep_in: int | None = None  # the slot generation it fell asleep in
        self._transition = asyncio.Lock()  # one sleep or wake at a time
        self._waking: asyncio.Future[None] | None = None
        #: Why the last idle action was refused by a gate (None: it was not).
        self.held_by: str | None = None

    # --- what the slot and the proxy read --------------------------------------------

    @property
    def ttl_s(self) -> float | None:
        return self.settings.ttl_s

    @property
    def sleep_level(self) -> int:
        """The level the current model sleeps at; 0 when it is awake (or gone)."""
        if self._asleep_in is None or self._asleep_in != self.slot.state.generation:
            return 0
        return self.level if self.slot.current_model is not None else 0

    def idle_for(self) -> float:
        """Seconds since the model was last used (0 while a request is in flight)."""
        if self.in_flight:
            return 0.0
        since = max(self.last_used, self.slot.state.current_since)
        return max(time.monotonic() - since, 0.0)

    def status(self) -> dict[str, Any]:
        """For the slot's status: the TTL, the sleep level (None: awake), and why a
        gate holds the idle action back. Nothing that moves by itself: two reads
        with nothing done in between are equal."""
        return {
            "ttl_s": self.ttl_s,
            "sleeping": self.sleep_level or None,
            "held_by": self.held_by if self.slot.current_model else None,
        }

    @contextlib.asynccontextmanager
    async def in_use(self) -> AsyncIterator[None]:
        """Around one request routed to this slot: it counts as use from now until it
        ends, and a sleeping model is woken first (the request waits for it)."""
        self.in_flight += 1
        try:
            await self.awake()
            yield
        finally:
            self.in_flight -= 1
            self.last_used = time.monotonic()

    # --- the loop ----------------------------------------------------------------------

    def look_every(self) -> float:
        ttl = self.ttl_s or LONGEST_LOOK_S
        return min(max(ttl / 10, SHORTEST_LOOK_S), LONGEST_LOOK_S)

    async def run(self) -> None:
        """Until cancelled: learn whether vLLM sleeps already (a gateway restarted
        while it slept), then look at the idle time every ``look_every()``."""
        if self.settings.sleep_mode and self.slot.current_model is not None:
            with contextlib.suppress(SparkError):
                if await self._is_sleeping():
                    self.level = self.settings.sleep_level
                    self._asleep_in = self.slot.state.generation
        if self.ttl_s is None:
            return
        while True:
            await asyncio.sleep(self.look_every())
            try:
                await self.check()
            except Exception:
                log.exception("the idle check failed; trying again shortly")

    async def check(self) -> str | None:
        """Unload or put to sleep the model if it has been idle for the TTL; what was
        done (``unloaded``, ``slept``) or None."""
        slot, ttl = self.slot, self.ttl_s
        model = slot.current_model
        if ttl is None or model is None or self.sleep_level or not self._quiet():
            return None
        idle = self.idle_for()
        if idle < ttl:
            return None
        mode = "sleep" if self.settings.sleep_mode else "unload"
        refusal = await slot.host.gate(
            Action(
                ACTION,
                params={"slot": slot.name, "model": model, "idle_s": round(idle, 1), "mode": mode},
                actor=IDLE_ACTOR,
            )
        )
        if refusal is not None:
            if self.held_by != refusal.reason:
                log.info("idle %s of %s held back: %s", mode, model, refusal.reason)
            self.held_by = refusal.reason
            return None
        self.held_by = None
        if mode == "sleep":
            return await self._sleep(model, ttl)
        return await self._unload(model, ttl)

    def _quiet(self) -> bool:
        slot = self.slot
        return not (slot.busy or slot.stopping or slot.closing)

    def _still_idle(self, model: str, ttl: float) -> bool:
        return self.slot.current_model == model and self.idle_for() >= ttl and self._quiet()

    # --- unload --------------------------------------------------------------------------

    async def _unload(self, model: str, ttl: float) -> str | None:
        idle = self.idle_for()
        try:
            stopped = await self.slot.stop_if(lambda: self._still_idle(model, ttl))
        except SparkError as exc:
            log.warning("idle unload of %s failed: %s", model, exc.message)
            await self._audit("failed", model, {"mode": "unload", "reason": exc.message})
            return None
        if not stopped:
            return None  # used, swapped or stopped meanwhile
        log.info("unloaded %s after %.0f s idle", model, idle)
        await self._audit("ok", model, {"mode": "unload", "idle_s": round(idle, 1)})
        self._publish(UNLOADED, model=model, idle_s=round(idle, 1), ttl_s=ttl)
        self.slot.state_changed()
        return "unloaded"

    # --- sleep and wake ----------------------------------------------------------------

    async def _sleep(self, model: str, ttl: float) -> str | None:
        level = self.settings.sleep_level
        async with self._transition:
            if not self._still_idle(model, ttl) or self.sleep_level:
                return None
            idle, generation = self.idle_for(), self.slot.state.generation
            started = time.monotonic()
            try:
                await self._post("/sleep", params={"level": str(level)})
                if not await self._is_sleeping():
                    raise SparkError("vLLM answered the sleep but is not sleeping", status=502)
            except SparkError as exc:
                log.warning("putting %s to sleep failed: %s", model, exc.message)
                await self._audit("failed", model, {"mode": "sleep", "reason": exc.message})
                return None
            self.level, self._asleep_in = level, generation
        took = round(time.monotonic() - started, 3)
        log.info("%s sleeps (level %d) after %.0f s idle", model, level, idle)
        detail = {"mode": "sleep", "level": level, "idle_s": round(idle, 1), "took_s": took}
        await self._audit("ok", model, detail)
        self._publish(SLEPT, model=model, level=level, idle_s=round(idle, 1), took_s=took)
        self.slot.state_changed()
        return "slept"

    async def awake(self) -> None:
        """Wake the model if it sleeps; the caller waits until it is awake. Raises a
        503 ``SparkError`` when it does not wake (the model stays asleep). Every
        caller waits for the same wake, which a caller that leaves does not cancel."""
        if not self.sleep_level:
            return
        if self._waking is None or self._waking.done():
            self._waking = asyncio.ensure_future(self._wake_once())
        await asyncio.shield(self._waking)

    async def _wake_once(self) -> None:
        async with self._transition:
            level, model = self.sleep_level, self.slot.current_model
            if not level or model is None:
                return  # another request woke it, or it is gone
            started = time.monotonic()
            try:
                await self._wake(level)
            except SparkError as exc:
                self._publish(WAKE_FAILED, model=model, level=level, reason=exc.message)
                raise SparkError(
                    f"{model} is asleep and did not wake: {exc.message}",
                    status=503,
                    type="model_not_loaded",
                    headers={"Retry-After": "30"},
                    detail={"model": model, "sleeping": level},
                ) from None
            self._asleep_in = None
            self.level = 0
        took = round(time.monotonic() - started, 3)
        log.info("%s woke from level-%d sleep in %.2f s", model, level, took)
        self._publish(WOKEN, model=model, level=level, took_s=took)
        self.slot.state_changed()

    async def _wake(self, level: int) -> None:
        if level == 2:
            # The weights were discarded: wake them, load them again, then the cache.
            await self._post("/wake_up", params={"tags": "weights"})
            reload = {"method": "reload_weights"}
            await self._post("/collective_rpc", json=reload, timeout=self.settings.load_deadline_s)
            await self._post("/wake_up", params={"tags": "kv_cache"})
        else:
            await self._post("/wake_up")
        if await self._is_sleeping():
            raise SparkError("vLLM answered the wake-up but still sleeps", status=502)

    # --- vLLM's sleep endpoints ----------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        key = self.settings.proxy.api_key
        return {"Authorization": f"Bearer {key.get_secret_value()}"} if key else {}

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        timeout: float = CALL_TIMEOUT_S,  # noqa: ASYNC109 - the client's own
    ) -> httpx.Response:
        head = self.slot.head
        try:
            async with self.slot.host.http_client(
                timeout=httpx.Timeout(timeout, connect=3.0)
            ) as client:
                response = await client.request(
                    method, head.url(path), params=params, json=json, headers=self._headers()
                )
        except httpx.HTTPError as exc:
            raise SparkError(
                f"{method} {path} on {head.name} failed ({type(exc).__name__})",
                status=502,
                type="upstream_unreachable",
            ) from None
        if response.status_code != 200:
            raise SparkError(
                f"vLLM on {head.name} answered {response.status_code} to {method} {path}: "
                f"{response.text[:300]}",
                status=502,
                type="upstream_error",
            )
        return response

    async def _post(
        self,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        timeout: float = CALL_TIMEOUT_S,  # noqa: ASYNC109 - the client's own
    ) -> None:
        await self._call("POST", path, params=params, json=json, timeout=timeout)

    async def _is_sleeping(self) -> bool:
        response = await self._call("GET", "/is_sleeping")
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or not isinstance(answer.get("is_sleeping"), bool):
            raise SparkError(f"vLLM's /is_sleeping answered {response.text[:200]!r}", status=502)
        return bool(answer["is_sleeping"])

    # --- records -------------------------------------------------------------------------

    async def _audit(self, result: str, model: str, detail: dict[str, Any]) -> None:
        await self.slot.host.audit.record(
            ACTION,
            actor=IDLE_ACTOR,
            origin="gateway",
            target=model,
            result=result,
            detail={"slot": self.slot.name, **detail},
        )

    def _publish(self, type_: str, **data: Any) -> None:
        self.slot.host.events.publish(type_, {"slot": self.slot.name, **data}, source="vllm")
