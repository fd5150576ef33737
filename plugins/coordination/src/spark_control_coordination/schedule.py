"""The schedule registry: external jobs declare when they run and which model they
need, so people and other jobs can see what is coming and which jobs collide.

It never runs anything. A job's cron expression (five fields, or ``@daily`` and the
like) is read in the job's own time zone, so "every day at 02:30 Europe/Berlin" follows
daylight saving time. Jobs overlap when one of their runs, lasting the declared expected
duration, overlaps a run of the other within the look-ahead horizon. Overlapping jobs
that need the same model never conflict. Ones that need different models conflict
unless their models can be resident at once: the plugin that knows the models' memory
answers that (``host.co_resident``, the vllm plugin by its placement planner); with no
answer, the old rule stays (the cluster serves one model at a time). A group of three or
more whose every pair fits but which do not fit all at once is a conflict of the group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import combinations, islice
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

from spark_control.api import InvalidValue

OWNER = "coordination.schedule"
MIGRATIONS: list[str] = [
    """
    CREATE TABLE coordination_schedule (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        cron TEXT NOT NULL,
        timezone TEXT NOT NULL,
        expected_duration_s REAL NOT NULL,
        model TEXT NOT NULL,
        description TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    """,
]
ALIASES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
#: Runs of one job looked at for conflicts; a job every minute for a week stops here.
MAX_RUNS_PER_JOB = 2000


@dataclass(frozen=True)
class Job:
    name: str
    owner: str
    cron: str
    timezone: str
    expected_duration_s: float
    model: str
    description: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def runs(self, after: datetime) -> CronSim:
        """Start times after ``after``, in the job's zone."""
        return CronSim(ALIASES.get(self.cron.strip(), self.cron), after.astimezone(self.zone))


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(
            "timezone", f"{name!r} is not a known IANA time zone (e.g. 'UTC', 'Europe/Berlin')"
        ) from None


def check_cron(expression: str, zone: ZoneInfo) -> str:
    """A five-field cron expression (or an alias) that runs at least once."""
    expression = " ".join(expression.split())
    if expression not in ALIASES and len(expression.split(" ")) != 5:
        raise InvalidValue(
            "cron",
            f"{expression!r} is not a cron expression: five fields (minute hour day-of-month "
            "month day-of-week, e.g. '30 2 * * *'), or @hourly, @daily, @weekly, @monthly, "
            "@yearly",
        )
    try:
        next(CronSim(ALIASES.get(expression, expression), datetime.now(zone)))
    except CronSimError as exc:
        raise InvalidValue(
            "cron", f"{expression!r} is not a valid cron expression: {exc}"
        ) from None
    except StopIteration:
        raise InvalidValue("cron", f"{expression!r} never runs") from None
    return expression


def next_runs(job: Job, now: datetime, count: int) -> list[str]:
    return [run.isoformat() for run in islice(job.runs(now), count)]


def _intervals(job: Job, now: datetime, until: datetime) -> list[tuple[datetime, datetime]]:
    # Runs that started within one duration before now may still be running.
    duration = timedelta(seconds=job.expected_duration_s)
    spans = []
    for start in islice(job.runs(now - duration), MAX_RUNS_PER_JOB):
        if start >= until:
            break
        spans.append((start.astimezone(UTC), start.astimezone(UTC) + duration))
    return spans


#: Whether a set of models can be resident at once: True, False, or None (nobody knows).
Fits = Callable[[frozenset[str]], bool | None]
ONE_AT_A_TIME = "they need different models, and no plugin says these can be resident at once"
NO_ROOM = "their models do not fit in the cluster's memory at the same time"


@dataclass(frozen=True)
class Overlap:
    """Jobs whose runs are under way at one moment, first seen at ``first``."""

    jobs: frozenset[str]
    first: datetime


def overlaps(jobs: list[Job], now: datetime, horizon: timedelta) -> list[Overlap]:
    """Every set of jobs that run at the same moment before now + horizon (two or more,
    as each run starts), with the first such moment, in time order."""
    until = now + horizon
    spans = sorted(
        (
            (start, end, job)
            for job in jobs
            for start, end in _intervals(job, now, until)
            if end > now
        ),
        key=lambda span: (span[0], span[1], span[2].name),
    )
    found: dict[frozenset[str], datetime] = {}
    active: list[tuple[datetime, Job]] = []
    for start, end, job in spans:
        active = [(e, j) for e, j in active if e > start]
        together = frozenset(j.name for _, j in active) | {job.name}
        if len(together) > 1 and together not in found:
            found[together] = max(start, now)
        active.append((end, job))
    return [Overlap(names, first) for names, first in found.items()]


def model_sets(found: Iterable[Overlap], jobs: list[Job]) -> set[frozenset[str]]:
    """The sets of models whose co-residence decides these overlaps' conflicts: each
    pair of different models, and each group of three or more."""
    model_of = {job.name: job.model for job in jobs}
    wanted: set[frozenset[str]] = set()
    for overlap in found:
        models = frozenset(model_of[name] for name in overlap.jobs)
        wanted.update(frozenset(pair) for pair in combinations(sorted(models), 2))
        if len(models) > 2:
            wanted.add(models)
    return wanted


def judge(found: list[Overlap], jobs: list[Job], fits: Fits) -> list[dict[str, Any]]:
    """The conflicts among ``found``: pairs of jobs needing different models that are
    not known to fit together, then groups whose every pair fits but not all at once;
    each with its first overlap and why."""
    by_name = {job.name: job for job in jobs}
    clashes: dict[tuple[str, ...], dict[str, Any]] = {}
    for overlap in sorted(found, key=lambda o: (o.first, sorted(o.jobs))):
        names = sorted(overlap.jobs)
        pairs_fit = True
        for a, b in combinations(names, 2):
            one, other = by_name[a], by_name[b]
            if one.model == other.model:
                continue
            verdict = fits(frozenset((one.model, other.model)))
            if verdict is True:
                continue
            pairs_fit = False
            if (a, b) not in clashes:
                clashes[(a, b)] = _clash((one, other), overlap.first, verdict)
        models = {by_name[name].model for name in names}
        if pairs_fit and len(models) > 2 and fits(frozenset(models)) is not True:
            group = tuple(names)
            if group not in clashes:
                clashes[group] = _clash([by_name[n] for n in names], overlap.first, False)
    return sorted(clashes.values(), key=lambda c: (c["first_overlap"], c["jobs"]))


def _clash(jobs: Iterable[Job], first: datetime, verdict: bool | None) -> dict[str, Any]:
    listed = list(jobs)
    return {
        "jobs": [job.name for job in listed],
        "models": [job.model for job in listed],
        "first_overlap": first.isoformat(),
        "reason": ONE_AT_A_TIME if verdict is None else NO_ROOM,
    }


def conflicts(
    jobs: list[Job], now: datetime, horizon: timedelta, fits: Fits | None = None
) -> list[dict[str, Any]]:
    """Jobs whose runs overlap before now + horizon and whose models cannot be
    resident at once (``fits``; without it, any two different models), each with the
    first moment they overlap."""
    return judge(overlaps(jobs, now, horizon), jobs, fits or (lambda models: None))
