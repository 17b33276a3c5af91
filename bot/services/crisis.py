"""What happens after crisis language: the open free-text step is closed, nothing is kept.

The words themselves never reach this module; only who wrote is passed in.
"""

from __future__ import annotations

from bot.services import settings
from scheduler.clock import Clock
from storage.engine import Database
from storage.repositories import UserRepository

__all__ = ["stop_flow"]


async def stop_flow(db: Database, clock: Clock, telegram_user_id: int) -> None:
    """Close the person's open free-text step, so the flow stops and their next line is fresh.

    The onboarding question about the time zone stays open: it stores no feelings, and
    closing it would leave someone new without a way to finish setting up.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who wrote.
    """
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None or user.pending_step in {None, settings.ONBOARDING_ZONE}:
            return
        user.pending_step = None
        user.pending_payload = None
        user.updated_at = now
