"""The OpenAI-compatible proxy: the fallback of the host's ``/v1`` routing.

Which upstream answers a request:

1. a static upstream that serves the named model (it never waits on a swap);
2. while a swap runs, the request waits for it to end (at most ``swap_wait_s``, else 503
   with Retry-After), then is routed against what is loaded;
3. the managed vLLM, when the request names its served name or catalog id (the id is
   rewritten to the served name), or names no model;
4. a catalog model that is not loaded: an on-demand swap when enabled, else 404
   ``model_not_loaded`` (503 ``node_down`` with ``Retry-After`` while the head node is
   published down: nothing can start there); any other name: 404 ``model_not_found``.
   With several gateways, on a follower the leadership gate refuses that swap: the
   whole request then goes to the leader, which swaps and answers (``proxy/leader.py``).

With several slots (docs/VLLM.md, "Slots"), 3 and 4 are per slot: a request naming a
model goes to the slot serving it (one look-up in a table rebuilt when a slot's model
changes), waits for a slot swapping to it, or, on demand, is placed by the planner
(``slot_placement``); a request naming none goes to the default slot. With one slot
none of that runs.

A request sent to the managed vLLM counts as its use while it runs (``swap/idle.py``:
idle unload and sleep); a sleeping model is woken first, and the request waits for it.

Errors are OpenAI-shaped. Each upstream has a concurrency cap with a bounded queue
(beyond it 429 with Retry-After). A client that disconnects cancels the upstream request.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.types import Receive, Scope, Send

from spark_control.api import (
    Action,
    GateRefused,
    SparkError,
    access_log_note,
    leader_hop,
    multipart_field,
    v1_refusal,
    with_multipart_field,
)
from spark_control_vllm import slot_placement
from spark_control_vllm.catalog import Catalog, CatalogEntry
from spark_control_vllm.placement import GIB, NoPlacement
from spark_control_vllm.proxy.body import loads as body_json
from spark_control_vllm.proxy.forward import UpstreamBroke, forward, send_error, upstream_headers
from spark_control_vllm.proxy.leader import LEADER, Leaders, ToLeader, to_leader
from spark_control_vllm.proxy.limiter import Overloaded
from spark_control_vllm.proxy.stats import ProxyStats
from spark_control_vllm.proxy.upstream import Upstream
from spark_control_vllm.proxy.watch import Watch
from spark_control_vllm.settings import ProxySettings, VllmSettings
from spark_control_vllm.swap import Swap, SwapManager, SwapRefused
from spark_control_vllm.swap.dryrun import LaunchShare
from spark_control_vllm.swap.preflight import node_down

if TYPE_CHECKING:
    from spark_control.api import Host

log = logging.getLogger(__name__)

MANAGED = "vllm"
#: The actor of a swap the proxy starts for a request (the audit log adds its key).
ON_DEMAND = "on-demand"
# The status recorded for a request whose client went away (nginx's convention).
CLIENT_CLOSED = 499
_JSON_CONTENT = ("application/json",)
_MULTIPART_CONTENT = ("multipart/form-data",)
#: What a node keeps free beside the OS, other services and our instances when the
#: proxy places a model (the planner's safety margin).
PLACEMENT_MARGIN_MIB = 4 * GIB


class ProxyApp:
    """One per gateway. Built when routes are registered; ``start`` opens the pools."""

    def __init__(self, host: Host, settings: VllmSettings, catalog: Callable[[], Catalog]) -> None:
        self.host = host
        self.settings: ProxySettings = settings.proxy
        self._vllm_settings = settings
        self._catalog = catalog
        self.manager: SwapManager | None = None
        self.managed: Upstream | None = None
        # With more than one slot, each slot and its upstream (default first); empty
        # with one, so a request for the default slot takes today's path.
        self.slots: list[tuple[SwapManager, Upstream | None]] = []
        self._routes: dict[str, tuple[SwapManager, Upstream, CatalogEntry]] = {}
        self._routes_for: tuple[str | None, ...] = ()
        self._placing = asyncio.Lock()
        self.statics: list[Upstream] = []
        # Several gateways: where a follower sends what needs the leader (proxy/leader.py).
        self.leaders = Leaders(self.settings)
        self.stats = ProxyStats(host.metrics)
        # The loop the proxy serves on (set by start): asking asyncio for the running
        # loop per request costs a getpid system call each time.
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- lifecycle ---------------------------------------------------------------------

    def start(self, manager: SwapManager, slots: dict[str, SwapManager] | None = None) -> None:
        """Open the pools: ``manager`` is the default slot's, ``slots`` every slot's
        (default included; None or one: the default alone)."""
        self.manager = manager
        self._loop = asyncio.get_running_loop()
        manager.before_stop = self.drain_managed
        key = self.settings.api_key
        if self._vllm_settings.head_node in self.host.topology.nodes:
            head = self.host.topology.node(self._vllm_settings.head_node)
            self.managed = Upstream.open(
                MANAGED,
                f"http://{head.url_host}:{self._vllm_settings.port}",
                self.settings,
                api_key=key.get_secret_value() if key else None,
                probe=MANAGED,
            )
        if slots is not None and len(slots) > 1:
            self._open_slots(manager, slots)
        for static in self.settings.static_upstreams:
            url = str(static.url).rstrip("/")
            self.statics.append(
                Upstream.open(
                    static.name,
                    url.removesuffix("/v1"),
                    self.settings,
                    api_key=static.api_key.get_secret_value() if static.api_key else None,
                    static=True,
                    probe=static_probe_name(static.name),
                    models=tuple(static.models),
                )
            )

    def _open_slots(self, default: SwapManager, slots: dict[str, SwapManager]) -> None:
        """One upstream per slot (the default one is ``managed``), named as its probe."""
        key = self.settings.api_key
        self.slots = []
        for slot in slots.values():
            if slot is default:
                upstream = self.managed
            elif slot.head.configured:
                upstream = Upstream.open(
                    slot.probe,
                    f"http://{slot.head.node.url_host}:{slot.settings.port}",
                    self.settings,
                    api_key=key.get_secret_value() if key else None,
                    probe=slot.probe,
                )
                slot.before_stop = _drainer(upstream, self.settings.drain_grace_s)
            else:
                upstream = None
            self.slots.append((slot, upstream))

    def _slot_of(self, upstream: Upstream) -> SwapManager | None:
        """The slot whose vLLM ``upstream`` is (None: a static upstream)."""
        if upstream.static:
            return None
        for slot, candidate in self.slots:
            if candidate is upstream:
                return slot
        return self.manager if upstream is self.managed else None

    async def aclose(self) -> None:
        extra = [u for slot, u in self.slots if slot is not self.manager]
        for upstream in [self.managed, *extra, *self.statics]:
            if upstream is not None:
                await upstream.aclose()
        await self.leaders.aclose()
        self.managed, self.statics, self.manager, self.slots = None, [], None, []
        self._loop = None

    async def drain_managed(self) -> None:
        """Before a stop: let in-flight requests finish, at most ``drain_grace_s``."""
        if self.managed is not None:
            await _drainer(self.managed, self.settings.drain_grace_s)()

    def _upstreams(self) -> list[Upstream]:
        managed = [u for _, u in self.slots] if self.slots else [self.managed]
        return [u for u in [*managed, *self.statics] if u is not None]

    def snapshot(self) -> dict[str, Any]:
        """Rates and queue depths, for the tile."""
        upstreams = self._upstreams()
        return {
            **self.stats.rates(),
            "upstreams": [
                {
                    "name": u.name,
                    "static": u.static,
                    "in_flight": u.limiter.in_flight,
                    "queued": u.limiter.waiting,
                    "models": list(u.models),
                }
                for u in upstreams
            ],
        }

    # --- ASGI --------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.monotonic()
        body = await _read_body(receive)
        if body is None:
            return  # the client left before its request arrived whole
        name, status = "-", CLIENT_CLOSED
        watch = Watch(receive, self._loop)
        try:
            # The host's /v1 guard made the path canonical; checked again here because
            # this is where a path would leave for an upstream that holds our key.
            refusal = v1_refusal(scope["method"], scope["path"])
            if refusal is not None:
                raise refusal
            # Only GETs are answered here: no coroutine for every POST.
            is_get = scope["method"] == "GET"
            local = await self._answer_here(scope, send, watch) if is_get else None
            if local is not None:
                status = local
                return
            try:
                upstream, payload = await self._route(scope, body)
            except ToLeader as sent_on:
                # A follower: the leader swaps for this request and answers it.
                name = LEADER
                hop = sent_on.hop
                leader = self.leaders.upstream(hop.url)
                status = await to_leader(leader, hop, scope, body, send, watch)
                return
            name = upstream.name
            slot = self._slot_of(upstream)
            if slot is not None:
                # Use of the slot (idle unload and sleep): a sleeping model wakes first.
                async with slot.idle.in_use():
                    status = await self._forward(upstream, scope, payload, send, watch)
            else:
                status = await self._forward(upstream, scope, payload, send, watch)
        except (SparkError, Overloaded) as exc:
            error = exc if isinstance(exc, SparkError) else _too_many(name, exc)
            status = error.status
            watch.ending()
            await send_error(send, error)
        except asyncio.CancelledError:
            if not watch.disconnected or watch.task is None:
                raise
            watch.task.uncancel()
            status = CLIENT_CLOSED
        except OSError:
            status = CLIENT_CLOSED  # the server could not write to a departed client
        finally:
            watch.close()
            self.stats.record(name, status, started)

    async def _answer_here(self, scope: Scope, send: Send, watch: Watch) -> int | None:
        """``GET /v1/models`` and ``GET /v1/models/{model}``, answered by the gateway
        itself (the status sent); None for every other request."""
        if scope["method"] != "GET":
            return None
        if scope["path"] == "/v1/models":
            watch.ending()
            return await self._list_models(send)
        model = _retrieved_model(scope["path"])
        if not model:
            return None
        watch.ending()
        return await self._one_model(model, send)

    async def _forward(
        self,
        upstream: Upstream,
        scope: Scope,
        payload: bytes,
        send: Send,
        watch: Watch,
    ) -> int:
        """Send the request on to ``upstream`` within its limit; the status answered."""
        access_log_note(scope, upstream=upstream.name)
        headers = upstream_headers(scope["headers"], upstream.api_key)
        # The limiter's acquire and release by hand, not its ``slot()`` context manager:
        # one generator and context object fewer per request.
        await upstream.limiter.acquire()
        try:
            status = await forward(
                upstream,
                scope["method"],
                scope["path"],
                scope.get("query_string", b""),
                headers,
                payload,
                send,
                watch,
            )
        except SparkError as exc:
            self._observe(upstream, ok=False, detail=exc.message)
            raise
        except UpstreamBroke as exc:
            # The answer had begun: leave it unfinished, so the server drops the
            # connection and the client sees a cut stream, not a complete one.
            self._observe(upstream, ok=False, detail=str(exc))
            log.warning("upstream %r broke off a streamed answer: %s", upstream.name, exc)
            return 502
        finally:
            upstream.limiter.release()
        self._observe(upstream, ok=status < 500, detail=f"answered {status}")
        return status

    async def _list_models(self, send: Send) -> int:
        """Every model the gateway serves: the managed vLLM's and each static upstream's
        ``/v1/models`` cards (an upstream that does not answer is left out), then the
        models other plugins serve (the ``spark_models`` hook); ``owned_by`` says which:
        ``vllm``, ``static:<upstream>`` or the plugin's name."""
        body = json.dumps({"object": "list", "data": await self._model_cards()}).encode()
        return await _send_json(send, body)

    async def _one_model(self, model: str, send: Send) -> int:
        """``GET /v1/models/{model}`` (the OpenAI SDK's ``models.retrieve``), answered from
        the same cards: vLLM itself has no such route."""
        for card in await self._model_cards():
            if card.get("id") == model:
                return await _send_json(send, json.dumps(card).encode())
        raise SparkError(
            f"The model `{model}` does not exist here; GET /v1/models lists the models that answer",
            status=404,
            type="model_not_found",
            detail={"field": "model"},
        )

    async def _model_cards(self) -> list[dict[str, Any]]:
        cards: list[dict[str, Any]] = []
        slots = self.slots or ([(self.manager, self.managed)] if self.manager else [])
        # Each slot that serves a model, and isn't swapping, lists its own.
        upstreams = [
            u
            for slot, u in slots
            if u is not None and not slot.busy and slot.current_model is not None
        ]
        upstreams += self.statics
        for upstream, found in zip(
            upstreams, await asyncio.gather(*(u.model_cards() for u in upstreams)), strict=True
        ):
            owner = f"static:{upstream.name}" if upstream.static else MANAGED
            cards.extend({**card, "owned_by": owner} for card in found)
        seen = {card["id"] for card in cards}
        for model in await self.host.models():
            name = model.get("served_name") or model.get("id")
            if model["plugin"] == MANAGED or not isinstance(name, str) or name in seen:
                continue  # the catalog is what vLLM could load, not what answers now
            seen.add(name)
            cards.append({"id": name, "object": "model", "created": 0, "owned_by": model["plugin"]})
        return cards

    def _observe(self, upstream: Upstream, *, ok: bool, detail: str) -> None:
        health = self.host.health
        if upstream.probe is not None and health is not None:
            health.observe(upstream.probe, ok, detail)

    # --- routing -----------------------------------------------------------------------

    async def _route(self, scope: Scope, body: bytes) -> tuple[Upstream, bytes]:
        """The upstream for this request and the body to send it (model name rewritten
        when the caller used the catalog id)."""
        model, renamed = _model_of(scope, body)
        access_log_note(scope, model=model)
        if model is not None:
            static = await self._static_for(model)
            if static is not None:
                return static, body
        manager = self._require_manager()
        if self.slots:
            if model is not None:
                return await self._route_to_slot(scope, body, model, renamed)
            manager.last_used = time.monotonic()
        wanted = self._catalog_entry(model) if model is not None else None
        awaited = manager.running_swap
        if manager.busy or manager.stopping:
            await self._wait_for_swap(manager, self._patience(awaited, wanted))
        entry = self._loaded_entry(manager)
        if entry is not None and self.managed is not None:
            payload = _for_loaded(entry, model, body, renamed)
            if payload is not None:
                return self.managed, payload
        if model is None:
            if len(self.statics) == 1:
                return self.statics[0], body
            hint = manager.down_reason or "start one with POST /api/vllm/swap"
            raise SparkError(
                "no model is loaded: " + hint,
                status=503,
                type="model_not_loaded",
                headers={"Retry-After": "30"},
            )
        return await self._not_loaded(manager, model, wanted, awaited, entry, scope, body)

    async def _not_loaded(
        self,
        manager: SwapManager,
        model: str,
        wanted: CatalogEntry | None,
        awaited: Swap | None,
        entry: CatalogEntry | None,
        scope: Scope,
        body: bytes,
    ) -> tuple[Upstream, bytes]:
        """A request for ``model``, which is not the loaded one (``entry``): swapped to
        on demand when that is on, else refused."""
        if wanted is None:
            raise SparkError(
                f"The model `{model}` does not exist here; GET /v1/models lists the models "
                "that answer",
                status=404,
                type="model_not_found",
                detail={"field": "model"},
            )
        if awaited is not None and awaited.model == wanted.id and self.settings.on_demand_swap:
            # This request waited for that very swap: it failed (or was cancelled).
            raise _swap_did_not_succeed(wanted, awaited)
        if self.settings.on_demand_swap:
            return await self._on_demand(manager, wanted, scope, body)
        down = manager.head_node_down()
        if down is not None:
            # Not a missing swap the caller could make: nothing starts there for now.
            raise node_down(
                manager.settings.head_node, down, before=f"The model `{model}` is not loaded: "
            )
        loaded = entry.id if entry is not None else "none"
        raise SparkError(
            f"The model `{model}` is in the catalog but not loaded (loaded: {loaded}); "
            "swap to it with POST /api/vllm/swap or from the dashboard",
            status=404,
            type="model_not_loaded",
            detail={"field": "model", "loaded": None if entry is None else entry.id},
        )

    # --- several slots -----------------------------------------------------------------

    def _route_table(self) -> dict[str, tuple[SwapManager, Upstream, CatalogEntry]]:
        """Model name (served name and catalog id) -> the slot serving it; rebuilt only
        when a slot's model changed."""
        serving = tuple(slot.current_model for slot, _ in self.slots)
        if serving != self._routes_for:
            catalog = self._catalog()
            routes: dict[str, tuple[SwapManager, Upstream, CatalogEntry]] = {}
            for (slot, upstream), model in zip(self.slots, serving, strict=True):
                if upstream is None or model is None or model not in catalog:
                    continue
                entry = catalog.get(model)
                routes.setdefault(entry.served_name, (slot, upstream, entry))
                routes.setdefault(entry.id, (slot, upstream, entry))
            self._routes, self._routes_for = routes, serving
        return self._routes

    async def _route_to_slot(
        self, scope: Scope, body: bytes, model: str, renamed: Renamer | None
    ) -> tuple[Upstream, bytes]:
        """With several slots: the slot serving ``model``; a request for a model a slot
        is swapping to waits for that swap; one no slot serves is swapped to on demand
        when that is on, else refused."""
        found = self._route_table().get(model)
        wanted = found[2] if found is not None else self._catalog_entry(model)
        awaited: Swap | None = None
        if found is None and wanted is not None:
            loading = self._slot_loading(wanted)
            if loading is not None:
                awaited = loading.running_swap
                await self._wait_for_swap(loading, self._patience(awaited, wanted))
                found = self._route_table().get(model)
        if found is not None:
            slot, upstream, entry = found
            if slot.busy or slot.stopping:
                await self._wait_for_swap(slot, self._patience(slot.running_swap, wanted))
                if slot.current_model != entry.id:
                    return await self._route_to_slot(scope, body, model, renamed)
            payload = _for_loaded(entry, model, body, renamed)
            assert payload is not None  # the table holds its served name and id only
            slot.last_used = time.monotonic()
            return upstream, payload
        return await self._not_loaded_anywhere(model, wanted, awaited, scope, body)

    def _slot_loading(self, wanted: CatalogEntry) -> SwapManager | None:
        for slot, _ in self.slots:
            swap = slot.running_swap
            if swap is not None and swap.model == wanted.id:
                return slot
        return None

    async def _not_loaded_anywhere(
        self,
        model: str,
        wanted: CatalogEntry | None,
        awaited: Swap | None,
        scope: Scope,
        body: bytes,
    ) -> tuple[Upstream, bytes]:
        if wanted is None:
            raise SparkError(
                f"The model `{model}` does not exist here; GET /v1/models lists the models "
                "that answer",
                status=404,
                type="model_not_found",
                detail={"field": "model"},
            )
        if awaited is not None and self.settings.on_demand_swap:
            raise _swap_did_not_succeed(wanted, awaited)
        if self.settings.on_demand_swap:
            return await self._on_demand_slots(wanted, scope, body)
        loaded = sorted({e.id for _, _, e in self._route_table().values()})
        raise SparkError(
            f"The model `{model}` is in the catalog but not loaded (loaded: "
            f"{', '.join(loaded) or 'none'}); swap a slot to it with "
            "POST /api/vllm/slots/{slot}/swap or from the dashboard",
            status=404,
            type="model_not_loaded",
            detail={"field": "model", "loaded": loaded},
        )

    async def _on_demand_slots(
        self, wanted: CatalogEntry, scope: Scope, body: bytes
    ) -> tuple[Upstream, bytes]:
        """Place ``wanted`` in a slot (the planner's choice: evictions least recently
        used first, never a pinned slot), through the gate, then wait for it. One
        placement at a time: a second request for the same model waits for the first's
        swap instead of starting another."""
        async with self._placing:
            # Placed by a request that held the lock before this one: routed as usual.
            placed = wanted.id in self._route_table() or self._slot_loading(wanted) is not None
            if not placed:
                swap, slot = await self._place(wanted, scope)
        if placed:
            return await self._route(scope, body)
        await self._wait_for_swap(slot, self._patience(swap, wanted))
        if slot.current_model != wanted.id:
            raise _swap_did_not_succeed(wanted, swap, slot.down_reason)
        return await self._route(scope, body)

    async def _place(self, wanted: CatalogEntry, scope: Scope) -> tuple[Swap | None, SwapManager]:
        """Choose ``wanted``'s slot and start it there (under the placement lock)."""
        try:
            chosen = await self.placement(wanted)
        except NoPlacement as exc:
            raise SparkError(
                f"The model `{wanted.id}` cannot be placed now: {exc}",
                status=503,
                type="model_not_loaded",
                headers={"Retry-After": "30"},
                detail={"model": wanted.id},
            ) from None
        self._check_residency(wanted, [chosen.slot, *chosen.evict])
        return await self._start_placed(wanted, chosen, scope), chosen.slot

    async def placement(
        self, wanted: CatalogEntry, only: SwapManager | None = None
    ) -> slot_placement.SlotPlan:
        """Where an on-demand request for ``wanted`` would go now (``only``: in that
        slot), and what it would evict (:class:`NoPlacement` when nothing can take it).
        Changes nothing."""
        slots = [slot for slot, _ in self.slots] or ([self.manager] if self.manager else [])
        if not slots:
            raise NoPlacement("the vllm plugin has not started")
        readings = await slot_placement.read_nodes(slots)
        return slot_placement.choose(
            wanted,
            slots,
            self._catalog(),
            readings,
            margin_mib=PLACEMENT_MARGIN_MIB,
            only=only,
            policy=self._vllm_settings.placement_policy,
        )

    async def slot_share(self, wanted: CatalogEntry, slot: SwapManager) -> LaunchShare | None:
        """The share a swap of ``slot`` to ``wanted`` (a person's, which stops no other
        slot) runs with when the planner shrinks it to fit beside the other slots'
        models; None: the catalog's (one slot, a full share that fits, or no fit
        without stopping another slot)."""
        if len(self.slots) < 2:
            return None
        try:
            chosen = await self.placement(wanted, only=slot)
        except NoPlacement:
            return None
        return None if chosen.evict else chosen.launch_share

    def _check_residency(self, wanted: CatalogEntry, slots: list[SwapManager]) -> None:
        """No on-demand placement drops a model younger than ``min_residency_s``."""
        minimum = self.settings.min_residency_s
        for slot in slots:
            resident = slot.resident_for()
            if slot.current_model is not None and resident < minimum:
                left = minimum - resident
                raise SparkError(
                    f"{slot.current_model} (slot {slot.name}) was loaded {resident:.0f} s "
                    f"ago; on-demand swaps leave a model at least {minimum:g} s, so "
                    f"{wanted.id} can load in {left:.0f} s",
                    status=503,
                    type="min_residency",
                    headers={"Retry-After": str(max(1, round(left)))},
                )

    async def _start_placed(
        self, wanted: CatalogEntry, chosen: slot_placement.SlotPlan, scope: Scope
    ) -> Swap | None:
        """Through the gate (the swap lease sees the slot and the evictions), stop the
        evicted slots, then start the chosen slot's swap."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        client = scope.get("client")
        evicted = chosen.evicted_models
        detail = {"on_demand": True, "slot": chosen.slot.name, "evict": evicted}

        async def audit(result: str, extra: dict[str, Any] | None = None) -> None:
            await self.host.audit.record(
                "vllm.swap",
                actor=ON_DEMAND,
                origin=client[0] if client else "unknown",
                target=wanted.id,
                result=result,
                detail={**detail, **(extra or {})},
            )

        try:
            await self._require_gate(
                Action(
                    "vllm.swap",
                    params={"model": wanted.id, **detail},
                    actor=ON_DEMAND,
                    headers=headers,
                    client=client[0] if client else None,
                ),
                scope,
            )
            for other in chosen.evict:
                if other.busy:  # a person's swap began since the plan was made
                    raise SparkError(
                        f"slot {other.name} began a swap while {wanted.id} was being placed; retry",
                        status=503,
                        type="swap_in_progress",
                        headers={"Retry-After": "10"},
                    )
                await other.stop_containers()
                other.state_changed()
            swap = await chosen.slot.start(
                wanted.id,
                actor=ON_DEMAND,
                automatic=True,
                share=chosen.launch_share,
            )
        except SparkError as exc:
            await audit("refused", {"reason": exc.message})
            raise
        await audit("no-op" if swap is None else f"started {swap.id}")
        return swap

    async def _require_gate(self, action: Action, scope: Scope) -> None:
        """The gates, for an on-demand swap. On a follower the leadership gate's refusal
        becomes :class:`ToLeader` when the leader can take the request (not audited
        here: nothing was done, and the leader records what it does)."""
        try:
            await self.host.require_gate(action)
        except GateRefused as exc:
            hop = leader_hop(scope, self.host.leadership, exc)
            if hop is None:
                raise
            raise ToLeader(hop) from None

    async def _static_for(self, model: str) -> Upstream | None:
        for upstream in self.statics:
            declared = upstream.declared_models  # no await for a declared list
            if model in (declared or await upstream.current_models()):
                return upstream
        return None

    def _require_manager(self) -> SwapManager:
        if self.manager is None:
            raise SparkError("the vllm plugin has not started", status=503, type="unavailable")
        return self.manager

    def _loaded_entry(self, manager: SwapManager) -> CatalogEntry | None:
        current = manager.current_model
        catalog = self._catalog()
        return catalog.get(current) if current is not None and current in catalog else None

    def _catalog_entry(self, model: str) -> CatalogEntry | None:
        catalog = self._catalog()
        return catalog.get(model) if model in catalog else catalog.by_served_name(model)

    def _patience(self, swap: Swap | None, wanted: CatalogEntry | None) -> float:
        """How long a request waits for a swap: as long as an on-demand swap's first
        caller when the swap loads the model it asks for, else ``swap_wait_s``."""
        if (
            self.settings.on_demand_swap
            and swap is not None
            and wanted is not None
            and swap.model == wanted.id
        ):
            return max(self.settings.on_demand_wait_s, self.settings.swap_wait_s)
        return self.settings.swap_wait_s

    async def _wait_for_swap(self, manager: SwapManager, wait_s: float) -> None:
        swap = manager.running_swap
        if await manager.wait_settled(wait_s):
            return
        target = f" to {swap.model}" if swap is not None else ""
        what = f"a model swap{target}" if swap is not None else "a stop of vLLM"
        raise SparkError(
            f"{what} is under way and did not finish within {wait_s:g} s; retry later",
            status=503,
            type="swap_in_progress",
            headers={"Retry-After": "10"},
        )

    async def _on_demand(
        self, manager: SwapManager, wanted: CatalogEntry, scope: Scope, body: bytes
    ) -> tuple[Upstream, bytes]:
        """Swap to ``wanted`` for this request (through the gate), then wait for it."""
        resident = manager.resident_for()
        minimum = self.settings.min_residency_s
        if manager.current_model is not None and resident < minimum:
            left = minimum - resident
            raise SparkError(
                f"{manager.current_model} was loaded {resident:.0f} s ago; on-demand swaps "
                f"leave a model at least {minimum:g} s, so {wanted.id} can load in "
                f"{left:.0f} s",
                status=503,
                type="min_residency",
                headers={"Retry-After": str(max(1, round(left)))},
            )
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        client = scope.get("client")
        origin = client[0] if client else "unknown"

        async def audit(result: str, detail: Any = None) -> None:
            # The requesting key is attributed by the audit log itself (this request's).
            await self.host.audit.record(
                "vllm.swap",
                actor=ON_DEMAND,
                origin=origin,
                target=wanted.id,
                result=result,
                detail={"on_demand": True, **(detail or {})},
            )

        try:
            await self._require_gate(
                Action(
                    "vllm.swap",
                    params={"model": wanted.id, "on_demand": True},
                    actor=ON_DEMAND,
                    headers=headers,
                    client=client[0] if client else None,
                ),
                scope,
            )
            swap = await manager.start(wanted.id, actor=ON_DEMAND, automatic=True)
        except SwapRefused as exc:
            if exc.type != "swap_in_progress":
                await audit("refused", {"reason": exc.message})
                raise
            swap = manager.running_swap
        except SparkError as exc:
            await audit("refused", {"reason": exc.message})
            raise
        else:
            await audit("no-op" if swap is None else f"started {swap.id}")
        await self._wait_for_swap(manager, self._patience(swap, wanted))
        if manager.current_model != wanted.id or self.managed is None:
            raise _swap_did_not_succeed(wanted, swap, manager.down_reason)
        return await self._route(scope, body)


def _too_many(upstream: str, exc: Overloaded) -> SparkError:
    return SparkError(
        f"too many requests for upstream {upstream!r}: {exc.reason}; retry shortly",
        status=429,
        type="rate_limited",
        headers={"Retry-After": "1"},
    )


def _swap_did_not_succeed(
    wanted: CatalogEntry, swap: Swap | None, fallback: str | None = None
) -> SparkError:
    """The answer to requests that waited for a swap to ``wanted`` that failed: the
    swap's own reason, so the caller learns why (out of memory, a lost node...)."""
    why = (swap.reason if swap is not None else None) or fallback or "another model is loaded"
    return SparkError(
        f"the swap to {wanted.id} did not succeed: {why}",
        status=503,
        type="model_not_loaded",
        headers={"Retry-After": "30"},
        detail={"model": wanted.id, "swap_id": swap.id if swap is not None else None},
    )


def _drainer(upstream: Upstream, grace_s: float) -> Callable[[], Awaitable[None]]:
    """Before a slot's stop: let its in-flight requests finish, at most ``grace_s``."""

    async def drain() -> None:
        if upstream.limiter.in_flight and not await upstream.limiter.drained(grace_s):
            log.warning(
                "stopping %s with %d requests still in flight after %g s",
                upstream.name,
                upstream.limiter.in_flight,
                grace_s,
            )

    return drain


def static_probe_name(name: str) -> str:
    return f"vllm-upstream-{name}"


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body (the host's body limit already applies); None if the
    client disconnected first."""
    message = await receive()
    if message["type"] != "http.request":
        return None
    body: bytes = message.get("body", b"")
    if not message.get("more_body", False):
        return body  # the usual case: one message
    chunks = [body]
    while message.get("more_body", False):
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
    return b"".join(chunks)


Renamer = Callable[[str], bytes]


def _model_of(scope: Scope, body: bytes) -> tuple[str | None, Renamer | None]:
    """The ``model`` a JSON or multipart request names, and how to write the body with
    another model name; (None, None) for a request that names none. Malformed JSON is
    the caller's 400."""
    if not body or scope["method"] != "POST":
        return None, None
    content_type = ""
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value.decode("latin-1")
            break
    if content_type.lower().startswith(_MULTIPART_CONTENT):
        model = multipart_field(content_type, body, "model")
        return model or None, lambda served: with_multipart_field(
            content_type, body, "model", served
        )
    if not content_type.lower().startswith(_JSON_CONTENT):
        return None, None
    try:
        request = body_json(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise SparkError(
            f"the request body is not valid JSON: {exc}", status=400, type="invalid_request_error"
        ) from None
    if not isinstance(request, dict):
        raise SparkError(
            "the request body must be a JSON object", status=400, type="invalid_request_error"
        )
    model = request.get("model")
    if model is not None and not isinstance(model, str):
        raise SparkError(
            "`model` must be a string",
            status=400,
            type="invalid_request_error",
            detail={"field": "model"},
        )
    return model or None, lambda served: json.dumps({**request, "model": served}).encode()


def _for_loaded(
    entry: CatalogEntry, model: str | None, body: bytes, renamed: Renamer | None
) -> bytes | None:
    """The body to send the loaded model (``entry``) when the request is for it (no
    model, its served name, or its catalog id, rewritten); None when it is not."""
    if model is None or model == entry.served_name:
        return body
    if model == entry.id:
        assert renamed is not None
        return renamed(entry.served_name)
    return None


def _retrieved_model(path: str) -> str | None:
    """The id of ``GET /v1/models/{id}``; none for ``/v1/models/`` (passed upstream)."""
    return path.removeprefix("/v1/models/") if path.startswith("/v1/models/") else None


async def _send_json(send: Send, body: bytes) -> int:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
    return 200
