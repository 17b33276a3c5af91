"""One person's history of acts and reflections, read for /journal and /week.

Keyword-only functions over the caller's unit of work; nothing here commits. A reflection
"has content" when it holds a feeling or words about kindness received: an evening that was
only skipped through shows nowhere.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ActDone, Reflection

__all__ = [
    "acts_on",
    "acts_per_day",
    "journal_dates",
    "reflections_between",
    "reflections_on",
]


async def journal_dates(session: AsyncSession, *, user_id: int) -> list[date]:
    """Every local date with an act, or a reflection with content, newest first.

    Args:
        session: The caller's unit of work.
        user_id: ``users.id``.

    Returns:
        The dates, each once, newest first.
    """
    act_days = await session.exec(
        select(col(ActDone.local_date)).where(ActDone.user_id == user_id).distinct()
    )
    reflection_days = await session.exec(
        select(col(Reflection.local_date)).where(
            Reflection.user_id == user_id,
            (col(Reflection.feeling).is_not(None)) | (col(Reflection.received).is_not(None)),
        )
    )
    return sorted(set(act_days.all()) | set(reflection_days.all()), reverse=True)


async def acts_on(session: AsyncSession, *, user_id: int, days: Collection[date]) -> list[ActDone]:
    """The acts logged on ``days``, in the order they were done.

    Args:
        session: The caller's unit of work.
        user_id: ``users.id``.
        days: Local dates.

    Returns:
        The rows, by ``done_at`` then ``id``.
    """
    acts = await session.exec(
        select(ActDone)
        .where(ActDone.user_id == user_id, col(ActDone.local_date).in_(list(days)))
        .order_by(col(ActDone.done_at), col(ActDone.id))
    )
    return list(acts.all())


async def reflections_on(
    session: AsyncSession, *, user_id: int, days: Collection[date]
) -> list[Reflection]:
    """The reflections of ``days`` (at most one a day), with content or not.

    Args:
        session: The caller's unit of work.
        user_id: ``users.id``.
        days: Local dates.

    Returns:
        The rows, in no particular order.
    """
    found = await session.exec(
        select(Reflection).where(
            Reflection.user_id == user_id, col(Reflection.local_date).in_(list(days))
        )
    )
    return list(found.all())


async def acts_per_day(
    session: AsyncSession, *, user_id: int, since: date, until: date
) -> dict[date, int]:
    """How many acts were logged on each local date from ``since`` to ``until``.

    Args:
        session: The caller's unit of work.
        user_id: ``users.id``.
        since: The first local date counted.
        until: The last local date counted (inclusive).

    Returns:
        A count per date that has any act.
    """
    counts = await session.exec(
        select(col(ActDone.local_date), func.count(col(ActDone.id)))
        .where(
            col(ActDone.user_id) == user_id,
            col(ActDone.local_date) >= since,
            col(ActDone.local_date) <= until,
        )
        .group_by(col(ActDone.local_date))
    )
    return {day: int(n) for day, n in counts.all()}


async def reflections_between(
    session: AsyncSession, *, user_id: int, since: date, until: date
) -> list[Reflection]:
    """The reflections from ``since`` to ``until`` (both inclusive).

    Args:
        session: The caller's unit of work.
        user_id: ``users.id``.
        since: The first local date read.
        until: The last local date read.

    Returns:
        The rows, in no particular order.
    """
    found = await session.exec(
        select(Reflection).where(
            Reflection.user_id == user_id,
            col(Reflection.local_date) >= since,
            col(Reflection.local_date) <= until,
        )
    )
    return list(found.all())
