"""Alembic environment for Kindling (async engines, SQLite batch mode, one transaction).

Two ways in:

* ``storage.migrate`` puts an open synchronous connection (already inside a transaction)
  into ``config.attributes["connection"]``; migrations run on it and the caller commits.
* The ``alembic`` command line (``-c storage/alembic.ini``): the URL comes from
  ``sqlalchemy.url`` if set, else ``DATABASE_URL``; an async engine is created here.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from storage.migrate import lock_for_migration, migration_engine
from storage.models import StrEnumType, UTCDateTime, metadata

config = context.config


def _database_url() -> str:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise RuntimeError("no database URL: set DATABASE_URL (e.g. sqlite:///data/kindling.db)")
    return str(url)


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our column types as plain SQLAlchemy types, so revisions never import models."""
    if type_ == "type":
        if isinstance(obj, UTCDateTime):
            return "sa.DateTime(timezone=True)"
        if isinstance(obj, StrEnumType):
            return f"sa.String(length={obj.length})"
    return False


def _run_migrations(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=is_sqlite,
        render_item=_render_item,
        compare_type=True,
        # Our SQLite engine emits BEGIN itself, so DDL there is transactional too.
        transactional_ddl=True,
    )
    lock_for_migration(connection)  # serialize concurrent start-ups; released at commit
    with context.begin_transaction():
        context.run_migrations()
        if is_sqlite:
            # Foreign keys are off while migrating (see storage.migrate.migration_engine).
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if problems:
                raise RuntimeError(f"migration left foreign key violations: {problems[:5]}")


async def _run_async_migrations(url: str) -> None:
    engine = migration_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``alembic upgrade head --sql``)."""
    url = _database_url()
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        render_item=_render_item,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on the shared connection, or on a new engine from the command line."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_migrations(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    asyncio.run(_run_async_migrations(_database_url()))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
