"""What a person wrote on given days, read back as possible evening memories, and marked once
shown.

A memory is the kindness someone received or witnessed (``reflections.received``) or an act
they logged (``acts_done.text``). Both tables are read in one ``UNION ALL`` for a whole batch of
people, and marked with at most one statement per table, so the prompt composer's batch stays a
few statements whatever its size. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Table, bindparam, literal, or_, select, union_all, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ActDone, Reflection

__all__ = ["MemorySource", "WrittenWords", "mark_remembered", "words_on"]

_REFLECTIONS: Final[Table] = Reflection.__table__  # type: ignore[attr-defined]
_ACTS: Final[Table] = ActDone.__table__  # type: ignore[attr-defined]


class MemorySource(StrEnum):
    """Where a memory's words come from."""

    RECEIVED = "received"  # the evening's "what kindness did you receive or witness?"
    ACT = "act"  # an act of kindness the person logged


@dataclass(frozen=True)
class WrittenWords:
    """Words a person wrote on one local day that were never shown back (or only on one of
    the dates the caller asked about).

    Attributes:
        source: Which table they are in.
        row_id: The row's primary key (in that table).
        user_id: ``users.id``.
        local_date: The local day they belong to.
        words: What the person wrote (never empty).
        remembered_on: The local date they were shown back as a memory, if ever.
        written_at: When the row was written (orders a day's acts).
    """

    source: MemorySource
    row_id: int
    user_id: int
    local_date: date
    words: str
    remembered_on: date | None
    written_at: datetime


def _table(source: MemorySource) -> Table:
    return _REFLECTIONS if source is MemorySource.RECEIVED else _ACTS


async def words_on(
    session: AsyncSession,
    *,
    user_ids: Collection[int],
    days: Collection[date],
    shown_on: Collection[date],
) -> list[WrittenWords]:
    """The received kindness and the logged acts of ``user_ids`` on ``days``, in one query.

    Only rows with words are read, and only those never shown back or shown back on one of
    ``shown_on``. The query spans every combination of people and days; callers keep the
    pairs they asked about.

    Args:
        session: The caller's unit of work.
        user_ids: ``users.id`` values.
        days: Local dates the words belong to.
        shown_on: Local dates on which rows already shown back still count.

    Returns:
        The rows, in no particular order.
    """
    if not user_ids or not days:
        return []
    people, dates, shown = list(set(user_ids)), list(set(days)), list(set(shown_on))

    def where(table: Table, words: Any) -> list[Any]:
        return [
            table.c.user_id.in_(people),
            table.c.local_date.in_(dates),
            words.is_not(None),
            words != "",
            or_(table.c.remembered_on.is_(None), table.c.remembered_on.in_(shown)),
        ]

    r, a = _REFLECTIONS, _ACTS
    received = select(
        literal(MemorySource.RECEIVED.value).label("source"),
        r.c.id,
        r.c.user_id,
        r.c.local_date,
        r.c.received.label("words"),
        r.c.remembered_on,
        r.c.created_at.label("written_at"),
    ).where(*where(r, r.c.received))
    acts = select(
        literal(MemorySource.ACT.value),
        a.c.id,
        a.c.user_id,
        a.c.local_date,
        a.c.text,
        a.c.remembered_on,
        a.c.done_at,
    ).where(*where(a, a.c.text))
    # Core on the session's connection: one round trip for both tables, same transaction.
    connection = await session.connection()
    result = await connection.execute(union_all(received, acts))
    return [
        WrittenWords(
            source=MemorySource(source),
            row_id=row_id,
            user_id=user_id,
            local_date=local_date,
            words=words,
            remembered_on=remembered_on,
            written_at=written_at,
        )
        for source, row_id, user_id, local_date, words, remembered_on, written_at in result
    ]


async def mark_remembered(
    session: AsyncSession, marks: Iterable[tuple[MemorySource, int, date]]
) -> None:
    """Record that these rows were shown back, so none comes back on another day.

    At most one statement per table, whatever the number of rows (an ``executemany``).

    Args:
        session: The caller's unit of work.
        marks: ``(source, row id, local date it was shown on)`` per row.
    """
    by_source: dict[MemorySource, list[dict[str, Any]]] = {}
    for source, row_id, day in marks:
        by_source.setdefault(source, []).append({"row_id": row_id, "shown_on": day})
    if not by_source:
        return
    connection = await session.connection()
    for source, params in by_source.items():
        table = _table(source)
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(remembered_on=bindparam("shown_on"))
        )
        await connection.execute(statement, params)
