"""Inline mode: after someone sent a note from another chat, offer to log it as today's act.

Nothing is stored until the person taps "Yes, log it" in their private chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from bot.services.unit import Answer, Visit, visit
from scheduler.clock import Clock
from storage.engine import Database
from storage.models import UserStatus
from storage.repositories import ReflectionRepository

__all__ = [
    "ENCOURAGE",
    "KINDS",
    "THANKS",
    "LogOffer",
    "chosen",
    "kind_of",
    "reflection_done_today",
]

ENCOURAGE: Final = "enc"
THANKS: Final = "thx"
KINDS: Final = (ENCOURAGE, THANKS)


@dataclass(frozen=True)
class LogOffer:
    """Where to offer logging a sent note, for which day, and which kind of note it was.

    Attributes:
        chat_id: The person's private chat.
        local_date: The day the note would count for: their local today, or tomorrow.
        kind: :data:`ENCOURAGE` or :data:`THANKS`.
    """

    chat_id: int
    local_date: date
    kind: str

    tomorrow: bool = False
    """A thank-you sent after the evening reflection: offered as tomorrow's act."""


def kind_of(result_id: str) -> str | None:
    """The kind of an inline result id ``"<kind>:<key>"``, or ``None`` when it is not ours."""
    kind, _, key = result_id.partition(":")
    return kind if kind in KINDS and key else None


async def chosen(
    db: Database, clock: Clock, telegram_user_id: int, result_id: str
) -> Answer[LogOffer] | None:
    """The offer to log a note that was just sent, for someone Kindling knows.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who sent the note.
        result_id: The inline result they chose.

    Returns:
        The offer for their private chat, or ``None`` when there is no private chat to use
        (never started, stopped, blocked) or the result is not one of ours.
    """
    kind = kind_of(result_id)
    if kind is None:
        return None
    async with visit(db, clock, telegram_user_id) as v:
        if v is None or v.person.status is not UserStatus.ACTIVE:
            return None
        if kind == THANKS and await reflection_done_today(v):
            tomorrow = v.today + timedelta(days=1)
            offer = LogOffer(v.person.chat_id, tomorrow, kind, tomorrow=True)
            return v.answer(offer)
        return v.answer(LogOffer(chat_id=v.person.chat_id, local_date=v.today, kind=kind))


async def reflection_done_today(v: Visit) -> bool:
    """Today's evening reflection is complete (a thank-you sent now is for tomorrow)."""
    reflection = await ReflectionRepository(v.session).get_for_date(v.person_id, v.today)
    return reflection is not None and reflection.completed
