"""The hooks of the coordination plugin (its entry point).

The entry point is the class :class:`CoordinationPlugin`: the host builds it once per
gateway, so each gateway has its own lease book and outbox even when several run in
one process (tests). The vllm plugin never imports this one: the swap lock is a
``spark_gate`` answer, the webhooks hear ``spark_event``, and the schedule registry
checks models through ``host.models()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from spark_control.api import (
    Action,
    Event,
    Host,
    Plugin,
    Refusal,
    RouteRegistrar,
    Started,
    TileRegistrar,
    hookimpl,
    with_aliases,
)
from spark_control_coordination.alerts import Alert, QuietPeriod, alert_of
from spark_control_coordination.clock import Clock, SystemClock
from spark_control_coordination.lease import LeaseBook, steady_time
from spark_control_coordination.lease_rows import (
    DEFAULT_SLOT,
    LeaseDatabaseUnavailable,
    lease_rows,
)
from spark_control_coordination.outbox import Deliverer, Outbox, event_body
from spark_control_coordination.schedule import MIGRATIONS as SCHEDULE_MIGRATIONS
from spark_control_coordination.schedule import OWNER as SCHEDULE_OWNER
from spark_control_coordination.settings import CoordinationSettings
from spark_control_coordination.swap_events import SwapTracker

log = logging.getLogger(__name__)

NAME = "coordination"
#: Published whenever a delivery is queued or an attempt ends (the delivery log).
DELIVERY_EVENT = "coordination.webhook_delivery"
# How many events heard before the outbox opened are kept for it.
EARLY_EVENTS = 200
STATIC_DIR = Path(__file__).parent / "static"
TILES: list[dict[str, Any]] = [
    {
        "id": "coordination-lock",
        "title": "Swap lock",
        "order": 5,
        "kind": "module",
        "module": "lock-tile.js",
        "description": "Who reserved the GPUs for automation, and until when.",
    },
    {
        "id": "coordination-schedule",
        "title": "Scheduled jobs",
        "order": 60,
        "kind": "module",
        "module": "schedule-tile.js",
    },
    {
        "id": "coordination-webhooks",
        "title": "Webhook deliveries",
        "order": 70,
        "kind": "module",
        "module": "webhooks-tile.js",
    },
]


class CoordinationPlugin(Plugin[CoordinationSettings]):
    """One per gateway: the swap lock, the webhook sender and the schedule registry."""

    settings_model = CoordinationSettings

    def __init__(
        self, host: Host, settings: CoordinationSettings, clock: Clock | None = None
    ) -> None:
        super().__init__(host, settings)
        self.clock = clock or SystemClock()
        self.book = Started[LeaseBook]("the coordination plugin")
        self.deliverer = Started[Deliverer]("the coordination plugin")
        self.tracker = SwapTracker()
        # Events heard before the outbox opened (another plugin's start-up, such as the
        # vllm plugin ending a swap a crash interrupted): sent once it opens.
        self._early: list[Event] = []
        self._lease_changed = asyncio.Event()
        self.quiet = QuietPeriod(settings.alert_quiet_s)
        self._alert_held = asyncio.Event()
        # The schedule's conflicts, kept for the rest of the minute (schedule_routes).
        self.schedule_cache: dict[tuple[Any, ...], list[dict[str, Any]]] = {}

    # --- plumbing ----------------------------------------------------------------------

    def _on_lease_change(self) -> None:
        """Tell the dashboard (banner, paused buttons) and wake the expiry timer."""
        host, book = self.host, self.book.value
        if book is None:
            return
        self._lease_changed.set()
        host.events.publish("coordination.lock_changed", book.public(), source=NAME)
        for action in sorted(book.gated):
            host.gate_changed(action, source=NAME)

    async def _expire_leases(self, book: LeaseBook) -> None:
        """End a lease when its time is up, so the dashboard hears of it then."""
        while True:
            self._lease_changed.clear()
            deadline = book.next_deadline()
            wait = None if deadline is None else max(deadline - self.clock.monotonic(), 0.0)
            if book.refresh_s is not None:  # other gateways share the lease: look again
                wait = book.refresh_s if wait is None else min(wait, book.refresh_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lease_changed.wait(), wait)
            try:
                await book.expire_due()
            except LeaseDatabaseUnavailable as exc:
                log.warning("%s; the swap lock shows its last known state", exc.message)
                await asyncio.sleep(1.0)
            except Exception:
                # The gate checks the deadline itself, so a lease never outlives it; only
                # the dashboard's news of the expiry waits for the next try.
                log.exception("could not end an expired swap lock; trying again shortly")
                await asyncio.sleep(1.0)

    # --- hooks -------------------------------------------------------------------------

    @hookimpl
    def spark_routes(self, register: RouteRegistrar) -> None:
        # Imported here: the route modules import this class for their dependency.
        from spark_control_coordination import lock_routes, schedule_routes, webhook_routes

        for routes in (lock_routes, webhook_routes, schedule_routes):
            register(with_aliases(routes.router, routes.ALIASES))

    @hookimpl
    def spark_tiles(self, register: TileRegistrar) -> None:
        register.static(STATIC_DIR)
        for tile in TILES:
            register(tile)

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        book = self.book.value
        if book is None:
            return None  # the host refuses (503) for a gating plugin that did not start
        # The vllm plugin names the model slot an action is for; none: the default.
        slot = action.params.get("slot")
        return book.refusal(
            action.name, action.headers, slot if isinstance(slot, str) and slot else DEFAULT_SLOT
        )

    @hookimpl
    async def spark_event(self, event: Event) -> None:
        deliverer = self.deliverer.value
        if deliverer is None:
            if len(self._early) < EARLY_EVENTS:
                self._early.append(event)
            return
        await self._send(deliverer, event)

    async def _send(self, deliverer: Deliverer, event: Event) -> None:
        found = self.tracker.payload(event)
        if found is not None:
            webhook_type, data = found
            await deliverer.enqueue(webhook_type, event_body(webhook_type, data, event.time))
        alert = alert_of(event)
        if alert is not None:
            now = self.clock.time()
            sent = self.quiet.offer(alert, now)
            if sent is not None:
                await _enqueue_alert(deliverer, sent)
            else:
                self._alert_held.set()

    async def _send_held_alerts(self, deliverer: Deliverer) -> None:
        """When a quiet period ends, send the alert it held (if it says something new)."""
        while True:
            self._alert_held.clear()
            due = self.quiet.next_due()
            wait = None if due is None else max(due - self.clock.time(), 0.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._alert_held.wait(), wait)
            for alert in self.quiet.due(self.clock.time()):
                try:
                    await _enqueue_alert(deliverer, alert)
                except Exception:
                    log.exception("could not queue the %s alert", alert[0])

    @hookimpl
    def spark_lifespan(self) -> Any:
        host = self.host

        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            settings = self.settings
            await host.store.migrate(SCHEDULE_OWNER, SCHEDULE_MIGRATIONS)
            # gateway.database_url: the lease on PostgreSQL, else in the gateway's store.
            url = host.settings.gateway.database_url
            book = LeaseBook(
                host.store,
                self.clock,
                gated=settings.gated_actions,
                max_ttl_s=settings.lock_max_ttl_s,
                on_change=self._on_lease_change,
                rows=lease_rows(
                    url.get_secret_value() if url else None, host.store, steady_time(self.clock)
                ),
            )
            await book.setup()
            outbox = Outbox(host.store, keep=settings.webhook_log_keep)
            await outbox.setup()
            timeout = settings.webhook_timeout_s
            client = host.http_client(
                follow_redirects=False,
                timeout=httpx.Timeout(timeout, connect=min(3.0, timeout)),
            )
            self.book.value = book
            deliverer = Deliverer(
                outbox,
                settings,
                client,
                clock=self.clock.time,
                on_change=lambda delivery_id: _announce_delivery(host, delivery_id),
                may_send=lambda: host.leadership.is_leader,
            )
            host.leadership.on_change(lambda leading: deliverer.wake() if leading else None)
            # A delivery another replica queued (it announces each one): the leader
            # sends it now, not at its next look at the outbox (NOTIFY, by the relay).
            forget_relayed = host.events.on_relayed(
                DELIVERY_EVENT,
                lambda _event: deliverer.wake() if host.leadership.is_leader else None,
            )
            # In the order heard; events arriving meanwhile join the queue.
            while self._early:
                early, self._early = self._early, []
                for event in early:
                    await self._send(deliverer, event)
            self.deliverer.value = deliverer
            tasks = [
                asyncio.create_task(self._expire_leases(book), name="coordination-lease"),
                asyncio.create_task(deliverer.run(), name="coordination-webhooks"),
                asyncio.create_task(self._send_held_alerts(deliverer), name="coordination-alerts"),
            ]
            if book.current() is not None:
                self._on_lease_change()
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                forget_relayed()
                await client.aclose()
                await book.close()
                self.book.value = None
                self.deliverer.value = None

        return run()


async def _enqueue_alert(deliverer: Deliverer, alert: Alert) -> None:
    kind, _, data, at = alert
    await deliverer.enqueue(kind, event_body(kind, data, at))


def _announce_delivery(host: Host, delivery_id: str) -> None:
    """Tell the dashboard's delivery log that a delivery changed."""
    host.events.publish(DELIVERY_EVENT, {"id": delivery_id}, source=NAME)
