"""Snoozes: "Later" on the morning ideas, as rows of the delivery ledger.

A snooze is a ``prompts`` row of slot ``snooze`` for the person's local date, due when they
asked to see the ideas again. The dispatcher claims and sends it like any prompt (same states,
limits, retries and crash rules); the planner never creates one, and :func:`replan_user
<scheduler.ledger.replan_user>` leaves it alone. The unique key (user, slot, local date) keeps
one row per day: pressing "Later" again once the ideas came back re-arms that row.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.ledger import FINAL_STATES
from storage.models import Prompt, PromptSlot, PromptState

__all__ = ["cancel_snooze", "snooze"]

_T = Prompt.__table__  # type: ignore[attr-defined]  # SQLModel exposes the Core table


async def snooze(
    session: AsyncSession, *, user_id: int, local_date: date, due: datetime, now: datetime
) -> bool:
    """Ask for the morning ideas again at ``due``.

    Args:
        session: A write unit of work.
        user_id: ``users.id``.
        local_date: The person's local date the ideas belong to.
        due: When to send them.
        now: The current instant.

    Returns:
        False when a snooze of that date is still on its way (planned, claimed or sending):
        nothing changes. True when one is now planned, new or re-armed after it went out.
    """
    row = (
        await session.exec(
            select(Prompt)
            .where(
                Prompt.user_id == user_id,
                Prompt.slot == PromptSlot.SNOOZE,
                Prompt.local_date == local_date,
            )
            .with_for_update()
        )
    ).first()
    if row is None:
        session.add(
            Prompt(
                user_id=user_id,
                slot=PromptSlot.SNOOZE,
                local_date=local_date,
                due_at=due,
                created_at=now,
                updated_at=now,
            )
        )
        await session.flush()
        return True
    if row.state not in FINAL_STATES:
        return False
    row.state = PromptState.PLANNED
    row.due_at = due
    row.attempts = 0
    row.claimed_by = row.claimed_at = row.next_attempt_at = row.sent_at = None
    row.message_id = None
    row.reason = None
    row.updated_at = now
    return True


async def cancel_snooze(session: AsyncSession, *, user_id: int, now: datetime, reason: str) -> int:
    """Call off a person's snooze that has not been claimed yet (they chose, passed, moved).

    Args:
        session: A write unit of work.
        user_id: ``users.id``.
        now: The current instant.
        reason: Why, for the ledger (no words of the person's).

    Returns:
        How many rows were cancelled (0 or 1).
    """
    result = await (await session.connection()).execute(
        update(_T)
        .where(
            _T.c.user_id == user_id,
            _T.c.slot == PromptSlot.SNOOZE,
            _T.c.state == PromptState.PLANNED,
        )
        .values(state=PromptState.CANCELLED, reason=reason, updated_at=now)
    )
    return int(result.rowcount or 0)
