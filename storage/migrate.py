"""Alembic, driven from code: ``await upgrade_to_head(url)`` at every start-up.

The migration scripts live in ``storage/migrations``. The same ``env.py`` serves the
``alembic`` command line (``alembic -c storage/alembic.ini upgrade head``, URL from
``DATABASE_URL``) and this module, which hands Alembic an already open connection
(Alembic's "connection sharing" recipe) so no second event loop or thread is needed.

Safety when several processes start at once: the whole upgrade runs in one transaction that
holds PostgreSQL's advisory lock :data:`MIGRATION_LOCK_KEY`, or on SQLite the write lock
(``BEGIN IMMEDIATE``), so one process migrates and the others then find the schema current.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from storage.engine import SQLITE_BEGIN_OPTION, build_engine, normalize_database_url

__all__ = [
    "MIGRATIONS_DIR",
    "MIGRATION_LOCK_KEY",
    "alembic_config",
    "current_revision",
    "lock_for_migration",
    "migration_engine",
    "run_alembic_command",
    "upgrade_to_head",
]

logger = logging.getLogger(__name__)

MIGRATIONS_DIR: Final = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key shared by every Kindling process migrating the same database.
MIGRATION_LOCK_KEY: Final = 0x4B494E44  # "KIND"


def alembic_config(url: str) -> Config:
    """Build an Alembic :class:`~alembic.config.Config` for ``url`` without any ini file.

    Args:
        url: Any URL accepted by :func:`storage.engine.normalize_database_url`.

    Returns:
        A config whose ``script_location`` is ``storage/migrations`` and whose
        ``sqlalchemy.url`` is the normalized async URL.
    """
    normalized = normalize_database_url(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolates "%": escape it so percent-encoded passwords survive.
    config.set_main_option("sqlalchemy.url", normalized.replace("%", "%%"))
    config.attributes["database_url"] = normalized
    return config


def migration_engine(url: str) -> AsyncEngine:
    """Create the short-lived engine migrations run on.

    No pooling, and on SQLite ``foreign_keys=OFF`` (the pragma cannot change inside a
    transaction): a batch migration rebuilds a table by copy, drop and rename, and dropping
    a parent table with foreign keys on would cascade into its children. ``env.py`` runs
    ``PRAGMA foreign_key_check`` before committing instead.

    Args:
        url: Any URL accepted by :func:`storage.engine.normalize_database_url`.

    Returns:
        A new engine; the caller disposes it.
    """
    engine = build_engine(url, sqlite_foreign_keys=False, poolclass=NullPool)
    return engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})


def lock_for_migration(connection: Connection) -> None:
    """Make concurrent migrators of the same database wait for each other.

    On PostgreSQL this takes the transaction-level advisory lock :data:`MIGRATION_LOCK_KEY`
    (re-entrant, released at commit). On SQLite the migration engine's ``BEGIN IMMEDIATE``
    already holds the write lock, so there is nothing to do.

    Args:
        connection: A synchronous connection inside the migration transaction.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")


def current_revision(connection: Connection) -> str | None:
    """Return the revision the database is at (``None`` before the first migration).

    Args:
        connection: A synchronous connection (inside ``AsyncConnection.run_sync``).
    """
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _quiet_alembic() -> Iterator[None]:
    """Keep Alembic's chatty INFO lines out of the start-up log unless someone asked for them.

    Only touches the ``alembic`` logger when nobody has configured its level.
    """
    alembic_logger = logging.getLogger("alembic")
    if alembic_logger.level != logging.NOTSET:
        yield
        return
    alembic_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        alembic_logger.setLevel(logging.NOTSET)


async def _run_alembic(
    url: str, action: Callable[..., object], *args: object, **kwargs: object
) -> tuple[str | None, str | None]:
    config = alembic_config(url)
    engine = migration_engine(url)

    def run(connection: Connection) -> tuple[str | None, str | None]:
        # Serialize before Alembic starts: its `context` proxy is process-global, so even two
        # coroutines of one process must not be inside it at the same time.
        lock_for_migration(connection)
        before = current_revision(connection)
        config.attributes["connection"] = connection
        try:
            action(config, *args, **kwargs)
        finally:
            del config.attributes["connection"]
        return before, current_revision(connection)

    try:
        async with engine.begin() as connection:
            return await connection.run_sync(run)
    finally:
        await engine.dispose()


async def run_alembic_command(
    url: str, action: Callable[..., object], *args: object, **kwargs: object
) -> str | None:
    """Run an ``alembic.command`` function on ``url`` in one transaction.

    Args:
        url: Any URL accepted by :func:`storage.engine.normalize_database_url`.
        action: For example :func:`alembic.command.upgrade` or ``command.downgrade``.
        *args: Positional arguments after the config, e.g. ``"head"`` or ``"-1"``.
        **kwargs: Keyword arguments for ``action``.

    Returns:
        The revision the database is at afterwards (``None`` at base).
    """
    _, after = await _run_alembic(url, action, *args, **kwargs)
    return after


async def upgrade_to_head(url: str) -> None:
    """Bring the database schema up to the newest revision; a no-op when already there.

    Safe to call at every start-up, also from several processes at once. Logs one line.

    Args:
        url: Any URL accepted by :func:`storage.engine.normalize_database_url`.
    """
    with _quiet_alembic():
        before, after = await _run_alembic(url, command.upgrade, "head")
    shown = make_url(normalize_database_url(url))
    where = f"{shown.get_backend_name()} {shown.render_as_string(hide_password=True)}"
    if before == after:
        logger.info("database schema is current at revision %s (%s)", after, where)
    else:
        logger.info("database schema upgraded from revision %s to %s (%s)", before, after, where)
