"""Alembic: stairway over every revision, models in sync with migrations, start-up upgrade."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import select

from storage.engine import Database
from storage.migrate import alembic_config, run_alembic_command, upgrade_to_head
from storage.models import Prompt, PromptSlot, PromptState, metadata

REPO_ROOT = Path(__file__).resolve().parents[3]


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite:///:memory:"))
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


async def _table_names(url: str) -> set[str]:
    db = Database(url)
    try:
        async with db.engine.connect() as connection:
            names = await connection.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await db.dispose()
    return set(names)


def test_revision_history_is_linear_and_starts_at_0001() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite:///:memory:"))
    assert len(script.get_heads()) == 1
    assert _revisions()[0] == "0001_initial"


async def test_stairway(database_url: str) -> None:
    """Every revision upgrades, downgrades one step and upgrades again; base leaves nothing."""
    revisions = _revisions()
    for revision in revisions:
        assert await run_alembic_command(database_url, command.upgrade, revision) == revision
        previous = await run_alembic_command(database_url, command.downgrade, "-1")
        assert previous == (
            revisions[revisions.index(revision) - 1] if revision != revisions[0] else None
        )
        assert await run_alembic_command(database_url, command.upgrade, revision) == revision
    assert await run_alembic_command(database_url, command.downgrade, "base") is None
    assert await _table_names(database_url) <= {"alembic_version"}


async def test_models_match_migrations(database_url: str) -> None:
    await upgrade_to_head(database_url)
    db = Database(database_url)

    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    try:
        async with db.engine.connect() as connection:
            diffs = await connection.run_sync(diff)
    finally:
        await db.dispose()
    assert diffs == []


async def test_upgrade_to_head_is_idempotent_and_logs_one_line(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        await upgrade_to_head(database_url)
        await upgrade_to_head(database_url)
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages
    head = _revisions()[-1]
    assert f"upgraded from revision None to {head}" in messages[0]
    assert f"current at revision {head}" in messages[1]
    assert await _table_names(database_url) >= {
        "users",
        "daily_plans",
        "acts_done",
        "reflections",
        "prompts",
        "alembic_version",
    }


async def test_concurrent_start_ups_migrate_once(database_url: str) -> None:
    await asyncio.gather(*(upgrade_to_head(database_url) for _ in range(3)))
    assert await run_alembic_command(database_url, command.current) == _revisions()[-1]


def test_alembic_command_line_upgrades_and_downgrades(tmp_path: Path) -> None:
    path = tmp_path / "cli" / "kindling.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    ini = str(REPO_ROOT / "storage" / "alembic.ini")
    alembic = [sys.executable, "-m", "alembic", "-c", ini]
    for args in (["upgrade", "head"], ["downgrade", "base"]):
        done = subprocess.run(
            [*alembic, *args], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    assert path.exists()


async def test_a_waiting_snooze_moves_into_the_ledger_and_back(database_url: str) -> None:
    """0008: ``users.snoozed_until`` becomes a planned ``snooze`` row, and back going down."""
    assert await run_alembic_command(database_url, command.upgrade, "0007_language")
    sqlite = database_url.startswith("sqlite")
    # 23:30 UTC is already the next date in Tokyo: the row takes the local date of the snooze.
    until = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    stored = until.replace(tzinfo=None) if sqlite else until
    db = Database(database_url)
    try:
        async with db.engine.begin() as connection:
            for telegram_id, snoozed in ((1, stored), (2, None)):
                await connection.execute(
                    text(
                        "INSERT INTO users (telegram_user_id, chat_id, first_name, timezone,"
                        " morning_time, evening_time, morning_enabled, evening_enabled, days,"
                        " status, snoozed_until, created_at, updated_at) VALUES (:t, :t, 'Ana',"
                        " 'Asia/Tokyo', '08:00', '20:00', true, true, 'every', 'active',"
                        " :snoozed, :now, :now)"
                    ),
                    {"t": telegram_id, "snoozed": snoozed, "now": stored},
                )
    finally:
        await db.dispose()

    assert await run_alembic_command(database_url, command.upgrade, "0008_snoozes_in_ledger")
    db = Database(database_url)
    try:
        async with db.session() as session:
            rows = (await session.exec(select(Prompt))).all()
    finally:
        await db.dispose()
    assert [(r.slot, r.local_date, r.due_at, r.state) for r in rows] == [
        (PromptSlot.SNOOZE, date(2026, 3, 3), until, PromptState.PLANNED)
    ]

    assert await run_alembic_command(database_url, command.downgrade, "0007_language")
    db = Database(database_url)
    try:
        async with db.engine.connect() as connection:
            back = (
                await connection.execute(
                    text("SELECT telegram_user_id, snoozed_until FROM users ORDER BY 1")
                )
            ).all()
            left = (await connection.execute(text("SELECT count(*) FROM prompts"))).scalar()
    finally:
        await db.dispose()
    assert [t for t, _ in back] == [1, 2]
    assert back[1][1] is None
    value = back[0][1]  # SQLite's raw column: naive UTC text; PostgreSQL: an aware instant
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert instant.replace(tzinfo=instant.tzinfo or UTC) == until
    assert left == 0
