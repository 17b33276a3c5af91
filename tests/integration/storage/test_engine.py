"""Database: unit-of-work semantics, SQLite tuning, BEGIN IMMEDIATE and file permissions."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from storage.engine import Database


async def _scalar(db_session_conn, sql: str):
    return (await db_session_conn.exec_driver_sql(sql)).scalar_one()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_session_commits_on_success_and_rolls_back_on_error(db: Database) -> None:
    async with db.session() as session:
        await (await session.connection()).exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
    async with db.session() as session:
        await (await session.connection()).exec_driver_sql("INSERT INTO scratch VALUES (1)")

    async def fail_midway() -> None:
        async with db.write() as session:
            await (await session.connection()).exec_driver_sql("INSERT INTO scratch VALUES (2)")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await fail_midway()
    async with db.session() as session:
        connection = await session.connection()
        rows = (await connection.exec_driver_sql("SELECT x FROM scratch")).scalars().all()
    assert rows == [1]


async def test_ping_and_dialect_name(db: Database, backend: str) -> None:
    await db.ping()
    assert db.dialect_name == backend
    assert "Database(" in repr(db)


async def test_sqlite_pragmas_applied_on_every_connection(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'k.db'}")
    try:
        for unit in (db.session, db.write):
            async with unit() as session:
                connection = await session.connection()
                assert await _scalar(connection, "PRAGMA journal_mode") == "wal"
                assert await _scalar(connection, "PRAGMA busy_timeout") == 5000
                assert await _scalar(connection, "PRAGMA foreign_keys") == 1
                assert await _scalar(connection, "PRAGMA synchronous") == 1  # NORMAL
    finally:
        await db.dispose()


async def test_sqlite_write_holds_reserved_lock_from_its_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    first = Database(url, sqlite_busy_timeout_ms=20)
    second = Database(url, sqlite_busy_timeout_ms=20)
    try:
        async with first.write():
            # Nothing executed yet in the first unit, yet it already owns the write lock.
            with pytest.raises(OperationalError, match="database is locked"):
                async with second.write():
                    pass
            # Readers are not blocked (WAL), and a deferred unit may still start and read.
            async with second.session() as session:
                connection = await session.connection()
                assert await _scalar(connection, "SELECT 1") == 1
        async with second.write() as session:  # released at commit
            connection = await session.connection()
            await connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    finally:
        await first.dispose()
        await second.dispose()


async def test_sqlite_deferred_session_does_not_take_the_write_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    first = Database(url, sqlite_busy_timeout_ms=20)
    second = Database(url, sqlite_busy_timeout_ms=20)
    try:
        async with first.session() as reader:
            reader_connection = await reader.connection()
            await reader_connection.exec_driver_sql("SELECT 1")
            async with second.write() as writer:
                connection = await writer.connection()
                await connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    finally:
        await first.dispose()
        await second.dispose()


async def test_sqlite_begin_statements_emitted(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'k.db'}")
    seen: list[str] = []

    @event.listens_for(db.engine.sync_engine, "before_cursor_execute")
    def _record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    try:
        async with db.session() as session:
            await (await session.connection()).exec_driver_sql("SELECT 1")
        async with db.write():
            pass
    finally:
        await db.dispose()
    assert seen == ["BEGIN DEFERRED", "SELECT 1", "BEGIN IMMEDIATE"]


async def test_sqlite_file_and_folder_created_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    path = folder / "kindling.db"
    db = Database(f"sqlite:///{path}")
    try:
        async with db.write() as session:
            connection = await session.connection()
            await connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            await connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        wal = path.with_name(path.name + "-wal")
        shm = path.with_name(path.name + "-shm")
        assert wal.exists()  # WAL mode, connection still pooled
        assert shm.exists()
        assert _mode(folder) == 0o700
        assert _mode(folder.parent) == 0o700
        assert _mode(path) == 0o600
        assert _mode(wal) == 0o600
        assert _mode(shm) == 0o600
    finally:
        await db.dispose()


async def test_existing_folder_permissions_untouched(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)  # noqa: ASYNC240
    db = Database(f"sqlite:///{tmp_path / 'kindling.db'}")
    try:
        await db.ping()
    finally:
        await db.dispose()
    assert _mode(tmp_path) == 0o755
    assert _mode(tmp_path / "kindling.db") == 0o600


async def test_memory_database_works(tmp_path: Path) -> None:
    db = Database("sqlite:///:memory:")
    try:
        async with db.write() as session:
            connection = await session.connection()
            await connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        await db.ping()
    finally:
        await db.dispose()
    assert list(tmp_path.iterdir()) == []  # noqa: ASYNC240
