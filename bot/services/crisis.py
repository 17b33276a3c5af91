"""What happens after crisis language: the open free-text step is closed, and the bot stays
gentle for the rest of the person's day (no evening nudge).

The words themselves never reach this module; only who wrote is passed in, and only a time
is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.kindness.helplines import country_of_zone
from bot.services import language
from bot.services.unit import visit
from scheduler.clock import Clock
from storage.engine import Database
from storage.models import UserStatus
from storage.pending import Step, clear_step, pending_step

__all__ = ["Whereabouts", "stop_flow", "whereabouts"]


@dataclass(frozen=True)
class Whereabouts:
    """What the crisis reply needs to know about a person: nothing they wrote.

    Attributes:
        language: Their language (choice, else Telegram's), as stored.
        country: The country of their time zone (ISO code), None until they have chosen one.
    """

    language: str | None
    country: str | None


async def whereabouts(db: Database, telegram_user_id: int) -> Whereabouts | None:
    """The person's language and likely country, or None for someone Kindling does not know.

    The country comes from the time zone they chose at onboarding (Kindling keeps the zone,
    never the city or location it came from); while they are still onboarding the zone is
    only the operator's default, so the country is unknown. While the database is
    unavailable, also None: the worldwide text at once beats no answer.
    """
    user = await language.known_person(db, telegram_user_id)
    if user is None:
        return None
    onboarding = user.status is UserStatus.ONBOARDING
    return Whereabouts(
        language=user.locale, country=None if onboarding else country_of_zone(user.timezone)
    )


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
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return
        user = v.person
        user.gentle_until = end_of_local_day(v.now, user.timezone)
        user.updated_at = v.now
        open_ = pending_step(user)
        if open_ is None or open_.step is not Step.ONBOARDING_ZONE:
            clear_step(user)  # also whatever unreadable step an older version left


def end_of_local_day(now: datetime, zone: str) -> datetime:
    """The next local midnight after ``now`` in ``zone``, as an aware UTC datetime."""
    tz = ZoneInfo(zone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=tz).astimezone(ZoneInfo("UTC"))
