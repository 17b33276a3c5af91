"""What people did lately, read for a batch of them in three queries (the prompt composer's
reads; composing one prompt at a time cost eight statements each).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ActDone, DailyPlan, Reflection, User

__all__ = ["History", "load_histories", "users_by_id"]


@dataclass
class History:
    """One person's recent rows.

    Attributes:
        plans: Daily plans by local date, from ``plan_days`` before the first date on.
        reflections: Reflections by local date, from the day before the first date on.
        done: ``(local date, act id)`` of the catalog acts logged from ``done_days`` before
            the first date on.
    """

    plans: dict[date, DailyPlan] = field(default_factory=dict)
    reflections: dict[date, Reflection] = field(default_factory=dict)
    done: list[tuple[date, str]] = field(default_factory=list)


async def users_by_id(session: AsyncSession, user_ids: Collection[int]) -> dict[int, User]:
    """The ``users`` rows of ``user_ids`` that exist, by id."""
    found = await session.exec(select(User).where(col(User.id).in_(set(user_ids))))
    return {user.id: user for user in found.all() if user.id is not None}


async def load_histories(
    session: AsyncSession,
    user_ids: Collection[int],
    *,
    first: date,
    plan_days: int,
    done_days: int,
) -> dict[int, History]:
    """Read the :class:`History` of each of ``user_ids`` for days from ``first`` on.

    Args:
        session: The caller's unit of work.
        user_ids: ``users.id`` values.
        first: The earliest local date the caller looks at.
        plan_days: How many days before ``first`` plans are read.
        done_days: How many days before ``first`` logged acts are read (exclusive).

    Returns:
        A history per id (empty for someone with no rows).
    """
    histories = {user_id: History() for user_id in user_ids}
    if not histories:
        return histories
    ids = list(histories)
    plans = await session.exec(
        select(DailyPlan).where(
            col(DailyPlan.user_id).in_(ids),
            col(DailyPlan.local_date) >= first - timedelta(days=plan_days),
        )
    )
    for plan in plans.all():
        histories[plan.user_id].plans[plan.local_date] = plan
    reflections = await session.exec(
        select(Reflection).where(
            col(Reflection.user_id).in_(ids),
            col(Reflection.local_date) >= first - timedelta(days=1),
        )
    )
    for reflection in reflections.all():
        histories[reflection.user_id].reflections[reflection.local_date] = reflection
    done = await session.exec(
        select(col(ActDone.user_id), col(ActDone.local_date), col(ActDone.act_id)).where(
            col(ActDone.user_id).in_(ids),
            col(ActDone.local_date) > first - timedelta(days=done_days),
        )
    )
    for user_id, local_date, act_id in done.all():
        if act_id is not None:
            histories[user_id].done.append((local_date, act_id))
    return histories
