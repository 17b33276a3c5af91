"""Backups taken while prompts are being sent, restored elsewhere; and every refusal."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.cli import main
from storage.backup import (
    PREVIOUS_SUFFIX,
    BackupError,
    backup,
    known_revisions,
    restore,
    sqlite_backup_revision,
)
from storage.engine import Database
from storage.migrate import alembic_config
from storage.models import ActDone, DailyPlan, Reflection, ReflectionOutcome, User, UserStatus
from tests.integration.scheduler.rig import Rig, build_rig, utc

TABLES = ("users", "daily_plans", "acts_done", "reflections", "prompts")
# The newest migration, read from Alembic's scripts, so a new migration needs no edit here.
HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def dump(db: Database, table: str) -> list[tuple[Any, ...]]:
    """Every row of ``table``, ordered by id, as plain tuples."""
    async with db.session() as session:
        connection = await session.connection()
        result = await connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))  # noqa: S608
        return [tuple(row) for row in result.all()]


async def add_life(rig: Rig, people: int) -> None:
    """People with a chosen act, a logged act and an evening reflection on 2026-03-01."""
    day = date(2026, 3, 1)
    now = rig.clock.now()
    for _ in range(people):
        user_id = await rig.add_user("UTC", time(8, 30), time(20, 30))
        async with rig.db.session() as session:
            session.add(
                DailyPlan(
                    user_id=user_id,
                    local_date=day,
                    act_text="Thank a neighbour",
                    created_at=now,
                    updated_at=now,
                )
            )
            session.add(
                ActDone(user_id=user_id, local_date=day, text="I thanked Ana", done_at=now)
            )
            session.add(
                Reflection(
                    user_id=user_id,
                    local_date=day,
                    outcome=ReflectionOutcome.DID,
                    feeling=4,
                    received="a smile",
                    completed=True,
                    created_at=now,
                    updated_at=now,
                )
            )


def hook_compose(
    rig: Rig, on_call: int, action: Callable[[], Awaitable[None]]
) -> list[BaseException]:
    """Run ``action`` when the Delivery renders its ``on_call``-th batch; returns its errors."""
    inner = rig.delivery.compose
    calls = 0
    failures: list[BaseException] = []

    async def compose(keys: Sequence[tuple[int, str, date]]) -> Any:
        nonlocal calls
        calls += 1
        if calls == on_call:
            try:
                await action()
            except BaseException as error:  # the Delivery would take it for a render failure
                failures.append(error)
        return await inner(keys)

    rig.delivery.compose = compose
    return failures


@pytest.fixture
async def drain_rig(sqlite_db: Database):
    built = build_rig(sqlite_db, utc(2026, 3, 2, 8))
    await built.delivery.sender.bot.initialize()
    yield built
    await built.delivery.sender.bot.shutdown()


async def test_a_backup_during_a_drain_restores_every_row_into_a_fresh_directory(
    drain_rig: Rig, tmp_path: Path
) -> None:
    rig = drain_rig
    await add_life(rig, 12)
    await rig.delivery.plan_all()
    rig.clock.set(utc(2026, 3, 2, 8, 31))  # the 12 morning prompts are due
    rig.delivery.batch_size = 4
    target = tmp_path / "backups" / "kindling.db"
    target.parent.mkdir()
    seen: dict[str, Any] = {}

    async def take_backup() -> None:
        # Batch 1 is sent and written, batch 2 claimed; and a write is open, uncommitted.
        seen["before"] = {table: await dump(rig.db, table) for table in TABLES}
        seen["sends"] = len(rig.sends())
        async with rig.db.write() as session:
            now = rig.clock.now()
            session.add(
                User(
                    telegram_user_id=1,
                    chat_id=1,
                    first_name="Late",
                    timezone="UTC",
                    morning_time=time(9),
                    evening_time=time(21),
                    status=UserStatus.ACTIVE,
                    created_at=now,
                    updated_at=now,
                )
            )
            await session.flush()
            # In a thread, as `kindling backup` is another process: the loop is not blocked.
            seen["outcome"] = await asyncio.to_thread(backup, rig.db.url, target)

    failures = hook_compose(rig, 2, take_backup)
    await rig.delivery.deliver_due()
    assert failures == []

    assert seen["sends"] == 4
    assert len(rig.sends()) == 12  # the drain went on to the end after the backup
    outcome = seen["outcome"]
    assert (outcome.path, outcome.revision) == (target, HEAD)
    assert outcome.size == target.stat().st_size
    assert target.stat().st_mode & 0o777 == 0o600
    # One self-contained file: no WAL to carry along with it.
    assert sorted(p.name for p in target.parent.iterdir()) == ["kindling.db"]

    fresh = tmp_path / "elsewhere" / "data" / "kindling.db"
    restored = restore(f"sqlite:///{fresh}", target)
    assert (restored.path, restored.revision, restored.previous) == (fresh, HEAD, None)
    copy = Database(f"sqlite:///{fresh}")
    try:
        after = {table: await dump(copy, table) for table in TABLES}
    finally:
        await copy.dispose()
    # Everything committed when the backup began, row for row; not the uncommitted person.
    assert after == seen["before"]
    assert len(after["users"]) == 12
    assert {len(after[t]) for t in ("daily_plans", "acts_done", "reflections")} == {12}
    # The ledger as the drain left it at that instant: one batch sent, one claimed.
    states = Counter(row[5] for row in after["prompts"])
    assert states == Counter({"sent": 4, "claimed": 4, "planned": len(after["prompts"]) - 8})
    live_users = await dump(rig.db, "users")
    assert [row[3] for row in live_users][-1] == "Late"


async def test_backup_and_restore_on_sqlite_keep_the_replaced_database(
    sqlite_db: Database, tmp_path: Path
) -> None:
    rig = build_rig(sqlite_db, utc(2026, 3, 2, 8))
    await add_life(rig, 2)
    target = tmp_path / "b.db"
    backup(sqlite_db.url, target)
    async with sqlite_db.session() as session:
        await (await session.connection()).execute(text("DELETE FROM users"))
    before_restore = await dump(sqlite_db, "acts_done")
    assert before_restore == []
    await sqlite_db.dispose()  # the bot is stopped for a restore

    outcome = restore(sqlite_db.url, target)
    assert outcome.previous is not None
    assert outcome.previous.name == "kindling.db" + PREVIOUS_SUFFIX
    assert len(await dump(sqlite_db, "acts_done")) == 2
    kept = Database(f"sqlite:///{outcome.previous}")
    try:
        assert await dump(kept, "users") == []
    finally:
        await kept.dispose()
    # A stale WAL of the replaced database is never replayed onto the restored one.
    folder = Path(outcome.path).parent
    assert not any(p.name.endswith(".tmp") for p in folder.iterdir())


def test_every_migration_is_a_known_revision() -> None:
    versions = Path(__file__).resolve().parents[3] / "storage" / "migrations" / "versions"
    stems = {p.stem for p in versions.glob("0*.py")}
    assert HEAD in stems
    assert known_revisions() == stems


# ------------------------------------------------------------------------------ refusals


def sqlite_file(path: Path, statements: Sequence[str]) -> Path:
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    return path


@pytest.fixture
def live(sqlite_db: Database) -> tuple[str, Path]:
    """The database URL and file of a migrated SQLite database, and its bytes."""
    path = Path(sqlite_db.url.split("///", 1)[1])
    return sqlite_db.url, path


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda d: (d / "notes.txt").write_text("hello") and d / "notes.txt",
            "is not a SQLite database, so not a Kindling backup",
        ),
        (
            lambda d: sqlite_file(d / "other.db", ["CREATE TABLE t (x)"]),
            "is a SQLite database but not a Kindling one",
        ),
        (
            lambda d: sqlite_file(
                d / "future.db",
                [
                    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
                    "INSERT INTO alembic_version VALUES ('0099_from_the_future')",
                ],
            ),
            "has schema revision '0099_from_the_future', which this Kindling does not know",
        ),
        (
            lambda d: (d / "dump.pgdump").write_bytes(b"PGDMP\x01\x0e\x00") and d / "dump.pgdump",
            "is a PostgreSQL dump",
        ),
        (lambda d: d / "missing.db", "cannot read"),
        (lambda d: d, "is a folder, not a backup file"),
    ],
    ids=["text", "foreign-sqlite", "newer-schema", "pg-dump", "missing", "folder"],
)
def test_restore_refuses_what_is_not_a_kindling_backup_and_changes_nothing(
    live: tuple[str, Path], tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    url, database = live
    offered = tmp_path / "offered"
    offered.mkdir()
    source = make(offered)
    before = files(database.parent)
    with pytest.raises(BackupError, match=message) as caught:
        restore(url, source)
    assert "\n" not in str(caught.value)
    assert files(database.parent) == before


def test_restore_refuses_a_damaged_backup(live: tuple[str, Path], tmp_path: Path) -> None:
    url, database = live
    target = tmp_path / "b.db"
    backup(url, target)
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])  # a copy cut short
    before = files(database.parent)
    with pytest.raises(BackupError, match=r"damaged|not a usable SQLite database"):
        restore(url, target)
    assert files(database.parent) == before


def test_backup_refuses_an_unwritable_target_and_leaves_the_old_backup(
    live: tuple[str, Path], tmp_path: Path
) -> None:
    url, database = live
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(BackupError, match=r"cannot write .*its folder does not exist"):
        backup(url, tmp_path / "nowhere" / "b.db")
    with pytest.raises(BackupError, match="cannot write"):
        backup(url, blocker / "b.db")  # a file where a folder should be
    with pytest.raises(BackupError, match="is a folder"):
        backup(url, tmp_path)
    with pytest.raises(BackupError, match="is the database itself"):
        backup(url, database)
    assert files(tmp_path) == {"a-file": b"x"}


def test_backup_of_a_database_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no database at"):
        backup(f"sqlite:///{tmp_path / 'never.db'}", tmp_path / "b.db")
    assert list(tmp_path.iterdir()) == []


def test_a_backup_is_checked_like_a_restore(live: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = live
    target = tmp_path / "b.db"
    backup(url, target)
    assert sqlite_backup_revision(target) == HEAD
    shutil.copyfile(target, tmp_path / "copy.db")
    with sqlite3.connect(tmp_path / "copy.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'zzz'")
    connection.close()
    with pytest.raises(BackupError, match="does not know"):
        sqlite_backup_revision(tmp_path / "copy.db")


# ---------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_postgres_backup_with_pg_dump_and_restore_in_one_transaction(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("PostgreSQL's client tools (pg_dump, pg_restore) are not on PATH")
    rig = build_rig(db, utc(2026, 3, 2, 8))
    await add_life(rig, 3)
    await rig.delivery.plan_all()
    before = {table: await dump(db, table) for table in TABLES}
    target = tmp_path / "kindling.dump"
    outcome = backup(db.url, target)
    assert (outcome.revision, outcome.size) == (HEAD, target.stat().st_size)
    assert target.read_bytes().startswith(b"PGDMP")
    assert [p.name for p in tmp_path.iterdir()] == ["kindling.dump"]  # noqa: ASYNC240

    async with db.session() as session:
        await (await session.connection()).execute(text("DELETE FROM users"))
    # `kindling restore` refuses while another client (here: this pool, a bot) is connected.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db.url)
    async with db.engine.connect():
        refused = await asyncio.to_thread(main, ["restore", str(target)])
    assert refused == 2
    assert "other client(s), a running Kindling perhaps" in capsys.readouterr().err
    assert await dump(db, "users") == []
    await db.dispose()  # the bot is stopped for a restore
    assert restore(db.url, target).revision == HEAD
    assert {table: await dump(db, table) for table in TABLES} == before

    # A SQLite file offered to PostgreSQL is refused before anything is touched.
    sqlite_copy = sqlite_file(tmp_path / "k.db", ["CREATE TABLE t (x)"])
    with pytest.raises(BackupError, match="is a SQLite backup"):
        restore(db.url, sqlite_copy)
    assert {table: await dump(db, table) for table in TABLES} == before
