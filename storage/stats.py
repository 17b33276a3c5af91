"""Counts for operators (metrics, the admin view): how many people, never who.

Every query here returns numbers only; no row, id or text of a person leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import String, case, func, literal, select, text, type_coerce, union
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ActDone, DailyPlan, Reflection, User, UserStatus

__all__ = ["ACTIVE_WINDOW", "PEOPLE_STATES", "PeopleCounts", "people_counts", "ping"]

ACTIVE_WINDOW: Final = timedelta(days=7)
""""Active this week": chose, logged or reflected on an act within this long."""

PEOPLE_STATES: Final = ("onboarding", "active", "paused", "stopped", "blocked")
"""The states people are counted in; ``paused`` are active people with a pause running."""

_U: Any = User.__table__  # type: ignore[attr-defined]
_PLANS: Any = DailyPlan.__table__  # type: ignore[attr-defined]
_ACTS: Any = ActDone.__table__  # type: ignore[attr-defined]
_REFLECTIONS: Any = Reflection.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PeopleCounts:
    """How many people are in each state, and how many took part lately."""

    by_state: dict[str, int]
    """A count for every name in :data:`PEOPLE_STATES` (zero included)."""
    active_this_week: int
    """People who chose, logged or reflected on an act in the last :data:`ACTIVE_WINDOW`."""

    @property
    def total(self) -> int:
        """Everyone Kindling knows."""
        return sum(self.by_state.values())


async def people_counts(session: AsyncSession, now: datetime) -> PeopleCounts:
    """Count people by state, and those active in the week up to ``now``.

    Args:
        session: A unit of work.
        now: The current instant (aware); a pause counts while ``paused_until`` is after it.

    Returns:
        The counts.
    """
    connection = await session.connection()
    paused = (_U.c.status == UserStatus.ACTIVE.value) & (_U.c.paused_until > now)
    # Read the status as a plain string: "paused" is no member of the column's enum.
    state = case((paused, literal("paused")), else_=type_coerce(_U.c.status, String))
    rows = await connection.execute(select(state, func.count()).group_by(state))
    by_state = dict.fromkeys(PEOPLE_STATES, 0)
    for name, count in rows.all():
        by_state[str(name)] = by_state.get(str(name), 0) + int(count)
    since = now - ACTIVE_WINDOW
    recent = union(
        select(_PLANS.c.user_id).where(_PLANS.c.updated_at >= since),
        select(_ACTS.c.user_id).where(_ACTS.c.done_at >= since),
        select(_REFLECTIONS.c.user_id).where(_REFLECTIONS.c.updated_at >= since),
    ).subquery()
    active = await connection.execute(select(func.count()).select_from(recent))
    return PeopleCounts(by_state=by_state, active_this_week=int(active.scalar_one()))


async def ping(session: AsyncSession) -> None:
    """``SELECT 1``: the database answers (raises what the driver raises when it does not)."""
    await (await session.connection()).execute(text("SELECT 1"))
