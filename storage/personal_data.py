"""Every row about one person, in every table: read for export, erased for deletion.

The walk is driven by the schema (``metadata``), not by a hand-kept list, so a table added
later is exported and erased without changes here: a row is about a person when it is their
``users`` row, references their ``users.id`` through a foreign key, or carries their Telegram
id in a ``telegram_user_id`` or ``chat_id`` column.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import ColumnElement, Table, delete, false, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import User, metadata

__all__ = [
    "TELEGRAM_ID_COLUMNS",
    "erase_person",
    "holds_people",
    "rows_about",
    "rows_about_condition",
]

TELEGRAM_ID_COLUMNS: Final = frozenset({"telegram_user_id", "chat_id"})
"""Columns that hold a Telegram id (a private chat's id is the person's id)."""


def rows_about_condition(table: Table, user_id: int, telegram_user_id: int) -> ColumnElement[bool]:
    """The SQL condition matching the rows of ``table`` about one person.

    Args:
        table: Any table of the schema.
        user_id: The person's ``users.id``.
        telegram_user_id: The person's Telegram id.

    Returns:
        A condition; ``false()`` for a table that holds nothing about people.
    """
    conditions = _conditions(table, user_id, telegram_user_id)
    return or_(*conditions) if conditions else false()


def holds_people(table: Table) -> bool:
    """Whether ``table`` can hold rows about a person (the sender lease, say, cannot)."""
    return bool(_conditions(table, 0, 0))


def _conditions(table: Table, user_id: int, telegram_user_id: int) -> list[ColumnElement[bool]]:
    users = User.__table__  # type: ignore[attr-defined]
    conditions: list[ColumnElement[bool]] = []
    for column in table.columns:
        if table is users and column.primary_key:
            conditions.append(column == user_id)
        if any(fk.column is users.c.id for fk in column.foreign_keys):
            conditions.append(column == user_id)
        if column.name in TELEGRAM_ID_COLUMNS:
            conditions.append(column == telegram_user_id)
    return conditions


async def rows_about(session: AsyncSession, user: User) -> dict[str, list[dict[str, Any]]]:
    """Every row about ``user``, table by table, as plain dictionaries of column values.

    Args:
        session: The unit of work to read in.
        user: The person (a persistent row).

    Returns:
        ``{table name: [row, ...]}`` for every table that can hold rows about a person, rows
        ordered by primary key; values are as the column types return them (aware
        datetimes, enum members, JSON).
    """
    assert user.id is not None
    # Core statements run on the session's connection (same transaction).
    connection = await session.connection()
    found: dict[str, list[dict[str, Any]]] = {}
    for table in metadata.sorted_tables:
        if not holds_people(table):
            continue  # operators' tables (the sender lease): nothing of anyone's in them
        statement = (
            select(table)
            .where(rows_about_condition(table, user.id, user.telegram_user_id))
            .order_by(*table.primary_key.columns)
        )
        result = await connection.execute(statement)
        found[table.name] = [dict(row._mapping) for row in result]
    return found


async def erase_person(session: AsyncSession, user: User) -> dict[str, int]:
    """Delete every row about ``user`` in every table (dependents first, then ``users``).

    Foreign keys cascade too, but the explicit walk also clears rows keyed by Telegram id and
    counts what went.

    Args:
        session: The unit of work to delete in (the caller commits).
        user: The person (a persistent row); expunged from the session afterwards.

    Returns:
        ``{table name: rows deleted}`` for every table.
    """
    assert user.id is not None
    user_id, telegram_user_id = user.id, user.telegram_user_id
    session.expunge(user)
    connection = await session.connection()
    counts: dict[str, int] = {}
    for table in reversed(metadata.sorted_tables):
        condition = rows_about_condition(table, user_id, telegram_user_id)
        result = await connection.execute(delete(table).where(condition))
        counts[table.name] = int(result.rowcount)
    return counts
