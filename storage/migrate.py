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
from collections.abc import Callable
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


def current_revision(connection: Connection) -> str | None:
    """Return the revision the database is at (``None`` before the first migration).

    Args:
        connection: A synchronous connection (inside ``AsyncConnection.run_sync``).
    """
    return MigrationContext.configure(connection).get_current_revision()


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
        The revision the database is at afterwards.
    """
    config = alembic_config(url)
    engine = migration_engine(url)

    def run(connection: Connection) -> str | None:
        config.attributes["connection"] = connection
        try:
            action(config, *args, **kwargs)
        finally:
            del config.attributes["connection"]
        return current_revision(connection)

    try:
        async with engine.begin() as connection:
            return await connection.run_sync(run)
    finally:
        await engine.dispose()


async def upgrade_to_head(url: str) -> None:
    """Bring the database schema up to the newest revision; a no-op when already there.

    Safe to call at every start-up, also from several processes at once.

    Args:
        url: Any URL accepted by :func:`storage.engine.normalize_database_url`.
    """
    revision = await run_alembic_command(url, command.upgrade, "head")
    shown = make_url(normalize_database_url(url))
    logger.info(
        "database schema at revision %s (%s, %s)",
        revision,
        shown.get_backend_name(),
        shown.render_as_string(hide_password=True),
    )
