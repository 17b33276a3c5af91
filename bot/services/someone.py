"""Choosing a person to encourage today: Telegram's contact picker, then ideas for a message.

Privacy by construction: the person shared through the picker reaches the conversation layer
only. These use cases never see their id or name, so nothing about them can be stored; a plan
made from here reads "a message to someone you chose" (in the person's language).

The picker's ``request_id`` is the local date's ordinal, so a share from another day's picker
is recognised as out of date rather than mistaken for today's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final

from bot.i18n import translator_for
from bot.kindness.catalog import Act, Category, Effort, Social, default_catalog
from bot.kindness.suggestions import seed_for
from bot.services.daily import PlanShown, Refusal, set_plan
from bot.services.unit import Answer, Press, visit
from scheduler.clock import Clock
from storage.engine import Database

__all__ = [
    "IDEAS",
    "Ideas",
    "WhoToday",
    "ask",
    "commit",
    "ideas_for",
    "request_id_for",
]

IDEAS: Final = 3
"""Acts suggested for a message to the chosen person."""

_MESSAGE_KINDS: Final = frozenset({Category.REACH_OUT, Category.GRATITUDE, Category.LISTENING})


@dataclass(frozen=True)
class WhoToday:
    """Ask who: the contact picker for ``day``."""

    day: date

    @property
    def request_id(self) -> int:
        """The picker's ``request_id`` (see the module docstring)."""
        return request_id_for(self.day)


@dataclass(frozen=True)
class Ideas:
    """A few acts that fit a message to the person just chosen, for ``day``."""

    day: date
    acts: tuple[Act, ...]


def request_id_for(day: date) -> int:
    """The ``KeyboardButtonRequestUsers.request_id`` of the picker shown on ``day``."""
    return day.toordinal()


@lru_cache(maxsize=1)
def _message_acts() -> tuple[Act, ...]:
    """Catalog acts that are one quick message to someone else (not yourself)."""
    return tuple(
        act
        for act in default_catalog().acts
        if act.social is Social.REMOTE
        and act.effort is Effort.MINUTE
        and act.category in _MESSAGE_KINDS
    )


async def ask(db: Database, clock: Clock, press: Press) -> Answer[WhoToday | Refusal] | None:
    """ "Choose someone" under the morning prompt: show the contact picker (today only)."""
    async with visit(db, clock, press.telegram_user_id) as v:
        if v is None:
            return None
        if press.day != v.today:
            return v.answer(Refusal.OUT_OF_DATE)
        return v.answer(WhoToday(day=v.today))


async def ideas_for(
    db: Database, clock: Clock, telegram_user_id: int, request_id: int
) -> Answer[Ideas | Refusal] | None:
    """Someone was chosen in today's picker: a few acts that fit a message to them.

    Returns:
        The ideas; ``Refusal.OUT_OF_DATE`` for another day's picker or one Kindling never
        showed; ``None`` for someone who never pressed /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        if request_id != request_id_for(v.today):
            return v.answer(Refusal.OUT_OF_DATE)
        pool = list(_message_acts())
        chosen = random.Random(seed_for("someone", v.person_id, v.today)).sample(pool, IDEAS)
        return v.answer(Ideas(day=v.today, acts=tuple(chosen)))


async def commit(db: Database, clock: Clock, press: Press) -> Answer[PlanShown | Refusal] | None:
    """ "I'll write to them today": today's plan is a message to someone the person chose."""
    async with visit(db, clock, press.telegram_user_id) as v:
        if v is None:
            return None
        if press.day != v.today:
            return v.answer(Refusal.OUT_OF_DATE)
        t = translator_for(v.person.locale)
        # What the plan keeps, in the person's language: never who it was.
        act_text = t("A message to someone you chose")
        plan = await set_plan(v, v.today, None, act_text)
        return v.answer(Refusal.ALREADY_SAVED if plan is None else plan)
