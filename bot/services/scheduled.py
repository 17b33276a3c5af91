"""What the scheduler sends for a ledger row: the prompt, and the weekly recap on Sundays."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.services.insight import compose_weekly_recap
from bot.services.prompts import PromptContent, PromptKey, compose_prompts
from scheduler.clock import Clock
from storage.engine import Database


async def compose_scheduled_prompt(
    db: Database, clock: Clock, user_id: int, slot: str, local_date: date
) -> PromptContent | None:
    """The message for one scheduled prompt.

    The weekly recap rides along with the Sunday evening prompt (one message, so it follows
    every rule that prompt follows: not when paused, not on a gentle day, not when the person
    already reflected).

    Args:
        db: The database.
        clock: Source of the current time.
        user_id: ``users.id``.
        slot: ``"morning"`` or ``"evening"``.
        local_date: The person's local date the prompt belongs to.

    Returns:
        The message, or ``None`` when nothing should be sent.
    """
    [content] = await compose_scheduled_prompts(db, clock, [(user_id, slot, local_date)])
    return content


async def compose_scheduled_prompts(
    db: Database, clock: Clock, keys: Sequence[PromptKey]
) -> list[PromptContent | None]:
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
        await _with_recap(db, clock, key, prompt) if prompt is not None else None
        for key, prompt in zip(keys, prompts, strict=True)
    ]


async def _with_recap(
    db: Database, clock: Clock, key: PromptKey, prompt: PromptContent
) -> PromptContent:
    user_id, slot, local_date = key
    if slot != "evening":
        return prompt
    recap = await compose_weekly_recap(db, clock, user_id, local_date)
    if recap is None:
        return prompt
    return PromptContent(text=f"{recap.text}\n\n{prompt.text}", buttons=prompt.buttons)
