"""What the scheduler sends: the services compose each prompt as data, ``bot.ui`` renders it.

The dispatcher (``scheduler.delivery``) calls :func:`compose_messages` with the ledger rows it
claimed; this is the one place where scheduled prompts meet the translator, as a handler is
for a reply. The weekly recap rides along with the Sunday evening prompt (one message, so it
follows every rule that prompt follows: not when paused, not on a gentle day, not when the
person already reflected).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.i18n import translator_for
from bot.services.daily_prompts import MorningPrompt, morning_prompt
from bot.services.insight import compose_weekly_recap
from bot.services.prompts import PromptKey, ScheduledPrompt, compose_prompts
from bot.services.unit import Visit, local_today
from bot.ui.daily import render_evening, render_morning
from bot.ui.screens import Screen
from scheduler.clock import Clock
from storage.engine import Database
from storage.models import UserStatus
from storage.repositories import PlanRepository, due_snoozes

__all__ = [
    "SnoozedPrompt",
    "claim_snoozed",
    "compose_message",
    "compose_messages",
    "render_prompt",
]


def render_prompt(prompt: ScheduledPrompt) -> Screen:
    """A scheduled prompt in the person's language."""
    t = translator_for(prompt.language)
    if isinstance(prompt.result, MorningPrompt):
        return render_morning(t, prompt.result)
    return render_evening(t, prompt.result)


async def compose_messages(
    db: Database, clock: Clock, keys: Sequence[PromptKey]
) -> list[Screen | None]:
    """The messages for a batch of scheduled prompts (the dispatcher's claim), in order.

    Args:
        db: The database.
        clock: Source of the current time.
        keys: ``(users.id, slot, local date)`` per prompt.

    Returns:
        Per key, the message, or ``None`` when nothing should be sent.
    """
    prompts = await compose_prompts(db, clock, keys)
    return [
        await _with_recap(db, clock, key, render_prompt(prompt)) if prompt is not None else None
        for key, prompt in zip(keys, prompts, strict=True)
    ]


async def compose_message(
    db: Database, clock: Clock, user_id: int, slot: str, local_date: date
) -> Screen | None:
    """The message for one scheduled prompt; see :func:`compose_messages`."""
    [message] = await compose_messages(db, clock, [(user_id, slot, local_date)])
    return message


async def _with_recap(db: Database, clock: Clock, key: PromptKey, message: Screen) -> Screen:
    user_id, slot, local_date = key
    if slot != "evening":
        return message
    recap = await compose_weekly_recap(db, clock, user_id, local_date)
    if recap is None:
        return message
    return Screen(text=f"{recap.text}\n\n{message.text}", buttons=message.buttons)


@dataclass(frozen=True)
class SnoozedPrompt:
    """A morning prompt whose "Later" is due: who, where, and what to send."""

    user_id: int
    chat_id: int
    content: Screen


async def claim_snoozed(db: Database, clock: Clock, *, limit: int = 200) -> list[SnoozedPrompt]:
    """Take the morning prompts whose "Later" (snooze) is due, composed and ready to send.

    Each snooze is cleared in the same unit of work, so it is handed out once (at most once:
    a send that fails after this is not retried). Someone who chose an act or passed on the day
    meanwhile, or who is no longer active, gets nothing; their snooze is simply cleared.

    Args:
        db: The database.
        clock: Source of the current time.
        limit: At most this many people per call.

    Returns:
        The prompts to send now.
    """
    now = clock.now()
    ready: list[SnoozedPrompt] = []
    async with db.write() as session:
        for user in await due_snoozes(session, now=now, limit=limit):
            assert user.id is not None
            user.snoozed_until = None
            if user.status is not UserStatus.ACTIVE:
                continue
            day = local_today(user, now)
            if await PlanRepository(session).get_for_date(user.id, day) is not None:
                continue
            visit = Visit(session=session, person=user, person_id=user.id, now=now)
            prompt = await morning_prompt(visit, day, on_demand=True)
            content = render_morning(translator_for(user.locale), prompt)
            ready.append(SnoozedPrompt(user_id=user.id, chat_id=user.chat_id, content=content))
    return ready
