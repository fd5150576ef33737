"""Properties of the pure parts: the retry backoff stays within its bounds, the
schedule's conflict search finds exactly the pairs a brute-force comparison finds, and
a failed swap's webhook ``error`` keeps its reason whole."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import combinations, islice

from hypothesis import given, settings
from hypothesis import strategies as st

from spark_control.events import Event
from spark_control_coordination.outbox import backoff_s
from spark_control_coordination.schedule import Job, conflicts
from spark_control_coordination.swap_events import ERROR_CHARS, SwapTracker


@given(
    attempts=st.integers(min_value=1, max_value=60),
    base=st.floats(min_value=0.01, max_value=60),
    cap=st.floats(min_value=0.01, max_value=3600),
    seed=st.integers(),
)
def test_backoff_doubles_up_to_the_cap_and_jitter_takes_off_at_most_half(
    attempts: int, base: float, cap: float, seed: int
) -> None:
    delay = min(cap, base * 2 ** (attempts - 1))
    wait = backoff_s(attempts, base, cap, random.Random(seed))
    assert delay / 2 <= wait <= delay


NOW = datetime(2026, 6, 1, 10, 7, tzinfo=UTC)
HORIZON = timedelta(hours=12)
CRONS = st.builds(
    lambda minute, hours: f"{minute} */{hours} * * *",
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=1, max_value=6),
)
JOBS = st.lists(
    st.tuples(CRONS, st.integers(min_value=1, max_value=240), st.sampled_from(["a", "b", "c"])),
    min_size=0,
    max_size=5,
)


def brute_force(jobs: list[Job]) -> dict[tuple[str, ...], datetime]:
    """Every pair needing different models with overlapping runs, and the first moment
    (from now on) they overlap."""

    def spans(job: Job) -> list[tuple[datetime, datetime]]:
        duration = timedelta(seconds=job.expected_duration_s)
        found = []
        for start in islice(job.runs(NOW - duration), 500):
            if start >= NOW + HORIZON:
                break
            if start + duration > NOW:
                found.append((start, start + duration))
        return found

    pairs = {}
    for one, other in combinations(jobs, 2):
        if one.model == other.model:
            continue
        starts = [max(a, c, NOW) for a, b in spans(one) for c, d in spans(other) if a < d and c < b]
        if starts:
            pairs[tuple(sorted((one.name, other.name)))] = min(starts)
    return pairs


@settings(max_examples=60, deadline=None)
@given(JOBS)
def test_the_sweep_finds_exactly_the_overlapping_pairs(raw: list[tuple[str, int, str]]) -> None:
    jobs = [
        Job(f"job-{i}", "Alice", cron, "UTC", minutes * 60, model, "")
        for i, (cron, minutes, model) in enumerate(raw)
    ]
    found = conflicts(jobs, NOW, HORIZON)
    expected = brute_force(jobs)
    assert {tuple(c["jobs"]): datetime.fromisoformat(c["first_overlap"]) for c in found} == expected
    for clash in found:
        assert clash["models"][0] != clash["models"][1]


def _failed_error(reason: str, log_excerpt: str) -> str:
    event = Event(
        "e-1",
        "vllm.swap_failed",
        "vllm",
        0.0,
        {"swap_id": "swp_1", "model": "m", "reason": reason, "log_excerpt": log_excerpt},
    )
    found = SwapTracker().payload(event)
    assert found is not None
    error = found[1]["error"]
    assert isinstance(error, str)
    return error


def test_a_long_log_never_pushes_the_reason_out_of_swap_failed() -> None:
    log = "".join(f"INFO line {n}: loading weights shard {n}\n" for n in range(400))
    error = _failed_error("vLLM ran out of GPU memory", log + "torch.OutOfMemoryError: CUDA")
    assert error.startswith("vLLM ran out of GPU memory\n…")
    assert error.endswith("torch.OutOfMemoryError: CUDA")
    assert len(error) == ERROR_CHARS


@given(reason=st.text(min_size=1, max_size=3000), log=st.text(max_size=6000))
def test_the_reason_comes_first_and_whole_and_the_log_fills_what_is_left(
    reason: str, log: str
) -> None:
    error = _failed_error(reason, log)
    assert error.startswith(reason)
    rest = error[len(reason) :]
    if not log or len(reason) > ERROR_CHARS - 3:
        assert rest == "" or log.endswith(rest.removeprefix("\n").removeprefix("…"))
    else:
        assert len(error) <= ERROR_CHARS
        kept = rest.removeprefix("\n").removeprefix("…")
        assert log.endswith(kept)
        assert len(kept) == min(len(log), ERROR_CHARS - len(reason) - 1 - (kept != log))


def test_swap_webhooks_carry_the_model_slot() -> None:
    tracker = SwapTracker()

    def event(n: int, kind: str, at: float, **data: object) -> Event:
        return Event(f"e-{n}", f"vllm.{kind}", "vllm", at, {"model": "m", **data})

    started = tracker.payload(event(1, "swap_started", 10.0, swap_id="swp_1", slot="coder"))
    assert started is not None and started[1]["slot"] == "coder"
    # The end of a swap need not say its slot again: its start did.
    complete = tracker.payload(event(2, "swap_complete", 12.5, swap_id="swp_1"))
    assert complete is not None and complete[1]["slot"] == "coder"
    assert complete[1]["duration_s"] == 2.5
    # A plugin without slots (or an end whose start was not heard): the default slot.
    for data in ({"swap_id": "swp_2"}, {"swap_id": "swp_3", "slot": 7}):
        failed = tracker.payload(event(3, "swap_failed", 13.0, reason="boom", **data))
        assert failed is not None and failed[1]["slot"] == "default"
