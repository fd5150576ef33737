"""Swaps: one at a time, persisted, followed phase by phase, rolled back once on failure.

A swap stops what runs, checks the node can take the new model, launches it detached
through the launcher, follows the launch log for phases and failures, and calls the
model ready only when ``/health`` answers, ``/v1/models`` lists it and a one-token
completion succeeds. A failure rolls back once to the last good model; if that fails
too, vLLM is marked down and nothing loops. Repeated failures trip a crash-loop guard
that blocks automatic starts until a person clears it.

Where each fault ends ("rollback" = the launch is stopped, then one automatic swap back
to the previous model, else the last good one; vLLM is marked down when there is none,
when ``rollback`` is off, or when the guard is tripped):

=================================================  ======================================
Fault                                              End state
=================================================  ======================================
vLLM dies while starting (traceback, CUDA error,   swap ``failed``: "vLLM failed while
OOM, too few GPUs) — read from the launch log      starting" / "vLLM ran out of GPU
                                                   memory" / ..., log excerpt; rollback
the kernel's OOM killer ends the container         ``failed`` "vLLM ran out of memory:
(Docker's ``State.OOMKilled``, or its ``oom``      the kernel's OOM killer ended its
event once ``--rm`` removed it)                    container (...)"; rollback
launcher ends with no reason in the log            ``failed`` "vLLM exited before it was
                                                   ready"; rollback
ready line, but no completion answers              ``failed`` "vLLM started but did not
                                                   answer a completion"; rollback
load past ``load_deadline_s`` (all the time not    ``failed`` "the load did not finish
spent downloading) — a hang                        within N s"; launcher and container
                                                   stopped; rollback
download past ``download_deadline_s``              ``failed`` "the download did not
                                                   finish within N s"; rollback
pre-flight: after the stop (waiting up to          ``failed`` "<node> has A GiB of memory
``stop_timeout_s``, at most 15 s, for memory to    available, S GiB short of the N GiB
come back) the model's memory is not available     <model> needs"; nothing launched;
                                                   rollback
SSH connection drops, node answers again within    not a failure: the executor reconnects,
``RECONNECT_GRACE_S``                              the log follow resumes after the last
                                                   line read (none twice); swap goes on
head node unreachable for longer than that         ``failed`` "lost the head node: <why>";
                                                   no stop, no rollback (neither could
                                                   run); vLLM down with that reason; not
                                                   counted by the crash-loop guard
cancel (``DELETE /api/swap/{id}``)                 ``cancelled``; launch stopped; rollback
the rollback fails too                             both ``failed``; vLLM down "the rollback
                                                   to M failed too (<why>)"; no third
                                                   start
``crash_loop_failures`` failures within            ``failed``; guard tripped (persisted):
``crash_loop_window_s``                            no rollback, vLLM down with a reason
                                                   naming the guard; automatic starts
                                                   refused (423) until
                                                   ``POST /api/vllm/crash-loop-guard/clear``;
                                                   a person's swap still runs (the SPEC
                                                   blocks automatic starts only)
gateway stops or dies mid-swap                     the launch carries on, detached; at the
                                                   next start the swap is ``failed`` "the
                                                   gateway restarted during this swap"
                                                   (``vllm.swap_failed`` published);
                                                   the model that answers is current; if
                                                   none answers but that launcher still
                                                   runs, a new swap (``resumed_from``)
                                                   follows it to its end, rollback and all;
                                                   otherwise vLLM down with the reason
=================================================  ======================================

Events (``source`` vllm, every payload carries ``swap_id``, ``model`` and ``slot``):
``vllm.swap_started`` (+ ``previous``, ``actor``, ``rollback_of``), ``vllm.swap_phase``
(+ ``phase``, ``progress``), ``vllm.swap_log`` (+ ``line``), ``vllm.swap_complete``,
``vllm.swap_failed`` (+ ``reason``, ``log_excerpt``), ``vllm.swap_rolled_back``
(+ ``failed_swap_id``, ``restored``). ``swap_started`` also carries ``resumed_from``.
``vllm.state_changed`` carries ``status()`` (no ``swap_id``): the state settled after a
swap task, a cleared guard, or a re-read (``watch``) that found the cluster changed.

Outside swaps the state follows what runs: ``watch`` re-reads it at each transition of
vLLM's health probe and every ``reconcile_interval_s`` (``refresh``).

A stop (``POST /api/vllm/stop``, a restart, a swap's first step) checks with ``docker
inspect`` that the container really stopped on the head node and on each worker that
answers; one still running is a 502 ``stop_failed`` naming the node and what ``docker
stop`` said (in a swap: the swap fails with that reason and rolls back), and the state
stays as it was.

The parts, one module each (a slot owns one of each; ``SwapManager`` composes them):
``record`` (the swap record, its table, the journal that persists and publishes it),
``state`` (what the slot serves and its status word), ``guard`` (crash-loop guard),
``remote`` (the head node: commands that ride out dropped connections), ``readiness``,
``preflight``, ``launching`` (launch and follow the log), ``stopping``, ``machine`` (a
swap from stop to ready and its endings, rollback included), ``reconcile`` (start-up
and ``watch``), ``manager`` (the facade).
"""

from spark_control_vllm.swap.errors import SwapFailure, SwapRefused
from spark_control_vllm.swap.launching import OOM_GPU, OOM_KILLED
from spark_control_vllm.swap.manager import SwapManager
from spark_control_vllm.swap.reconcile import RESTARTED, STATE_CHANGED
from spark_control_vllm.swap.record import (
    CANCELLED,
    COMPLETE,
    FAILED,
    MIGRATIONS,
    OWNER,
    RUNNING,
    Swap,
)
from spark_control_vllm.swap.state import GUARD_NOTE

__all__ = [
    "CANCELLED",
    "COMPLETE",
    "FAILED",
    "GUARD_NOTE",
    "MIGRATIONS",
    "OOM_GPU",
    "OOM_KILLED",
    "OWNER",
    "RESTARTED",
    "RUNNING",
    "STATE_CHANGED",
    "Swap",
    "SwapFailure",
    "SwapManager",
    "SwapRefused",
]
