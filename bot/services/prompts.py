"""What a scheduled prompt asks: the morning and evening prompts, composed for one person and day.

This is the contract with the scheduler: :func:`compose_prompts` takes the ledger rows it
claimed and returns, per row, the prompt as data (rendered by ``bot.outbox``), or ``None`` when
the row should be recorded as not needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kindness.offers import ADAPT_DAYS
from bot.kindness.rhythm import is_kindness_day
from bot.kindness.suggestions import RECENT_DAYS
from bot.services.daily_prompts import (
    ChecklistPrompt,
    EveningPrompt,
    MorningPrompt,
    checklist_from,
    evening_from,
    morning_from,
    open_quiet_step,
)
from bot.services.memories import Memory, recall, wants_memories
from bot.services.unit import Answer
from scheduler.clock import Clock
from scheduler.timing import is_paused
from storage.checklists import checklists_for
from storage.engine import Database
from storage.models import Checklist, User, UserStatus
from storage.pending import DAILY_STEPS, clear_step, pending_step
from storage.recent import History, load_histories, users_by_id

__all__ = [
    "PromptKey",
    "ScheduledPrompt",
    "compose_prompt",
    "compose_prompts",
]

PromptKey = tuple[int, str, date]
"""(``users.id``, slot, local date): one scheduled prompt."""

ScheduledPrompt = Answer[MorningPrompt | EveningPrompt | ChecklistPrompt]
"""A scheduled prompt as data, with the language to render it in."""


async def compose_prompts(
    db: Database, clock: Clock, keys: Sequence[PromptKey]
) -> list[ScheduledPrompt | None]:
    """Compose the scheduled prompts ``keys``, in one unit of work, in order.

    The morning prompt offers three acts (recorded, so later suggestions avoid them), or on
    a kindness day its list of acts to tick off (made once for the day); the evening prompt
    asks the first reflection question, adapted to whether anything was planned (or to the
    day's list, or on a quiet day only what kindness the person received or witnessed), and
    may bring back a memory from a month or a year before (marked shown; see
    :func:`bot.services.memories.choose`). Everything a batch needs is read in four queries,
    whatever its size, a fifth when it holds evenings that may have a memory, and a sixth
    when it holds people with kindness days: composing one prompt at a time cost eight
    statements each, and the dispatcher composes a batch per claim.

    Args:
        db: The database.
        clock: Source of the current time.
        keys: ``(users.id, "morning", "evening" or "snooze", local date)`` per prompt; a
            snooze is the morning ideas again ("Later").

    Returns:
        Per key, what to send, or ``None`` when nothing should be sent: the person is
        unknown, not active or paused, already chose (or passed on) an act that day before the
        morning prompt, already started that day's reflection (for example with /reflect), or
        wrote crisis language earlier that day (the evening stays quiet).

    Raises:
        ValueError: An unknown slot.
    """
    for _, slot, _ in keys:
        if slot not in {"morning", "evening", "snooze"}:
            raise ValueError(f"unknown slot {slot!r}")
    if not keys:
        return []
    now = clock.now()
    async with db.write() as session:
        users = await users_by_id(session, {k[0] for k in keys})
        promptable = {user_id for user_id, user in users.items() if _may_prompt(user, now)}
        first = min((day for user_id, _, day in keys if user_id in promptable), default=keys[0][2])
        histories = await load_histories(
            session, promptable, first=first, plan_days=RECENT_DAYS, done_days=ADAPT_DAYS
        )
        # Only evenings that will be sent look back: a memory chosen counts as shown. A key
        # composed again (a retried send) brings the same memory, never a second one.
        evenings = [
            (user_id, day)
            for user_id, slot, day in keys
            if slot == "evening"
            and user_id in promptable
            and day not in histories[user_id].reflections
            and wants_memories(users[user_id], now)
        ]
        memories = await recall(session, evenings, again_tonight=True)
        checklists = await checklists_for(
            session,
            {
                (user_id, day)
                for user_id, _, day in keys
                if user_id in promptable and users[user_id].kindness_days
            },
        )
        return [
            _compose(
                session,
                users[user_id],
                user_id,
                histories[user_id],
                slot,
                day,
                now,
                memories.get((user_id, day)),
                checklists,
            )
            if user_id in promptable
            else None
            for user_id, slot, day in keys
        ]


async def compose_prompt(
    db: Database, clock: Clock, user_id: int, slot: str, local_date: date
) -> ScheduledPrompt | None:
    """Compose one scheduled prompt; see :func:`compose_prompts`."""
    [prompt] = await compose_prompts(db, clock, [(user_id, slot, local_date)])
    return prompt


def _may_prompt(user: User, now: datetime) -> bool:
    return user.status is UserStatus.ACTIVE and not is_paused(user.paused_until, now)


def _compose(
    session: AsyncSession,
    user: User,
    user_id: int,
    history: History,
    slot: str,
    day: date,
    now: datetime,
    memory: Memory | None,
    checklists: dict[tuple[int, date], Checklist],
) -> ScheduledPrompt | None:
    prompt: MorningPrompt | EveningPrompt | ChecklistPrompt
    checklist = checklists.get((user_id, day))
    if slot in {"morning", "snooze"}:
        if day in history.plans:
            return None  # chose an act, or passed on the day, before this came
        if is_kindness_day(user.kindness_days, day):
            if checklist is not None and checklist.ticked:
                return None  # already ticking the day's list off (opened with /today)
            prompt, new = checklist_from(
                user, user_id, history, day, now, checklist, on_demand=slot == "snooze"
            )
            if new is not None:
                session.add(new)
                checklists[(user_id, day)] = new  # a second key of that day reuses it
        else:
            # "Later" brings the ideas back as if asked for (/today), not as the first nudge.
            prompt = morning_from(user, user_id, history, day, now, on_demand=slot == "snooze")
    else:
        if day in history.reflections:
            return None
        if user.gentle_until is not None and now < user.gentle_until:
            return None  # crisis language earlier today: no evening nudge
        prompt = evening_from(
            history.plans.get(day), user, user_id, day, memory=memory, checklist=checklist
        )
    # A new prompt supersedes a daily free-text step left open (yesterday's note, say), so the
    # next line the person types answers the prompt, not the old question.
    open_ = pending_step(user)
    if open_ is not None and open_.step in DAILY_STEPS:
        clear_step(user)
    if isinstance(prompt, EveningPrompt):
        open_quiet_step(user, prompt)
    return Answer(result=prompt, language=user.locale)
