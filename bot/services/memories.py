"""Remembering: a gentle memory from a month or a year before, added to the evening prompt.

On an evening that has one, the evening prompt may bring back what the person wrote exactly
:data:`YEAR` or :data:`MONTH` days before: kindness they received or witnessed, or an act they
logged. Never on a gentle day (crisis language earlier that day), never when the person
switched memories off in /settings, and never the same words on two different evenings.
Used by the scheduled evening prompt (``bot.services.prompts``, for a whole batch at once) and
by /reflect (``bot.services.daily_prompts``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.memories import MemorySource, WrittenWords, mark_remembered, words_on
from storage.models import User

__all__ = [
    "AGES",
    "MONTH",
    "YEAR",
    "Memory",
    "choose",
    "recall",
    "wants_memories",
]

YEAR: Final = 365
"""Days before the evening a year-ago memory was written."""
MONTH: Final = 30
"""Days before the evening a month-ago memory was written."""
AGES: Final = (YEAR, MONTH)
"""The ages a memory can have, the preferred one first."""


@dataclass(frozen=True)
class Memory:
    """Words the person wrote a month or a year before, shown back in the evening.

    Attributes:
        words: What they wrote, as stored (``bot.ui`` escapes and shortens it).
        noticed: Kindness they received or witnessed; ``False`` for an act they logged.
        days_ago: :data:`YEAR` or :data:`MONTH`.
    """

    words: str
    noticed: bool
    days_ago: int


def wants_memories(person: User, now: datetime) -> bool:
    """Whether the evening prompt composed at ``now`` may bring ``person`` a memory.

    Not when they switched memories off, and not on a gentle day: after crisis language
    (``gentle_until`` still ahead) nothing looks back.
    """
    if not person.memories:
        return False
    return person.gentle_until is None or now >= person.gentle_until


def choose(
    written: Iterable[WrittenWords], evening: date, *, again_tonight: bool
) -> WrittenWords | None:
    """The one memory for the evening of ``evening``, from the person's rows of that evening.

    The rule, deterministic for the same rows:

    1. Only words written exactly :data:`YEAR` or :data:`MONTH` days before ``evening``, and
       not only whitespace.
    2. Words already shown on another evening never come back.
    3. Words already shown on this same evening come back only with ``again_tonight`` (the
       scheduled prompt composed again: a retried send); otherwise (/reflect) that evening
       has had its memory and gets none, so an evening never shows two.
    4. Otherwise a year ago before a month ago; on the same day, the kindness received or
       witnessed before the acts logged, and acts in the order they were done.

    Args:
        written: Rows of one person (:func:`storage.memories.words_on`).
        evening: The local date of the evening prompt.
        again_tonight: Whether a memory already shown on ``evening`` may be shown again.

    Returns:
        The row to show, or ``None``.
    """
    days = {evening - timedelta(days=age): age for age in AGES}
    rows = [w for w in written if w.local_date in days and w.words.strip()]
    tonight = [w for w in rows if w.remembered_on == evening]
    if tonight:
        return _first(tonight, days) if again_tonight else None
    fresh = [w for w in rows if w.remembered_on is None]
    return _first(fresh, days) if fresh else None


def _first(rows: list[WrittenWords], days: Mapping[date, int]) -> WrittenWords:
    def rank(w: WrittenWords) -> tuple[int, int, datetime, int]:
        received = 0 if w.source is MemorySource.RECEIVED else 1
        return (AGES.index(days[w.local_date]), received, w.written_at, w.row_id)

    return min(rows, key=rank)


async def recall(
    session: AsyncSession, evenings: Collection[tuple[int, date]], *, again_tonight: bool
) -> dict[tuple[int, date], Memory]:
    """Choose the memory of each evening and mark it shown, in one read (and at most one
    write per table) whatever the number of evenings.

    Call it only for evenings about to be composed for sending, and only for people who
    :func:`wants_memories`: a memory chosen here counts as shown on that evening.

    Args:
        session: The caller's unit of work.
        evenings: ``(users.id, local date of the evening)`` pairs.
        again_tonight: See :func:`choose` (``True`` for the scheduled prompt).

    Returns:
        The memory per evening that has one.
    """
    if not evenings:
        return {}
    wanted = set(evenings)
    nights = {day for _, day in wanted}
    written = await words_on(
        session,
        user_ids={user_id for user_id, _ in wanted},
        days={day - timedelta(days=age) for day in nights for age in AGES},
        shown_on=nights,
    )
    by_person: dict[int, list[WrittenWords]] = {}
    for found in written:
        by_person.setdefault(found.user_id, []).append(found)
    chosen: dict[tuple[int, date], Memory] = {}
    marks: list[tuple[MemorySource, int, date]] = []
    used: set[tuple[MemorySource, int]] = set()
    for user_id, day in sorted(wanted):
        theirs = [r for r in by_person.get(user_id, ()) if (r.source, r.row_id) not in used]
        row = choose(theirs, day, again_tonight=again_tonight)
        if row is None:
            continue
        used.add((row.source, row.row_id))  # two evenings of one batch never share one
        if row.remembered_on != day:
            marks.append((row.source, row.row_id, day))
        chosen[(user_id, day)] = Memory(
            words=row.words,
            noticed=row.source is MemorySource.RECEIVED,
            days_ago=(day - row.local_date).days,
        )
    await mark_remembered(session, marks)
    return chosen
