"""Shared database fixtures for every test folder.

* ``backend``: ``"sqlite"`` or ``"postgresql"`` (the latter marked ``postgres``).
* ``database_url``: an EMPTY database on that backend (no tables, not even Alembic's).
* ``db``: a migrated, empty :class:`storage.engine.Database` on that backend, disposed after.
* ``sqlite_db``: the same on SQLite only, for fast flow tests.

PostgreSQL comes from ``TEST_DATABASE_URL`` (default ``postgresql://postgres@127.0.0.1:5432/
test``). Each pytest session creates its own database there (``kindling_test_<pid>_<hex>``)
and drops it at the end, so concurrent runs never share state. When the server cannot be
reached the PostgreSQL cases are skipped, unless ``KINDLING_REQUIRE_POSTGRES=1`` (CI), which
turns that into a failure.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import URL, make_url

from storage.engine import Database, normalize_database_url
from storage.migrate import upgrade_to_head
from storage.models import metadata

# python-telegram-bot 22 warns (an error under filterwarnings=error) when RetryAfter is built
# without opting in to timedelta values; the application opts in the same way (bot/cli.py).
os.environ.setdefault("PTB_TIMEDELTA", "1")

DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
_CONNECT_TIMEOUT_S = 2.0

T = TypeVar("T")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from a synchronous (session) fixture on a private loop and thread.

    Session fixtures may be first requested from inside a running test loop (through
    ``request.getfixturevalue``), so the work runs on a thread of its own.
    """

    def in_thread() -> T:
        with asyncio.Runner(loop_factory=asyncio.new_event_loop) as runner:
            return runner.run(coro)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-fixture") as pool:
        return pool.submit(in_thread).result()


def _libpq_dsn(url: URL) -> str:
    """The URL asyncpg itself understands (no ``+driver``)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _check_postgres(url: URL) -> None:
    connection = await asyncpg.connect(_libpq_dsn(url), timeout=_CONNECT_TIMEOUT_S)
    await connection.close()


async def _admin_execute(url: URL, sql: str) -> None:
    connection = await asyncpg.connect(_libpq_dsn(url), timeout=_CONNECT_TIMEOUT_S)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_server_url() -> URL:
    """The PostgreSQL server to test against; checked once per session."""
    raw = os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)
    url = make_url(normalize_database_url(raw))
    shown = url.set(drivername="postgresql").render_as_string(hide_password=True)
    try:
        _run(_check_postgres(url))
    except Exception as exc:  # any reason at all: refused, timeout, auth, no such database
        reason = f"{type(exc).__name__}: {exc}".strip()
        message = f"PostgreSQL not reachable at {shown}: {reason}; set TEST_DATABASE_URL"
        if os.environ.get("KINDLING_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{message} (KINDLING_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def postgres_database_url(postgres_server_url: URL) -> Iterator[str]:
    """A database of this session's own, created on first use and dropped at the end."""
    name = f"kindling_test_{os.getpid()}_{secrets.token_hex(4)}"
    _run(_admin_execute(postgres_server_url, f'CREATE DATABASE "{name}"'))
    _postgres_schema_current.clear()
    try:
        yield postgres_server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        _run(_admin_execute(postgres_server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, built once per session and copied for each test."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "kindling.db"
    _run(upgrade_to_head(f"sqlite:///{path}"))
    # The migration engine's last connection checkpointed and removed the WAL on close.
    assert not path.with_name(path.name + "-wal").exists()
    return path


# Holds the session database's URL while its schema is known to be at head, so ``db`` can
# skip Alembic; anything that resets or migrates the schema by hand clears it.
_postgres_schema_current: set[str] = set()


async def _reset_postgres_schema(url: str) -> None:
    """Drop every table (and Alembic's version table) by recreating the public schema."""
    _postgres_schema_current.discard(url)
    admin = make_url(normalize_database_url(url))
    await _admin_execute(admin, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


async def _truncate_all(db: Database) -> None:
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    async with db.session() as session:
        connection = await session.connection()
        await connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend a parametrized test runs on."""
    return str(request.param)


@pytest.fixture
async def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database (no tables at all) on ``backend``."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'kindling.db'}"
    url: str = request.getfixturevalue("postgres_database_url")
    await _reset_postgres_schema(url)
    # The test may migrate, downgrade or leave anything behind: ``db`` re-migrates after it.
    return url


def _copy_sqlite_template(template: Path, tmp_path: Path) -> str:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    path = folder / "kindling.db"
    shutil.copyfile(template, path)
    path.chmod(0o600)
    return f"sqlite:///{path}"


@pytest.fixture
async def db(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Database]:
    """A migrated, empty :class:`Database` on ``backend``; disposed after the test."""
    if backend == "sqlite":
        url = _copy_sqlite_template(request.getfixturevalue("sqlite_template"), tmp_path)
        database = Database(url)
    else:
        url = request.getfixturevalue("postgres_database_url")
        if url not in _postgres_schema_current:
            await upgrade_to_head(url)
            _postgres_schema_current.add(url)
        database = Database(url)
        await _truncate_all(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def sqlite_db(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty SQLite :class:`Database` (fast; for flow tests); disposed after."""
    database = Database(_copy_sqlite_template(sqlite_template, tmp_path))
    try:
        yield database
    finally:
        await database.dispose()
