"""The schedule registry: external jobs declare when they run and which model they
need, so people and other jobs can see what is coming and which jobs collide.

It never runs anything. A job's cron expression (five fields, or ``@daily`` and the
like) is read in the job's own time zone, so "every day at 02:30 Europe/Berlin" follows
daylight saving time. Two jobs conflict when one of their runs, lasting the declared
expected duration, overlaps a run of the other within the look-ahead horizon, and they
need different models (the cluster serves one model at a time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
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


def conflicts(jobs: list[Job], now: datetime, horizon: timedelta) -> list[dict[str, Any]]:
    """Pairs of jobs needing different models whose runs overlap before now + horizon,
    each with the first moment they overlap."""
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
    found: dict[tuple[str, str], dict[str, Any]] = {}
    active: list[tuple[datetime, Job]] = []
    for start, end, job in spans:
        active = [(e, j) for e, j in active if e > start]
        for _, other in active:
            if other.model == job.model or other.name == job.name:
                continue
            a, b = sorted((other, job), key=lambda j: j.name)
            key = (a.name, b.name)
            if key not in found:
                found[key] = {
                    "jobs": [a.name, b.name],
                    "models": [a.model, b.model],
                    "first_overlap": max(start, now).isoformat(),
                }
        active.append((end, job))
    return sorted(found.values(), key=lambda c: (c["first_overlap"], c["jobs"]))
