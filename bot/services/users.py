"""Use cases about the person: registering on /start, switching back on, looking them up."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from scheduler.clock import Clock
from storage.engine import Database
from storage.models import UserStatus
from storage.repositories import UserRepository


@dataclass(frozen=True)
class Profile:
    """What Telegram tells us about the person writing."""

    telegram_user_id: int
    chat_id: int
    first_name: str
    language_code: str | None


@dataclass(frozen=True)
class Registration:
    """The outcome of /start."""

    user_id: int
    created: bool
    reactivated: bool


async def register(
    db: Database, clock: Clock, settings: Settings, profile: Profile
) -> Registration:
    """Create the person on first /start; on a later /start refresh and reactivate them.

    Never creates a second account for the same Telegram user.

    Args:
        db: The database.
        clock: Source of the current time.
        settings: Defaults for a new person's timezone and prompt times.
        profile: The Telegram identity of the person.

    Returns:
        Whether the person was new, or came back from being stopped or blocked.
    """
    async with db.write() as session:
        user, created = await UserRepository(session).upsert_from_telegram(
            telegram_user_id=profile.telegram_user_id,
            chat_id=profile.chat_id,
            first_name=profile.first_name,
            language_code=profile.language_code,
            now=clock.now(),
            timezone=settings.default_timezone,
            morning_time=settings.default_morning_time,
            evening_time=settings.default_evening_time,
            status=UserStatus.ACTIVE,
        )
        reactivated = user.status in {UserStatus.STOPPED, UserStatus.BLOCKED}
        if reactivated:
            user.status = UserStatus.ACTIVE
            user.updated_at = clock.now()
        assert user.id is not None
        return Registration(user_id=user.id, created=created, reactivated=reactivated)


async def is_registered(db: Database, telegram_user_id: int) -> bool:
    """Whether this Telegram user has pressed /start before."""
    async with db.session() as session:
        return await UserRepository(session).get_by_telegram_id(telegram_user_id) is not None
