"""Engine and unit-of-work setup for SQLite (aiosqlite) and PostgreSQL (asyncpg).

One :class:`Database` per process, built by the composition root from settings and passed
down; nothing here is module-global. A service opens exactly one unit of work per call::

    async with db.write() as session:        # read-then-write work
        user, created = await UserRepository(session).upsert_from_telegram(...)

    async with db.session() as session:      # reads, or blind writes
        plan = await PlanRepository(session).get_for_date(user.id, today)

Both commit when the block ends normally and roll back when it raises; repositories never
commit.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.availability import DatabaseOutage

__all__ = [
    "DEFAULT_SQLITE_BUSY_TIMEOUT_MS",
    "POSTGRES_POOL_RECYCLE_SECONDS",
    "Database",
    "build_engine",
    "normalize_database_url",
    "sqlite_file_path",
]

DEFAULT_SQLITE_BUSY_TIMEOUT_MS: Final = 5000

# PostgreSQL connections older than this are replaced at their next checkout, before a
# firewall, NAT or proxy idle timeout (often 15 to 60 minutes) can cut them silently.
POSTGRES_POOL_RECYCLE_SECONDS: Final = 1800

# Execution option read by the SQLite "begin" hook: "DEFERRED" (default) or "IMMEDIATE".
SQLITE_BEGIN_OPTION: Final = "kindling_sqlite_begin"

_SQLITE_SCHEMES: Final = frozenset({"sqlite", "sqlite+aiosqlite", "sqlite+pysqlite"})
_POSTGRES_SCHEMES: Final = frozenset(
    {
        "postgres",
        "postgresql",
        "postgresql+asyncpg",
        "postgresql+psycopg",
        "postgresql+psycopg2",
    }
)
_EXAMPLES: Final = "sqlite:///data/kindling.db or postgresql://user:password@host:5432/kindling"


def normalize_database_url(url: str) -> str:
    """Turn a user-supplied database URL into the async-driver URL the engine needs.

    ``sqlite:///path`` becomes ``sqlite+aiosqlite:///path`` (``sqlite:///:memory:`` is allowed,
    for tests); ``postgres://``, ``postgresql://`` and ``postgresql+psycopg://`` become
    ``postgresql+asyncpg://``. A libpq-style ``sslmode`` query parameter is renamed to the
    ``ssl`` parameter asyncpg understands.

    Args:
        url: The URL as configured (for example the ``DATABASE_URL`` setting).

    Returns:
        The same database, addressed through ``sqlite+aiosqlite`` or ``postgresql+asyncpg``.

    Raises:
        ValueError: The URL is empty, unparseable or names an unsupported database. The
            message never contains the password.
    """
    raw = url.strip()
    if not raw:
        raise ValueError(f"the database URL is empty; expected e.g. {_EXAMPLES}")
    try:
        parsed = make_url(raw)
    except ArgumentError:
        scheme = raw.split("://", 1)[0] if "://" in raw else ""
        hint = f" (scheme {scheme!r})" if scheme and "@" not in scheme else ""
        raise ValueError(
            f"the database URL could not be parsed{hint}; expected e.g. {_EXAMPLES}"
        ) from None
    scheme = parsed.drivername.lower()
    if scheme in _SQLITE_SCHEMES:
        if parsed.username or parsed.password or parsed.host or parsed.port:
            raise ValueError(
                "a SQLite URL has no host or user: use sqlite:///relative/path.db "
                "or sqlite:////absolute/path.db"
            )
        # Swap only the scheme: re-rendering would percent-encode ":memory:" and the path.
        return "sqlite+aiosqlite" + raw[raw.index("://") :]
    if scheme in _POSTGRES_SCHEMES:
        if not parsed.database:
            raise ValueError(
                "the PostgreSQL URL names no database; expected e.g. "
                "postgresql://user:password@host:5432/kindling"
            )
        query = dict(parsed.query)
        if "sslmode" in query and "ssl" not in query:
            query["ssl"] = query.pop("sslmode")
        normalized = parsed.set(drivername="postgresql+asyncpg", query=query)
        return normalized.render_as_string(hide_password=False)
    raise ValueError(
        f"unsupported database URL scheme {parsed.drivername!r}: Kindling runs on SQLite or "
        f"PostgreSQL, e.g. {_EXAMPLES}"
    )


def sqlite_file_path(url: str | URL) -> Path | None:
    """Return the file a SQLite URL points at, or ``None`` for in-memory and URI forms.

    Args:
        url: A SQLite URL (any driver spelling) or a parsed :class:`~sqlalchemy.engine.URL`.

    Returns:
        The database file path, or ``None`` when there is no plain file to manage.
    """
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    if parsed.query.get("uri") in ("true", "1"):
        return None
    return Path(database)


def _prepare_sqlite_file(path: Path) -> None:
    """Create the database folder (0700) and file (0600) if they do not exist yet.

    Folders and files that already exist are left as the operator made them. SQLite gives the
    ``-wal`` and ``-shm`` files the permissions of the database file, so they end up 0600 too.
    """
    missing: list[Path] = []
    parent = path.absolute().parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # created concurrently by another process
            continue
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask; be explicit
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:
        return
    os.close(fd)
    path.chmod(0o600)


def _switch_to_wal(cursor: Any, busy_timeout_ms: int) -> None:
    """Put the database in WAL mode (persistent, so usually already done).

    The switch needs an exclusive lock and SQLite does not always call the busy handler for
    it, so when several processes open a new database at once one of them can get "database
    is locked" straight away; it retries until the busy timeout instead.
    """
    cursor.execute("PRAGMA journal_mode")
    if str(cursor.fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except Exception as exc:  # the driver adapter's OperationalError, not sqlite3's own
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _install_sqlite_hooks(
    engine: AsyncEngine, *, busy_timeout_ms: int, foreign_keys: bool
) -> None:
    """Apply the per-connection tuning and take over BEGIN from the sqlite3 driver.

    This is the documented SQLAlchemy recipe ("Enabling non-legacy SQLite transactional
    modes"): sqlite3's legacy implicit transactions are switched off on connect, and a
    ``begin`` hook emits ``BEGIN`` (or ``BEGIN IMMEDIATE`` when the connection carries the
    :data:`SQLITE_BEGIN_OPTION` execution option) so that transactions really start where
    SQLAlchemy thinks they do.
    """
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Stop the driver from emitting its own BEGIN (and from committing around DDL).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # busy_timeout first, so that switching to WAL waits instead of failing.
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            _switch_to_wal(cursor, busy_timeout_ms)
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        if mode not in ("DEFERRED", "IMMEDIATE"):
            raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
        conn.exec_driver_sql(f"BEGIN {mode}")


def build_engine(
    url: str,
    *,
    sqlite_busy_timeout_ms: int = DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
    sqlite_foreign_keys: bool = True,
    **engine_kwargs: Any,
) -> AsyncEngine:
    """Create an :class:`AsyncEngine` with Kindling's per-backend setup.

    For SQLite the database file and its folder are created with owner-only permissions,
    every connection gets ``journal_mode=WAL``, ``busy_timeout``, ``foreign_keys`` and
    ``synchronous=NORMAL``, and BEGIN is emitted by SQLAlchemy (see :class:`Database`).

    Args:
        url: Any URL accepted by :func:`normalize_database_url`.
        sqlite_busy_timeout_ms: How long a SQLite connection waits for a lock.
        sqlite_foreign_keys: Enforce foreign keys on SQLite; migrations switch it off so
            that batch table rebuilds cannot cascade.
        **engine_kwargs: Passed to :func:`~sqlalchemy.ext.asyncio.create_async_engine`.

    Returns:
        A new engine; the caller owns it and must dispose it.
    """
    normalized = normalize_database_url(url)
    parsed = make_url(normalized)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file_path(parsed)
        if path is not None:
            _prepare_sqlite_file(path)
        engine = create_async_engine(parsed, **engine_kwargs)
        _install_sqlite_hooks(
            engine, busy_timeout_ms=sqlite_busy_timeout_ms, foreign_keys=sqlite_foreign_keys
        )
        return engine
    # A backend that was terminated (pg_terminate_backend, a server restart) is noticed by the
    # ping at checkout and replaced, so the unit of work after an outage does not fail too.
    engine_kwargs.setdefault("pool_pre_ping", True)
    engine_kwargs.setdefault("pool_recycle", POSTGRES_POOL_RECYCLE_SECONDS)
    return create_async_engine(parsed, **engine_kwargs)


class Database:
    """The process's database: an engine plus unit-of-work context managers.

    Args:
        url: Any URL accepted by :func:`normalize_database_url`.
        sqlite_busy_timeout_ms: How long a SQLite connection waits for a lock (tests shorten
            it to observe locking without sleeping).
        outage: The outage tracker that handlers report failures to; every commit tells it
            the database answers. Defaults to one on the system's monotonic clock.
        **engine_kwargs: Passed to :func:`~sqlalchemy.ext.asyncio.create_async_engine`
            (``echo=True``, pool sizes, ...).
    """

    def __init__(
        self,
        url: str,
        *,
        sqlite_busy_timeout_ms: int = DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
        outage: DatabaseOutage | None = None,
        **engine_kwargs: Any,
    ) -> None:
        self.url: Final = normalize_database_url(url)
        self._engine = build_engine(
            self.url, sqlite_busy_timeout_ms=sqlite_busy_timeout_ms, **engine_kwargs
        )
        self.outage = outage or DatabaseOutage()
        # Read through self at commit time, so a tracker swapped in later is the one told.
        event.listen(self._engine.sync_engine, "commit", lambda _conn: self.outage.succeeded())
        # Same pool; connections checked out through it begin with BEGIN IMMEDIATE on SQLite.
        write_engine = (
            self._engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
            if self.dialect_name == "sqlite"
            else self._engine
        )
        self._sessions = async_sessionmaker(
            self._engine, class_=AsyncSession, expire_on_commit=False
        )
        self._write_sessions = async_sessionmaker(
            write_engine, class_=AsyncSession, expire_on_commit=False
        )

    @property
    def engine(self) -> AsyncEngine:
        """The underlying engine (for tests, migrations and special cases)."""
        return self._engine

    @property
    def dialect_name(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine.dialect.name

    def __repr__(self) -> str:
        shown = make_url(self.url).render_as_string(hide_password=True)
        return f"Database({shown!r})"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """Open one unit of work: commit on success, roll back on error.

        On SQLite the transaction is DEFERRED: it takes the write lock only when it first
        writes. Use :meth:`write` when the work reads and then writes.

        Yields:
            An :class:`AsyncSession` (``expire_on_commit=False``) inside a transaction.
        """
        async with self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """Open a read-then-write unit of work that holds the write lock from its start.

        On SQLite the transaction begins with ``BEGIN IMMEDIATE`` as soon as the block is
        entered, so two such units queue on ``busy_timeout`` instead of failing with a lock
        upgrade deadlock. On PostgreSQL it is an ordinary transaction.

        Yields:
            An :class:`AsyncSession` (``expire_on_commit=False``) inside a transaction.
        """
        async with self._write_sessions() as session, session.begin():
            await session.connection()  # emit BEGIN (IMMEDIATE) now, not at the first query
            yield session

    async def ping(self) -> None:
        """Run ``SELECT 1``; raises the driver's error if the database is unreachable."""
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection; call once at shutdown."""
        await self._engine.dispose()
