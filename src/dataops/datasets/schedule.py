"""Cron schedules: timezone-aware ticks (croniter), and what happens to ticks missed while down.

A tick is the UTC instant a cron expression fires in its time zone. A run for a tick is created in
the same transaction that moves the dataset's ``next_run_at`` on, and ``(dataset_id,
scheduled_for)`` is unique: with any number of scheduler processes, a tick starts at most one run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from dataops.core.errors import InvalidInputError

MISFIRE_GRACE = timedelta(seconds=60)
"""A tick found later than this after its time counts as missed (the server was down)."""


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInputError(f"unknown time zone {name!r}", field=field) from exc


def check_cron(expression: str, field: str = "cron") -> None:
    fields = expression.split()
    if len(fields) != 5 or not croniter.is_valid(expression):
        raise InvalidInputError(
            f"{expression!r} is not a five-field cron expression (minute hour day month weekday)",
            field=field,
        )


def next_tick(expression: str, timezone: str, after: datetime) -> datetime:
    """The first tick strictly after ``after`` (UTC in, UTC out).

    >>> next_tick("0 2 * * *", "Europe/Paris", datetime(2026, 7, 1, 12, tzinfo=UTC))
    datetime.datetime(2026, 7, 2, 0, 0, tzinfo=datetime.timezone.utc)
    """
    check_cron(expression)
    local = after.astimezone(zone(timezone))
    found = croniter(expression, local).get_next(datetime)
    assert isinstance(found, datetime)
    return found.astimezone(UTC)


def next_times(expression: str, timezone: str, count: int) -> list[datetime]:
    """The next ``count`` ticks from now."""
    times: list[datetime] = []
    moment = datetime.now(UTC)
    for _ in range(count):
        moment = next_tick(expression, timezone, moment)
        times.append(moment)
    return times


def due_tick(
    expression: str, timezone: str, next_run_at: datetime, now: datetime, misfire: str
) -> tuple[datetime | None, datetime]:
    """For a schedule due at ``next_run_at``: the tick to run now (None: skip) and the next one.

    On time: run that tick. Missed (found later than the grace): ``skip`` runs nothing,
    ``run_once`` runs once for the latest missed tick; both then wait for the next future tick.

    >>> t = datetime(2026, 1, 1, 2, tzinfo=UTC)
    >>> due_tick("0 * * * *", "UTC", t, t + timedelta(seconds=5), "skip")[0] == t
    True
    >>> late = t + timedelta(hours=5, minutes=30)
    >>> run, after = due_tick("0 * * * *", "UTC", t, late, "run_once")
    >>> run.hour, after.hour
    (7, 8)
    >>> due_tick("0 * * * *", "UTC", t, late, "skip")[0] is None
    True
    """
    upcoming = next_tick(expression, timezone, now)
    if now - next_run_at <= MISFIRE_GRACE:
        return next_run_at, next_tick(expression, timezone, next_run_at)
    if misfire == "skip":
        return None, upcoming
    latest = croniter(expression, now.astimezone(zone(timezone))).get_prev(datetime)
    assert isinstance(latest, datetime)
    return latest.astimezone(UTC), upcoming
