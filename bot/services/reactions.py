"""Logging today's act with a reaction on the message that shows it, and taking it back.

The message showing "Today's act: ..." is remembered on the day's plan when it is shown
(:func:`plan_shown_in`). Any reaction on that message logs the act like Done; taking every
reaction back the same day undoes that log (never one made with Done). A reaction anywhere
else (an older day's message, another message, a person who never pressed /start) finds no
plan and changes nothing, so it gets no answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.services.daily import log_plan
from bot.services.unit import Answer, visit
from scheduler.clock import Clock
from storage.engine import Database
from storage.models import PlanStatus
from storage.repositories import ActRepository, PlanRepository, plan_of

__all__ = ["Reacted", "Reaction", "plan_shown_in", "reacted"]


class Reaction(Enum):
    """What a reaction did to today's act."""

    LOGGED = "logged"
    UNDONE = "undone"


@dataclass(frozen=True)
class Reacted:
    """A reaction changed today's log.

    Attributes:
        reaction: Logged, or undone.
        message_id: The message reacted on (the bot answers with its own reaction there).
    """

    reaction: Reaction
    message_id: int


async def plan_shown_in(
    db: Database, clock: Clock, telegram_user_id: int, plan_id: int, message_id: int
) -> None:
    """Remember that the person's plan ``plan_id`` is shown in ``message_id`` (the latest)."""
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return
        plan = await plan_of(v.session, user_id=v.person_id, plan_id=plan_id)
        if plan is not None:
            plan.message_id = message_id


async def reacted(
    db: Database, clock: Clock, telegram_user_id: int, message_id: int, *, reacting: bool
) -> Answer[Reacted] | None:
    """The person's reactions on ``message_id`` changed; ``reacting``: some are left.

    Returns:
        What changed, or ``None`` when nothing did: not today's act message, already logged
        (several reactions, or one changed for another), logged with Done, or unknown person.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        plan = await PlanRepository(v.session).get_for_date(v.person_id, v.today)
        if plan is None or plan.message_id != message_id:
            return None
        if reacting and plan.status is PlanStatus.PLANNED:
            logged = await log_plan(v, plan, ask_note=False)
            plan.reaction_log_id = logged.act_done_id
            return v.answer(Reacted(Reaction.LOGGED, message_id))
        if reacting or plan.status is not PlanStatus.DONE or plan.reaction_log_id is None:
            return None
        repo = ActRepository(v.session)
        act = await repo.get_of(v.person_id, plan.reaction_log_id)
        if act is not None:
            await repo.remove(act)
        plan.status = PlanStatus.PLANNED
        plan.reaction_log_id = None
        plan.updated_at = v.now
        return v.answer(Reacted(Reaction.UNDONE, message_id))
