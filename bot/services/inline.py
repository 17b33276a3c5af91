"""Inline mode: after someone sent a note from another chat, offer to log it as today's act.

Nothing is stored until the person taps "Yes, log it" in their private chat.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.prompts import PromptContent, local_today, translator_of
from bot.ui import inline as ui
from scheduler.clock import Clock
from storage.engine import Database
from storage.models import UserStatus
from storage.repositories import UserRepository

__all__ = ["LogOffer", "chosen"]


@dataclass(frozen=True)
class LogOffer:
    """Where to send the offer, and what it says."""

    chat_id: int
    content: PromptContent


async def chosen(
    db: Database, clock: Clock, telegram_user_id: int, result_id: str
) -> LogOffer | None:
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
    kind = ui.kind_of(result_id)
    if kind is None:
        return None
    now = clock.now()
    async with db.session() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None or user.status is not UserStatus.ACTIVE:
            return None
        t = translator_of(user)
        rows = ui.offer_rows(t, local_today(user, now), kind)
        return LogOffer(
            chat_id=user.chat_id,
            content=PromptContent(
                text=ui.offer_to_log(t, kind), buttons=[list(row) for row in rows]
            ),
        )
