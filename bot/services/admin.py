"""Use cases of the operators' view (/admin) and of error alerts: counts only, never who."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from scheduler.ledger import today_counts
from storage.engine import Database
from storage.stats import PeopleCounts, people_counts, ping

__all__ = [
    "ALERT_WINDOW",
    "AdminOverview",
    "AlertThrottle",
    "OpsFigures",
    "database_answers",
    "overview",
    "people_now",
]

ALERT_WINDOW: Final = timedelta(minutes=10)
"""At most one alert per kind of error in this long, so a failing handler cannot flood."""


@dataclass(frozen=True)
class OpsFigures:
    """What this process knows about itself (kept in memory, since start-up)."""

    flood_429s: int
    last_error_kind: str | None
    last_error_at: datetime | None
    version: str
    started_at: datetime


@dataclass(frozen=True)
class AdminOverview:
    """Everything /admin shows: numbers, a version, an exception type name."""

    people: PeopleCounts
    prompts_today: dict[str, int]
    """Each person's local today, by ledger state value (``"sent"``...), every state listed."""
    figures: OpsFigures
    uptime: timedelta


async def people_now(db: Database, now: datetime) -> PeopleCounts:
    """People by state and those active this week, in one read-only unit of work."""
    async with db.session() as session:
        return await people_counts(session, now)


async def database_answers(db: Database) -> None:
    """Ask the database for ``SELECT 1``; raises what the driver raises when it cannot."""
    async with db.session() as session:
        await ping(session)


async def overview(db: Database, now: datetime, figures: OpsFigures) -> AdminOverview:
    """Gather the /admin figures: people, today's prompts by state, and this process.

    Args:
        db: The database.
        now: The current instant (aware).
        figures: What the running process counted itself (``Metrics.figures()``).

    Returns:
        The overview, counts only.
    """
    async with db.session() as session:
        people = await people_counts(session, now)
        prompts = await today_counts(session, now)
    return AdminOverview(
        people=people,
        prompts_today={state.value: count for state, count in prompts.items()},
        figures=figures,
        uptime=max(timedelta(0), now - figures.started_at),
    )


@dataclass
class AlertThrottle:
    """Decides which errors are worth telling the admins: each kind once per window.

    Args:
        window: How long after an alert the same kind stays quiet.
    """

    window: timedelta = ALERT_WINDOW
    _last: dict[str, datetime] = field(default_factory=dict)

    def allow(self, kind: str, now: datetime) -> bool:
        """True (and remember ``now``) when ``kind`` was not alerted in the last window."""
        last = self._last.get(kind)
        if last is not None and now - last < self.window:
            return False
        self._last[kind] = now
        return True
