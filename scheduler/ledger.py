"""The delivery ledger: prompt rows planned ahead, claimed when due, and resolved."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Prompt, PromptState


async def replan_user(session: AsyncSession, user_id: int, now: datetime) -> int:
    """Forget a person's prompts that are planned but not yet claimed, so they are planned anew.

    Called in the same unit of work as any change to the person's timezone, prompt times,
    days, pause or stop. Rows already claimed or finished stay: with the unique key
    (user, slot, local_date) the planner cannot create a second prompt for a local date that
    was already sent, so a change never sends a slot twice for the same date.

    Args:
        session: The caller's unit of work (not committed here).
        user_id: The person whose settings changed.
        now: The current instant (unused today; kept for a planner that re-plans eagerly).

    Returns:
        How many planned rows were dropped.
    """
    del now
    result = await session.exec(
        delete(Prompt).where(
            col(Prompt.user_id) == user_id, col(Prompt.state) == PromptState.PLANNED
        )
    )
    return int(result.rowcount or 0)
