"""Properties of the pure parts: the retry backoff stays within its bounds, and the
schedule's conflict search finds exactly the pairs a brute-force comparison finds."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import combinations, islice

from hypothesis import given, settings
from hypothesis import strategies as st

from spark_control_coordination.outbox import backoff_s
from spark_control_coordination.schedule import Job, conflicts


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
