"""Use cases of /week and the weekly recap: gentle counts, feelings in plain words, a chart.

The results are data (``bot.ui.insight`` renders them). This module is also a contract with
the scheduler: :func:`compose_weekly_recap` composes the recap that goes with a Sunday evening
prompt (or ``None`` when there is none to send), and ``bot.outbox`` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Final

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kindness.insight import (
    FEELING_WINDOW_DAYS,
    KindnessDay,
    WeekFacts,
    last_days,
    week_facts,
)
from bot.kindness.rhythm import next_kindness_day
from bot.services.unit import Answer, visit
from scheduler.clock import Clock
from scheduler.timing import is_paused
from storage.checklists import checklists_between, ticked_count
from storage.engine import Database
from storage.history import acts_per_day, reflections_between
from storage.models import UserStatus
from storage.repositories import UserRepository

__all__ = [
    "RecapRefusal",
    "RecapSwitched",
    "WeekRecap",
    "WeekResult",
    "compose_weekly_recap",
    "press_recap",
    "week",
]

SUNDAY: Final = 6
_SWITCH: Final = {"1": True, "0": False}


@dataclass(frozen=True)
class WeekResult:
    """/week: the facts to tell, the last 7 days to chart, and the recap switch.

    Attributes:
        facts: This week and month, kind days this year, how feelings moved.
        days: The last 7 local dates, oldest first (the chart's x axis).
        acts: Acts logged on each of ``days``.
        feelings: The feeling (1-5) of each of ``days``, ``None`` where none was shared.
        recap_on: Whether the Sunday evening recap is on (which switch to offer).
    """

    facts: WeekFacts
    days: tuple[date, ...]
    acts: tuple[int, ...]
    feelings: tuple[int | None, ...]
    recap_on: bool


@dataclass(frozen=True)
class RecapSwitched:
    """The recap switch was pressed: its new state, and the facts to redraw /week with."""

    enabled: bool
    facts: WeekFacts


class RecapRefusal(Enum):
    """A recap switch that cannot be honoured."""

    OUT_OF_DATE = "out_of_date"  # an argument other than 0 or 1 (a forged or old button)


@dataclass(frozen=True)
class WeekRecap:
    """The weekly recap beside a Sunday evening prompt (recap on, by definition)."""

    facts: WeekFacts


@dataclass(frozen=True)
class _History:
    acts_per_day: dict[date, int]
    feelings: dict[date, int]
    received: list[date]
    lists: list[KindnessDay]
    next_kindness_day: date | None


async def _history(
    session: AsyncSession, user_id: int, today: date, kindness_days: int
) -> _History:
    """Acts per day, feelings, days with kindness received (as far back as insight looks),
    and this week's kindness days.
    """
    feeling_since = today - timedelta(days=FEELING_WINDOW_DAYS)
    since = min(today.replace(month=1, day=1), feeling_since)
    counts = await acts_per_day(session, user_id=user_id, since=since, until=today)
    reflections = await reflections_between(
        session, user_id=user_id, since=feeling_since, until=today
    )
    feelings: dict[date, int] = {}
    received: list[date] = []
    for reflection in reflections:
        if reflection.feeling is not None:
            feelings[reflection.local_date] = reflection.feeling
        if reflection.received and reflection.received.strip():
            received.append(reflection.local_date)
    # Lists stay this week's even after the rhythm went back to most days: they happened.
    week_start = today - timedelta(days=today.weekday())
    checklists = await checklists_between(session, user_id=user_id, since=week_start, until=today)
    lists = [KindnessDay(day, ticked_count(c), len(c.act_ids)) for day, c in checklists.items()]
    return _History(
        acts_per_day=counts,
        feelings=feelings,
        received=received,
        lists=lists,
        next_kindness_day=next_kindness_day(kindness_days, today),
    )


def _facts(history: _History, today: date) -> WeekFacts:
    return week_facts(
        today,
        history.acts_per_day,
        history.feelings,
        history.received,
        history.lists,
        history.next_kindness_day,
    )


async def week(db: Database, clock: Clock, telegram_user_id: int) -> Answer[WeekResult] | None:
    """/week: this week and month, kind days this year, feelings, and the last 7 days' chart.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who asked.

    Returns:
        What to show, or ``None`` for someone who never pressed /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        today = v.today
        history = await _history(v.session, v.person_id, today, v.person.kindness_days)
        days = last_days(today)
        return v.answer(
            WeekResult(
                facts=_facts(history, today),
                days=tuple(days),
                acts=tuple(history.acts_per_day.get(day, 0) for day in days),
                feelings=tuple(history.feelings.get(day) for day in days),
                recap_on=v.person.weekly_recap,
            )
        )


async def press_recap(
    db: Database, clock: Clock, telegram_user_id: int, day: date | None, arg: str
) -> Answer[RecapSwitched | RecapRefusal] | None:
    """The weekly recap switch on /week (and on the recap itself): on with ``1``, off with ``0``.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who pressed; only their own setting changes.
        day: The date the button carries (the switch carries none; it is not needed).
        arg: ``"1"`` (recap on) or ``"0"`` (off).

    Returns:
        The new state with this week's facts, :attr:`RecapRefusal.OUT_OF_DATE` for any other
        argument, or ``None`` for someone who never pressed /start.
    """
    del day  # the switch is the same whichever day it was pressed on
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        enabled = _SWITCH.get(arg)
        if enabled is None:
            return v.answer(RecapRefusal.OUT_OF_DATE)
        if v.person.weekly_recap != enabled:
            v.person.weekly_recap = enabled
            v.person.updated_at = v.now
        today = v.today
        history = await _history(v.session, v.person_id, today, v.person.kindness_days)
        return v.answer(RecapSwitched(enabled=enabled, facts=_facts(history, today)))


async def compose_weekly_recap(
    db: Database, clock: Clock, user_id: int, local_date: date
) -> Answer[WeekRecap] | None:
    """The weekly recap to send beside the Sunday evening prompt of ``local_date``.

    Args:
        db: The database.
        clock: Source of the current time (unused beyond pauses: the recap is counted as of
            ``local_date``).
        user_id: ``users.id``.
        local_date: The local date of the evening prompt being sent.

    Returns:
        The recap's facts in the person's language, or ``None`` when there is none to send:
        not a Sunday, the person is unknown, not active, paused, or switched the recap off.
    """
    if local_date.weekday() != SUNDAY:
        return None
    async with db.session() as session:
        user = await UserRepository(session).get(user_id)
        if user is None or user.status is not UserStatus.ACTIVE or not user.weekly_recap:
            return None
        if is_paused(user.paused_until, clock.now()):
            return None
        history = await _history(session, user_id, local_date, user.kindness_days)
    return Answer(result=WeekRecap(facts=_facts(history, local_date)), language=user.locale)
