"""Gentle, streak-free insight from plain values: counts that never reset, and how feelings
moved on days with and without an act. Pure; imports nothing of ours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

__all__ = [
    "FEELING_WINDOW_DAYS",
    "FeelingMove",
    "KindnessDay",
    "WeekFacts",
    "compare_feelings",
    "last_days",
    "week_facts",
]

FEELING_WINDOW_DAYS: Final = 28
"""Feelings are compared over this many days, today included."""

MIN_DAYS_PER_SIDE: Final = 2
"""Fewer feelings than this on either side and nothing is said about how they moved."""

CLEAR_DIFFERENCE: Final = 0.5
"""A gap in average feeling (1-5 scale) smaller than this reads as "about the same"."""


class FeelingMove(StrEnum):
    """How feelings on days with an act compare with days without one."""

    NOT_ENOUGH = "not_enough"
    BRIGHTER = "brighter"
    SAME = "same"
    LOWER = "lower"


@dataclass(frozen=True)
class KindnessDay:
    """A kindness day's list: its date, how many acts were ticked off, and how many it had."""

    day: date
    ticked: int
    listed: int


@dataclass(frozen=True)
class WeekFacts:
    """What /week and the weekly recap say.

    Attributes:
        acts_this_week: Acts logged from Monday to ``today``.
        acts_this_month: Acts logged from the 1st of the month to ``today``.
        received_this_week: Reflections this week that named kindness received or witnessed.
        kind_days_this_year: Days this calendar year with at least one act (never resets).
        move: How feelings moved on days with and without an act.
        average_with: Average feeling on days with an act (when ``move`` says something).
        average_without: Average feeling on days without one.
        kindness_days: Under kindness days, this week's lists so far (by date).
        next_kindness_day: Under kindness days, the next one from today on (today included)
            when this week has had no list yet; ``None`` otherwise.
    """

    acts_this_week: int
    acts_this_month: int
    received_this_week: int
    kind_days_this_year: int
    move: FeelingMove
    average_with: float | None = None
    average_without: float | None = None
    kindness_days: tuple[KindnessDay, ...] = ()
    next_kindness_day: date | None = None


def compare_feelings(
    feelings: Mapping[date, int], act_days: Iterable[date]
) -> tuple[FeelingMove, float | None, float | None]:
    """Compare the average feeling on days with an act against days without one.

    Args:
        feelings: The 1-5 feeling by local date (days without an answer are absent).
        act_days: Local dates with at least one act.

    Returns:
        ``(move, average with, average without)``; the averages are ``None`` when there are
        too few days on either side to say anything.
    """
    kind = set(act_days)
    with_act = [value for day, value in feelings.items() if day in kind]
    without = [value for day, value in feelings.items() if day not in kind]
    if len(with_act) < MIN_DAYS_PER_SIDE or len(without) < MIN_DAYS_PER_SIDE:
        return FeelingMove.NOT_ENOUGH, None, None
    average_with = sum(with_act) / len(with_act)
    average_without = sum(without) / len(without)
    gap = average_with - average_without
    if gap >= CLEAR_DIFFERENCE:
        move = FeelingMove.BRIGHTER
    elif gap <= -CLEAR_DIFFERENCE:
        move = FeelingMove.LOWER
    else:
        move = FeelingMove.SAME
    return move, average_with, average_without


def week_facts(
    today: date,
    acts_per_day: Mapping[date, int],
    feelings: Mapping[date, int],
    received_days: Iterable[date],
    lists: Iterable[KindnessDay] = (),
    next_kindness_day: date | None = None,
) -> WeekFacts:
    """Summarise a person's history as of their local ``today``.

    Args:
        today: The person's local date.
        acts_per_day: Number of acts by local date (any range; later dates are ignored).
        feelings: The 1-5 feeling by local date.
        received_days: Local dates whose reflection named kindness received or witnessed.
        lists: Kindness days' lists (any range; only this week's are kept).
        next_kindness_day: The next kindness day from today on, under kindness days.

    Returns:
        The facts, counted in the person's calendar (weeks start on Monday).
    """
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    year_start = today.replace(month=1, day=1)
    window_start = today - timedelta(days=FEELING_WINDOW_DAYS - 1)

    def within(start: date, day: date) -> bool:
        return start <= day <= today

    this_week = tuple(sorted((k for k in lists if within(week_start, k.day)), key=_by_day))
    move, average_with, average_without = compare_feelings(
        {day: value for day, value in feelings.items() if within(window_start, day)},
        [day for day, n in acts_per_day.items() if n > 0 and within(window_start, day)],
    )
    return WeekFacts(
        acts_this_week=sum(n for day, n in acts_per_day.items() if within(week_start, day)),
        acts_this_month=sum(n for day, n in acts_per_day.items() if within(month_start, day)),
        received_this_week=len({day for day in received_days if within(week_start, day)}),
        kind_days_this_year=sum(
            1 for day, n in acts_per_day.items() if n > 0 and within(year_start, day)
        ),
        move=move,
        average_with=average_with,
        average_without=average_without,
        kindness_days=this_week,
        next_kindness_day=None if this_week else next_kindness_day,
    )


def _by_day(kindness_day: KindnessDay) -> date:
    return kindness_day.day


def last_days(today: date, count: int = 7) -> list[date]:
    """The ``count`` local dates ending with ``today``, oldest first."""
    return [today - timedelta(days=offset) for offset in range(count - 1, -1, -1)]
