"""Kindness days' checklists read in bulk: for a batch of prompts, for /week and /journal.

Keyword-only functions over the caller's unit of work; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Checklist

__all__ = ["checklists_between", "checklists_for", "ticked_count"]


def ticked_count(checklist: Checklist) -> int:
    """How many acts on ``checklist`` are ticked off."""
    return len(set(checklist.ticked) & set(checklist.act_ids))


async def checklists_for(
    session: AsyncSession, days: Collection[tuple[int, date]]
) -> dict[tuple[int, date], Checklist]:
    """The checklists of these (``users.id``, local date) pairs that exist, in one query."""
    if not days:
        return {}
    users = {user_id for user_id, _ in days}
    dates = {day for _, day in days}
    found = await session.exec(
        select(Checklist).where(
            col(Checklist.user_id).in_(users), col(Checklist.local_date).in_(dates)
        )
    )
    wanted = set(days)
    return {
        (row.user_id, row.local_date): row
        for row in found.all()
        if (row.user_id, row.local_date) in wanted
    }


async def checklists_between(
    session: AsyncSession, *, user_id: int, since: date, until: date
) -> dict[date, Checklist]:
    """One person's checklists from ``since`` to ``until`` (both included), by local date."""
    found = await session.exec(
        select(Checklist).where(
            Checklist.user_id == user_id,
            col(Checklist.local_date) >= since,
            col(Checklist.local_date) <= until,
        )
    )
    return {row.local_date: row for row in found.all()}
