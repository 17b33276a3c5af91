"""The rhythm of practice as plain values: "a little most days", or one or two kindness days.

A kindness day gathers several small acts into one day of the week, with a short list to tick
off; research behind it: five acts on one day a week raised happiness over six weeks more
than the same five spread across the week (Lyubomirsky, Sheldon & Schkade 2005, Review of
General Psychology 9(2)). Stored as a weekday bit mask (bit ``n``: ``date.weekday() == n``),
0 meaning "a little most days". Pure; imports nothing of ours.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

__all__ = [
    "CHECKLIST_SIZE",
    "MAX_KINDNESS_DAYS",
    "MOST_DAYS",
    "is_kindness_day",
    "is_valid",
    "next_kindness_day",
    "toggled",
    "weekdays_of",
]

MOST_DAYS: Final = 0
"""The mask of "a little most days" (no kindness day)."""

MAX_KINDNESS_DAYS: Final = 2
"""At most this many kindness days a week, so each one stays a day that stands out."""

CHECKLIST_SIZE: Final = 4
"""Acts on a kindness day's list: several, as in the research, yet small enough to finish."""

_WEEK: Final = 7


def weekdays_of(mask: int) -> tuple[int, ...]:
    """The weekdays (0 Monday to 6 Sunday) of ``mask``, in order."""
    return tuple(day for day in range(_WEEK) if mask >> day & 1)


def is_valid(mask: int) -> bool:
    """True for a rhythm that may be saved: most days (0), or one or two weekdays."""
    return 0 <= mask < 1 << _WEEK and len(weekdays_of(mask)) <= MAX_KINDNESS_DAYS


def toggled(mask: int, weekday: int) -> int:
    """``mask`` with ``weekday`` chosen or unchosen (the result may have too many days)."""
    if not 0 <= weekday < _WEEK:
        raise ValueError(f"weekday {weekday} is not 0 to 6")
    return mask ^ 1 << weekday


def is_kindness_day(mask: int, day: date) -> bool:
    """Whether ``day`` is one of the kindness days of ``mask`` (never under most days)."""
    return bool(mask >> day.weekday() & 1)


def next_kindness_day(mask: int, after: date) -> date | None:
    """The first kindness day on or after ``after``, or ``None`` under most days."""
    if not mask:
        return None
    for offset in range(_WEEK):
        day = after + timedelta(days=offset)
        if is_kindness_day(mask, day):
            return day
    return None  # unreachable for a mask within 1..127
