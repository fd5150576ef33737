"""One request sent on from a replica that does not lead to the one that does.

Two paths forward such requests: the API's middleware (:mod:`spark_control.forwarding`,
any gated action) and a plugin's own ``/v1`` app (the proxy, for a request whose
on-demand swap the leadership gate refused here). Both use this module, so the leader
gets the same headers, the caller the same marks on the answer, and the same words say
why a request was not forwarded or got no answer:

- the caller's headers go as they came (its key, cookie, ``Origin``, ``Host``: the
  leader checks them again), the caller's address appended to ``X-Forwarded-For``, and
  ``X-Spark-Forwarded-By`` naming this replica;
- a request that carries ``X-Spark-Forwarded-By`` is never forwarded again (the loop
  guard): a replica that gets one and does not lead answers its own refusal;
- the answer comes back with ``X-Spark-Served-By`` (the replica that answered; the
  receiving side marks its own, else the leader's name is added) and
  ``X-Spark-Forwarded-By``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.types import Message, Scope, Send

from spark_control.errors import SparkError
from spark_control.leadership import LEADER_GATE, LEADER_HEADER, Leadership

FORWARDED_BY = "x-spark-forwarded-by"
SERVED_BY = "x-spark-served-by"
_FORWARDED_BY = FORWARDED_BY.encode()
_SERVED_BY = SERVED_BY.encode()
#: Headers of one connection only (RFC 9110 7.6.1), and those the client recomputes:
#: never sent on to the leader.
HOP_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "expect",
        "host",
        "content-length",
        FORWARDED_BY,
    }
)
# A leadership refusal forwarded or not: the caller may ask again shortly.
_RETRY_S = 3


def was_forwarded(scope: Scope) -> bool:
    """Whether another replica sent this request here (it is not forwarded again)."""
    return any(name == _FORWARDED_BY for name, _ in scope["headers"])


def marking_replica(leadership: Leadership) -> str | None:
    """The name this replica marks the answers to forwarded requests with; None with
    one gateway (nothing is forwarded, nothing to look for)."""
    return None if leadership.kind == "solo" else leadership.replica


def served_here(send: Send, replica: str) -> Send:
    """``send`` with ``X-Spark-Served-By: replica`` added to the answer: a forwarded
    request's answer says where it was served."""

    async def marked(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [*message.get("headers", []), (_SERVED_BY, replica.encode())]
            message = {**message, "headers": headers}
        await send(message)

    return marked


def request_headers(scope: Scope, replica: str) -> list[tuple[bytes, bytes]]:
    """The caller's headers as they came (its key, cookie, Origin, Host: the leader
    checks them as this replica did), with the caller's address added to
    ``X-Forwarded-For`` and this replica named, so the request is not forwarded again."""
    headers: list[tuple[bytes, bytes]] = []
    forwarded_for = b""
    proto = None
    for name, value in scope["headers"]:
        key = name.lower()
        if key == b"host":
            headers.append((b"host", value))
        elif key == b"x-forwarded-for":
            forwarded_for = value
        elif key == b"x-forwarded-proto":
            proto = value
        elif key.decode("latin-1") not in HOP_HEADERS:
            headers.append((key, value))
    client = scope.get("client")
    if client:
        address = client[0].encode()
        forwarded_for = forwarded_for + b", " + address if forwarded_for else address
    if forwarded_for:
        headers.append((b"x-forwarded-for", forwarded_for))
    headers.append((b"x-forwarded-proto", proto or scope.get("scheme", "http").encode()))
    headers.append((_FORWARDED_BY, replica.encode()))
    return headers


def reason(exc: BaseException | str) -> str:
    """An error's class and first line, for a message."""
    if isinstance(exc, str):
        return exc
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


@dataclass(frozen=True, slots=True)
class LeaderHop:
    """Where one request goes on to (the leader ``leader`` at ``url``) from ``replica``."""

    url: str
    leader: str | None
    replica: str

    def target(self, scope: Scope) -> str:
        """The leader's URL for the request's own path and query."""
        path = scope.get("raw_path") or scope["path"].encode()
        target = self.url.rstrip("/") + path.decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        return target

    def request_headers(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        """The headers the request carries to the leader (:func:`request_headers`)."""
        return request_headers(scope, self.replica)

    def answer_headers(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """The leader's answer's ``headers`` with who served it (the receiving side's own
        mark, else the leader's name) and who forwarded it."""
        marks = list(headers)
        if self.leader and not any(name.lower() == _SERVED_BY for name, _ in marks):
            marks.append((_SERVED_BY, self.leader.encode()))
        marks.append((_FORWARDED_BY, self.replica.encode()))
        return marks

    def marked(self, send: Send) -> Send:
        """``send`` with :meth:`answer_headers` applied to the answer's start."""

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": self.answer_headers(message.get("headers", []))}
            await send(message)

        return marked

    def unreachable(self, why: BaseException | str) -> SparkError:
        """The 503 for a leader out of reach before the request was sent: nothing was
        done, so the caller may simply ask again."""
        return SparkError(
            f"this gateway replica is not the cluster's leader, and forwarding the request "
            f"to the leader ({self.leader}) at {self.url} failed: {reason(why)}; nothing "
            "was done, try again shortly",
            status=503,
            type="gate_refused",
            detail={
                "gate": LEADER_GATE,
                "leader": self.leader,
                "leader_url": self.url,
                "forwarded": False,
            },
            headers=self._headers(retry=True),
        )

    def no_answer(self, why: BaseException | str) -> SparkError:
        """The 504 for a request sent to the leader that got no answer: the leader may
        have acted, so the caller should look before asking again."""
        return SparkError(
            f"the request was forwarded to the cluster's leader ({self.leader}) at "
            f"{self.url}, which did not answer: {reason(why)}; it may have acted: look "
            "before trying again",
            status=504,
            type="timeout",
            detail={"leader": self.leader, "leader_url": self.url, "forwarded": True},
            headers=self._headers(retry=False),
        )

    def _headers(self, *, retry: bool) -> dict[str, str]:
        headers = {"Retry-After": str(_RETRY_S)} if retry else {}
        if self.leader:
            headers[LEADER_HEADER] = self.leader
        return headers


def leader_hop(
    scope: Scope, leadership: Leadership, refused: SparkError | None = None
) -> LeaderHop | None:
    """Where to send a request this replica cannot act on, or None when it stays here:
    ``refused`` is not the leadership gate's refusal (given one), the request was
    forwarded here already (the loop guard), or the leader is unknown or advertises no
    URL (the refusal says so)."""
    if refused is not None and (
        refused.status != 503 or _detail(refused).get("gate") != LEADER_GATE
    ):
        return None
    if was_forwarded(scope):
        return None
    url = leadership.leader_url
    if url is None or leadership.is_leader:
        return None
    holder = leadership.view().get("holder")
    return LeaderHop(
        url=url, leader=holder if isinstance(holder, str) else None, replica=leadership.replica
    )


def _detail(error: SparkError) -> dict[str, Any]:
    return error.detail if isinstance(error.detail, dict) else {}


__all__ = [
    "FORWARDED_BY",
    "HOP_HEADERS",
    "SERVED_BY",
    "LeaderHop",
    "leader_hop",
    "marking_replica",
    "reason",
    "request_headers",
    "served_here",
    "was_forwarded",
]
