"""A ``/v1`` request a follower cannot serve, sent on to the leader (issue 26).

With several gateways only the leader acts on the cluster, so on a follower the
leadership gate refuses the on-demand swap a request for a model not loaded needs.
Then (:func:`spark_control.api.leader_hop` says whether and where) the whole request
goes to the leader's ``/v1``, which authenticates it again, swaps, waits and answers;
its answer streams back through :func:`forward`, as any upstream's does (silence watch,
client disconnect, access log), with these differences:

- the caller's headers go as they came, its key among them (the leader checks it),
  plus ``X-Spark-Forwarded-By``: a request that carries it is never forwarded again;
- the answer carries ``X-Spark-Served-By`` and ``X-Spark-Forwarded-By``;
- nothing reached the leader (refused, unreachable): the leadership 503 saying why;
  sent and no answer: 504 (the leader may have started the swap).

The request waits on the leader for the swap before anything comes back, so the
silence allowed is the on-demand wait plus the usual read timeout.
"""

from __future__ import annotations

import logging

from starlette.types import Scope, Send

from spark_control.api import LeaderHop, SparkError, access_log_note
from spark_control_vllm.proxy.forward import forward
from spark_control_vllm.proxy.h1 import UpstreamUnreachable
from spark_control_vllm.proxy.upstream import Upstream
from spark_control_vllm.proxy.watch import UpstreamBroke, Watch
from spark_control_vllm.settings import ProxySettings

log = logging.getLogger(__name__)

#: The upstream name of a request sent on to the leader (access log, metrics).
LEADER = "leader"


class ToLeader(Exception):
    """The leadership gate refused this request's swap here; the leader can take it."""

    def __init__(self, hop: LeaderHop) -> None:
        super().__init__(f"sent on to the leader at {hop.url}")
        self.hop = hop


class Leaders:
    """One pooled upstream per leader URL (the lead moves rarely; each keeps its
    connections alive between requests)."""

    def __init__(self, settings: ProxySettings) -> None:
        self.settings = settings
        self._open: dict[str, Upstream] = {}

    def upstream(self, url: str) -> Upstream:
        found = self._open.get(url)
        if found is None:
            found = Upstream.open(LEADER, url, self.settings)
            # The leader answers once its swap is done: silent up to the on-demand wait.
            wait = max(self.settings.on_demand_wait_s, self.settings.swap_wait_s)
            found.read_timeout_s = self.settings.read_timeout_s + wait
            self._open[url] = found
        return found

    async def aclose(self) -> None:
        for upstream in self._open.values():
            await upstream.aclose()
        self._open.clear()


async def to_leader(
    upstream: Upstream, hop: LeaderHop, scope: Scope, body: bytes, send: Send, watch: Watch
) -> int:
    """Send the request (the caller's body, as it came) to the leader and stream its
    answer back; the status sent. Raises the 503 / 504 :class:`SparkError` when no
    answer came."""
    access_log_note(scope, upstream=LEADER)
    target = scope["path"]
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in hop.request_headers(scope)]
    await upstream.limiter.acquire()
    try:
        return await forward(
            upstream,
            scope["method"],
            target,
            scope.get("query_string", b""),
            headers,
            body,
            hop.marked(send),
            watch,
        )
    except SparkError as exc:
        cause = exc.__cause__
        # No connection: nothing reached the leader, so nothing was done there.
        if isinstance(cause, UpstreamUnreachable):
            log.warning("could not forward %s to the leader at %s: %s", target, hop.url, cause)
            raise hop.unreachable(cause) from None
        if exc.status in (502, 504):
            log.warning("forwarded %s: no answer from the leader at %s", target, hop.url)
            # No error behind it: the silence watch gave up.
            silence = f"nothing came back within {upstream.read_timeout_s:g} s"
            raise hop.no_answer(cause if isinstance(cause, Exception) else silence) from None
        raise
    except UpstreamBroke as exc:
        # The answer had begun: cut, so the client sees a broken stream.
        log.warning("the leader's answer to %s broke off: %s", target, exc)
        return 502
    finally:
        upstream.limiter.release()
