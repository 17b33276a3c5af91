"""What happens after crisis language: the open free-text step is closed, and the bot stays
gentle for the rest of the person's day (no evening nudge).

The words themselves never reach this module; only who wrote is passed in, and only a time
is kept.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services import settings
from scheduler.clock import Clock
from storage.engine import Database
from storage.repositories import UserRepository

__all__ = ["stop_flow"]


async def stop_flow(db: Database, clock: Clock, telegram_user_id: int) -> None:
    """Close the person's open free-text step, so the flow stops and their next line is fresh,
    and keep the bot gentle until the end of their local day.

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
        if user is None:
            return
        user.gentle_until = end_of_local_day(now, user.timezone)
        user.updated_at = now
        if user.pending_step not in {None, settings.ONBOARDING_ZONE}:
            user.pending_step = None
            user.pending_payload = None


def end_of_local_day(now: datetime, zone: str) -> datetime:
    """The next local midnight after ``now`` in ``zone``, as an aware UTC datetime."""
    tz = ZoneInfo(zone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=tz).astimezone(ZoneInfo("UTC"))
