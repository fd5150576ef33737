"""A replica that does not lead forwards gated actions to the one that does.

With several gateways on one PostgreSQL only the leader acts on the cluster
(:mod:`spark_control.leadership`); elsewhere the gate ``core.leadership`` refuses a
gated action with 503 and the leader's name (``X-Spark-Leader``). This middleware,
installed on the FastAPI app only when leadership is on PostgreSQL, turns that refusal
into the leader's answer (``/v1`` takes the gateway's short path and never meets it:
the proxy forwards its own requests the same way, through
:mod:`spark_control.leader_hop`, which holds what both send and answer):

- it lets the request run here first, so this replica authenticates it, checks its
  scope and validates it; only the refusal of ``core.leadership`` is forwarded, and
  such a request has done nothing yet (the gate is asked before an action starts);
- it keeps the request body as the handler reads it (up to :data:`MAX_BODY`; a larger
  one is not forwarded) and, on that refusal, sends the same method, path, query,
  body and headers (the caller's key or sign-in cookie among them) to the leader's
  advertised URL, which checks everything again;
- the leader's status, headers and body come back as they are, with
  ``X-Spark-Served-By`` (the replica that answered) and ``X-Spark-Forwarded-By``
  (this one);
- a forwarded request carries ``X-Spark-Forwarded-By`` and is never forwarded again:
  a replica that is not the leader any more answers its own refusal, which goes back
  to the caller;
- no advertised URL, or the leader out of reach before the request was sent: the
  503 stays, saying why. The request was sent and no answer came: 504, since the
  leader may have acted.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spark_control.errors import SparkError, error_body
from spark_control.leader_hop import (
    FORWARDED_BY,
    HOP_HEADERS,
    SERVED_BY,
    LeaderHop,
    leader_hop,
    served_here,
    was_forwarded,
)
from spark_control.leadership import LEADER_HEADER, Leadership

log = logging.getLogger(__name__)

_LEADER = LEADER_HEADER.lower().encode()
# Gated actions take small JSON bodies; an upload is not worth holding to forward.
MAX_BODY = 1_048_576
# A gated action answers once it has started (a swap answers 202); a bot update or a
# stop may take a while on a slow node.
TIMEOUT = httpx.Timeout(300.0, connect=3.0)
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
# The server here sets its own of these; the leader's would be doubled.
_NOT_RETURNED = frozenset({*HOP_HEADERS - {"content-length"}, "date", "server"})

ClientFactory = Callable[..., httpx.AsyncClient]


class LeaderForwarding:
    """ASGI middleware: forward the ``core.leadership`` refusal's request to the leader."""

    def __init__(self, app: ASGIApp, *, leadership: Leadership, client: ClientFactory) -> None:
        self.app = app
        self.leadership = leadership
        self.client = client

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if was_forwarded(scope):
            # Forwarded here: answered here, whatever it is, and marked.
            await self.app(scope, receive, served_here(send, self.leadership.replica))
            return
        if scope["method"] in _SAFE or self.leadership.is_leader:
            # Nothing to forward: reads are served here, and the leader is the leader.
            await self.app(scope, receive, send)
            return
        await _Call(self, scope, receive, send).run()


class _Call:
    """One request: run it here, and forward it if the leadership gate refused it."""

    def __init__(self, owner: LeaderForwarding, scope: Scope, receive: Receive, send: Send) -> None:
        self.owner = owner
        self.scope = scope
        self._receive = receive
        self._send = send
        self.body = bytearray()
        self.complete = False  # the whole body was read
        self.too_large = False
        self.disconnected = False
        self.held: list[Message] | None = None  # the refusal, kept until decided
        self.started = False  # the leader's answer began to go out

    async def run(self) -> None:
        await self.owner.app(self.scope, self.receive, self.send)
        if self.held is None:
            return
        hop = leader_hop(self.scope, self.owner.leadership)
        if hop is not None and await self._read_rest():
            await self._forward(hop)
            return
        for message in self.held:  # not forwarded: the refusal as it was
            await self._send(message)

    async def receive(self) -> Message:
        message = await self._receive()
        self._keep(message)
        return message

    def _keep(self, message: Message) -> None:
        if message["type"] == "http.disconnect":
            self.disconnected = True
        elif message["type"] == "http.request":
            if not self.too_large:
                self.body += message.get("body", b"")
                if len(self.body) > MAX_BODY:
                    self.too_large = True
                    self.body.clear()
            self.complete = not message.get("more_body", False)

    async def _read_rest(self) -> bool:
        """Read what the handler left of the body; whether it can be forwarded."""
        while not (self.complete or self.disconnected or self.too_large):
            self._keep(await self._receive())
        return self.complete and not self.too_large

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] == 503 and any(
                name.lower() == _LEADER for name, _ in message.get("headers", [])
            ):
                self.held = [message]
                return
        elif self.held is not None:
            self.held.append(message)
            return
        await self._send(message)

    async def _forward(self, hop: LeaderHop) -> None:
        scope = self.scope
        what = (scope["method"], scope["path"])
        try:
            async with self.owner.client(timeout=TIMEOUT, follow_redirects=False) as client:
                request = client.build_request(
                    scope["method"],
                    hop.target(scope),
                    headers=hop.request_headers(scope),
                    content=bytes(self.body),
                )
                response = await client.send(request, stream=True)
                try:
                    await self._relay(response, hop)
                finally:
                    await response.aclose()
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.InvalidURL) as exc:
            # Nothing reached the leader (refused, unreachable, or a path httpx would
            # not send): safe to say nothing was done.
            log.warning("could not forward %s %s to %s: %s", *what, hop.url, exc)
            await self._answer(hop.unreachable(exc))
        except httpx.HTTPError as exc:
            if self.started:
                log.warning("forwarded %s %s: the leader's answer broke off: %s", *what, exc)
                return  # the answer had begun: the server ends it short
            log.warning("forwarded %s %s: no answer from %s: %s", *what, hop.url, exc)
            await self._answer(hop.no_answer(exc))

    async def _relay(self, response: httpx.Response, hop: LeaderHop) -> None:
        headers = [
            (name.lower(), value)
            for name, value in response.headers.raw
            if name.decode("latin-1").lower() not in _NOT_RETURNED
        ]
        self.started = True
        await self._send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": hop.answer_headers(headers),
            }
        )
        async for chunk in response.aiter_raw():
            await self._send({"type": "http.response.body", "body": chunk, "more_body": True})
        await self._send({"type": "http.response.body", "body": b""})

    async def _answer(self, error: SparkError) -> None:
        body = json.dumps(
            error_body(error.status, error.message, type=error.type, detail=error.detail)
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            *((name.lower().encode(), value.encode()) for name, value in error.headers.items()),
        ]
        await self._send(
            {"type": "http.response.start", "status": error.status, "headers": headers}
        )
        await self._send({"type": "http.response.body", "body": body})


__all__ = ["FORWARDED_BY", "MAX_BODY", "SERVED_BY", "LeaderForwarding"]
