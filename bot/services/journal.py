"""Use cases of /journal: a person's days of acts and reflections, newest first, paged.

Pages continue from a date carried by the button (older than it, or newer than it), so a
button works after a restart, days later, or after new entries were added. The service reads
the days a page may show; ``bot.ui.journal`` decides how many of them fit in one message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from typing import Final

from bot.services.unit import Answer, Visit, visit
from scheduler.clock import Clock
from storage.checklists import checklists_for, ticked_count
from storage.engine import Database
from storage.history import acts_on, journal_dates, reflections_on
from storage.models import Checklist, Reflection

__all__ = [
    "DAYS_PER_PAGE",
    "Direction",
    "JournalAct",
    "JournalDay",
    "JournalNote",
    "JournalPage",
    "Result",
    "journal",
    "turn_page",
]

DAYS_PER_PAGE: Final = 7
"""At most this many days on one page (fewer when long entries fill it first)."""


class Direction(StrEnum):
    """Which way a page button turns; the value is the button's argument."""

    OLDER = "o"
    NEWER = "n"


@dataclass(frozen=True)
class JournalAct:
    """One logged act, as written."""

    text: str
    note: str | None = None


@dataclass(frozen=True)
class JournalDay:
    """One local day of the journal: its acts in the order done, then the evening."""

    day: date
    acts: Sequence[JournalAct] = field(default_factory=tuple)
    feeling: int | None = None
    received: str | None = None
    # A kindness day: (acts ticked off, acts on its list); None for any other day.
    kindness_day: tuple[int, int] | None = None


class JournalNote(Enum):
    """A journal answer with no days in it."""

    EMPTY = "empty"  # nothing logged yet: how to start
    NOTHING_MORE = "nothing_more"  # a page button past the end (entries erased, a forged date)
    OUT_OF_DATE = "out_of_date"  # a page button whose argument is not a direction


@dataclass(frozen=True)
class JournalPage:
    """The days a page may show, and where the whole journal begins and ends.

    Attributes:
        days: Up to :data:`DAYS_PER_PAGE` days, nearest the cursor first (newest first for the
            first page and older pages, oldest first for newer pages). The renderer shows as
            many of them, from the first, as fit in one message.
        latest: The newest day of the whole journal (a "newer" button when it is not shown).
        earliest: The oldest day of the whole journal (an "older" button likewise).
    """

    days: tuple[JournalDay, ...]
    latest: date
    earliest: date


Result = JournalPage | JournalNote
"""Everything a journal use case can answer with."""

_DIRECTIONS: Final = {direction.value: direction for direction in Direction}


def _has_content(reflection: Reflection) -> bool:
    return reflection.feeling is not None or bool(reflection.received)


def _counts(checklist: Checklist | None) -> tuple[int, int] | None:
    if checklist is None:
        return None
    return ticked_count(checklist), len(checklist.act_ids)


async def _entries(v: Visit, days: list[date]) -> tuple[JournalDay, ...]:
    """The journal days for ``days`` (in that order)."""
    by_day: dict[date, list[JournalAct]] = defaultdict(list)
    for act in await acts_on(v.session, user_id=v.person_id, days=days):
        by_day[act.local_date].append(JournalAct(text=act.text, note=act.note))
    reflections = await reflections_on(v.session, user_id=v.person_id, days=days)
    evening = {r.local_date: r for r in reflections if _has_content(r)}
    lists = await checklists_for(v.session, [(v.person_id, day) for day in days])
    return tuple(
        JournalDay(
            day=day,
            acts=tuple(by_day.get(day, ())),
            feeling=evening[day].feeling if day in evening else None,
            received=evening[day].received if day in evening else None,
            kindness_day=_counts(lists.get((v.person_id, day))),
        )
        for day in days
    )


async def _page(v: Visit, cursor: date | None, direction: Direction) -> Result:
    """The page after ``cursor`` in ``direction`` (the newest page when ``cursor`` is None)."""
    every_day = await journal_dates(v.session, user_id=v.person_id)
    if not every_day:
        return JournalNote.EMPTY
    if cursor is None:
        candidates = every_day
    elif direction is Direction.NEWER:
        # The days just after the cursor, nearest first (the renderer shows them newest first).
        candidates = sorted(d for d in every_day if d > cursor)
    else:
        candidates = [d for d in every_day if d < cursor]
    if not candidates:
        return JournalNote.NOTHING_MORE
    days = await _entries(v, candidates[:DAYS_PER_PAGE])
    return JournalPage(days=days, latest=every_day[0], earliest=every_day[-1])


async def journal(db: Database, clock: Clock, telegram_user_id: int) -> Answer[Result] | None:
    """/journal: the newest page.

    Args:
        db: The database.
        clock: The injected clock.
        telegram_user_id: Who asked.

    Returns:
        The newest days (or :attr:`JournalNote.EMPTY`), ``None`` for someone who never pressed
        /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        return v.answer(await _page(v, None, Direction.OLDER))


async def turn_page(
    db: Database, clock: Clock, telegram_user_id: int, cursor: date | None, arg: str
) -> Answer[Result] | None:
    """A ◀ / ▶ button: the page older or newer than the date it carries.

    Only the presser's own journal is ever read, whatever date the button names.

    Args:
        db: The database.
        clock: The injected clock.
        telegram_user_id: Who pressed.
        cursor: The date the button carries (the oldest or newest day of the page it was on).
        arg: The button's argument, a :class:`Direction` value.

    Returns:
        The page; :attr:`JournalNote.OUT_OF_DATE` for a malformed button; ``None`` for someone
        who never pressed /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        direction = _DIRECTIONS.get(arg)
        if cursor is None or direction is None:
            return v.answer(JournalNote.OUT_OF_DATE)
        return v.answer(await _page(v, cursor, direction))
