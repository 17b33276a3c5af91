"""/delete erases every row about a person in every table, on SQLite and PostgreSQL, and
leaves everyone else's data exactly as it was."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Table, select

from bot.sandbox.users import SimulatedUser
from bot.services.prompts import compose_prompt
from storage.engine import Database
from storage.models import metadata
from storage.personal_data import TELEGRAM_ID_COLUMNS
from tests.fakes.harness import Harness, running_bot
from tests.flows.helpers import onboarded
from tests.flows.looking_back import seed, user_of

TODAY = date(2026, 3, 2)


def users_id_columns(table: Table) -> list[str]:
    """Columns of ``table`` that hold a ``users.id`` (its key, or a foreign key to it)."""
    names = [
        c.name
        for c in table.columns
        if any(fk.column.table.name == "users" for fk in c.foreign_keys)
    ]
    if table.name == "users":
        names.append("id")
    return names


async def snapshot(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table in the schema."""
    tables: dict[str, list[dict[str, Any]]] = {}
    async with db.session() as session:
        connection = await session.connection()
        for table in metadata.sorted_tables:
            result = await connection.execute(select(table).order_by(*table.primary_key))
            tables[table.name] = [dict(row._mapping) for row in result]
    return tables


def about(table: Table, row: dict[str, Any], user_id: int, telegram_id: int) -> bool:
    return any(row[c] == user_id for c in users_id_columns(table)) or any(
        row[c.name] == telegram_id for c in table.columns if c.name in TELEGRAM_ID_COLUMNS
    )


async def history(bot: Harness, person: SimulatedUser) -> None:
    """Acts, notes, a plan and a reflection; onboarding already planned ledger rows."""
    await bot.say(person, "/today")
    await bot.press(person, person.last_message.buttons[0][0])
    await bot.press(person, "Yes, I'll do it")
    await bot.press(person, "Done")
    await bot.say(person, f"a note from {person.first_name} 🌷")
    await seed(bot, person, reflections=[(TODAY, 3, "a smile on the bus")])


async def test_delete_leaves_nothing_about_the_person_in_any_table(db: Database) -> None:
    async with running_bot(db) as bot:
        ana = await onboarded(bot, "Ana")
        bob = await onboarded(bot, "Bob")
        for person in (ana, bob):
            await history(bot, person)
        ana_id = (await user_of(bot, ana)).id
        assert ana_id is not None
        before = await snapshot(db)
        for name in ("users", "daily_plans", "acts_done", "reflections", "prompts"):
            table = metadata.tables[name]
            assert any(about(table, row, ana_id, ana.id) for row in before[name]), name

        await bot.say(ana, "/delete")
        await bot.press(ana, "Yes, erase everything")
        assert "acts of kindness: 1" in (ana.last_message.text or "")
        prompts = metadata.tables["prompts"]
        planned = sum(about(prompts, row, ana_id, ana.id) for row in before["prompts"])
        assert f"scheduled messages: {planned}" in (ana.last_message.text or "")
        sent = len(ana.messages)

        after = await snapshot(db)
        for table in metadata.sorted_tables:
            left = [row for row in after[table.name] if about(table, row, ana_id, ana.id)]
            assert left == [], table.name
            # Everyone else's rows are untouched, value for value.
            others = [row for row in before[table.name] if not about(table, row, ana_id, ana.id)]
            assert after[table.name] == others, table.name
        assert [row["first_name"] for row in after["users"]] == ["Bob"]

        # Nothing more reaches Ana: her ledger rows are gone, and nothing was sent after.
        assert len(ana.messages) == sent
        for slot in ("morning", "evening"):
            assert await compose_prompt(db, bot.clock, ana_id, slot, TODAY) is None
