"""What the scheduler sends: the services compose each prompt as data, ``bot.ui`` renders it.

The dispatcher (``scheduler.delivery``) calls :func:`compose_messages` with the ledger rows it
claimed; this is the one place where scheduled prompts meet the translator, as a handler is
for a reply. The weekly recap rides along with the Sunday evening prompt (one message, so it
follows every rule that prompt follows: not when paused, not on a gentle day, not when the
person already reflected).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.i18n import translator_for
from bot.services.daily_prompts import ChecklistPrompt, MorningPrompt
from bot.services.insight import compose_weekly_recap
from bot.services.prompts import PromptKey, ScheduledPrompt, compose_prompts
from bot.ui.daily import render_evening, render_morning
from bot.ui.insight import render_recap
from bot.ui.rhythm import render_checklist
from bot.ui.screens import Screen
from scheduler.clock import Clock
from storage.engine import Database

__all__ = [
    "compose_message",
    "compose_messages",
    "render_prompt",
    "weekly_recap",
]


def render_prompt(prompt: ScheduledPrompt) -> Screen:
    """A scheduled prompt in the person's language."""
    t = translator_for(prompt.language)
    if isinstance(prompt.result, MorningPrompt):
        return render_morning(t, prompt.result)
    if isinstance(prompt.result, ChecklistPrompt):
        return render_checklist(t, prompt.result)
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
    recap = await weekly_recap(db, clock, user_id, local_date)
    if recap is None:
        return message
    return Screen(text=f"{recap.text}\n\n{message.text}", buttons=message.buttons)


async def weekly_recap(
    db: Database, clock: Clock, user_id: int, local_date: date
) -> Screen | None:
    """The weekly recap for the Sunday evening prompt of ``local_date``, rendered (or ``None``).

    See :func:`bot.services.insight.compose_weekly_recap`.
    """
    recap = await compose_weekly_recap(db, clock, user_id, local_date)
    if recap is None:
        return None
    return render_recap(translator_for(recap.language), recap.result)
