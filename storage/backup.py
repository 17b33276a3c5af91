"""Backups of a Kindling database, taken while the bot runs, and putting one back.

SQLite: :meth:`sqlite3.Connection.backup` copies a consistent snapshot in one step (in WAL
mode the bot keeps writing meanwhile), into a single self-contained file (journal mode
DELETE). PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --single-transaction``.

Every write goes to a temporary file beside its target, is checked, then renamed over it, so
a failure at any point leaves the target as it was. A file offered for restore must be a
Kindling database at a schema revision this code knows; newer ones are refused, older ones
are fine (the bot upgrades them at start-up). Whatever goes wrong is a :class:`BackupError`
with one line for the operator.

Refusing a restore while a bot runs is the caller's job (``bot.cli`` holds the SQLite
instance lock for the whole restore), since that lock lives in the ``bot`` layer.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import quote

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from storage.engine import Database, normalize_database_url, sqlite_file_path
from storage.migrate import MIGRATIONS_DIR

__all__ = [
    "BackupError",
    "BackupResult",
    "PgToolMissing",
    "backup",
    "known_revisions",
    "other_postgres_clients",
    "restore",
    "sqlite_backup_revision",
]

SQLITE_MAGIC: Final = b"SQLite format 3\x00"
PG_DUMP_MAGIC: Final = b"PGDMP"
PREVIOUS_SUFFIX: Final = ".before-restore"
_PG_TIMEOUT_S: Final = 3600


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line for the operator."""


class PgToolMissing(BackupError):
    """``pg_dump`` / ``pg_restore`` is not on PATH; the message says how to run it by hand."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup or restore did.

    Attributes:
        path: The file written (the backup, or the restored SQLite database).
        revision: The schema revision the copied database is at.
        size: Bytes written.
        previous: Where the database that was replaced is kept (SQLite restore only).
    """

    path: Path
    revision: str
    size: int
    previous: Path | None = None


def known_revisions() -> frozenset[str]:
    """Every schema revision this version of Kindling has a migration for."""
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    return frozenset(script.revision for script in scripts.walk_revisions())


def backup(database_url: str, target: Path) -> BackupResult:
    """Copy the database at ``database_url`` to ``target``, consistently, while it is in use.

    Args:
        database_url: The configured ``DATABASE_URL``.
        target: The backup file to write (replaced atomically if it exists).

    Returns:
        What was written.

    Raises:
        BackupError: Nothing to back up, the target cannot be written, or the copy failed
            its check; :class:`PgToolMissing` when PostgreSQL's ``pg_dump`` is not on PATH.
    """
    url, database = _target(database_url, "back up")
    if database is not None:
        return _backup_sqlite(database, target)
    return _backup_postgres(url, target)


def restore(database_url: str, source: Path) -> BackupResult:
    """Replace the database at ``database_url`` with the backup ``source``.

    The caller makes sure no bot uses the database meanwhile. On SQLite the database that
    is replaced stays beside it as ``<file>.before-restore``.

    Args:
        database_url: The configured ``DATABASE_URL``.
        source: A file written by :func:`backup` (or by ``pg_dump --format=custom``).

    Returns:
        What was restored.

    Raises:
        BackupError: ``source`` is not a Kindling backup, is at a schema revision this code
            does not know, or cannot be read; the database is then left untouched.
    """
    url, database = _target(database_url, "restore")
    if database is not None:
        return _restore_sqlite(source, database)
    return _restore_postgres(url, source)


def _target(database_url: str, what: str) -> tuple[URL, Path | None]:
    """The parsed URL and, for SQLite, its file (None means PostgreSQL)."""
    url = _parse(database_url)
    if url.get_backend_name() != "sqlite":
        return url, None
    database = sqlite_file_path(url)
    if database is None:
        raise BackupError(f"DATABASE_URL is an in-memory SQLite database: nothing to {what}")
    return url, database


def _parse(database_url: str) -> URL:
    try:
        return make_url(normalize_database_url(database_url))
    except ValueError as error:
        raise BackupError(f"DATABASE_URL: {error}") from None


def _why(error: OSError) -> str:
    return error.strerror or type(error).__name__


# ----------------------------------------------------------------------------------- SQLite


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """Open an existing file only (``mode=rw`` or ``ro``: never create a stray empty one)."""
    uri = f"file:{quote(str(path.absolute()))}?mode={mode}"
    connection = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 30000")
    return connection


def sqlite_backup_revision(path: Path) -> str:
    """Check that ``path`` is an intact Kindling SQLite database this code can run.

    Args:
        path: The file to look at; it is only read.

    Returns:
        Its schema revision.

    Raises:
        BackupError: It cannot be read, is not SQLite, fails SQLite's quick check, has no
            Alembic revision, or has one this version of Kindling does not know.
    """
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_MAGIC))
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file") from None
    except OSError as error:
        raise BackupError(f"cannot read {path}: {_why(error)}") from None
    if header.startswith(PG_DUMP_MAGIC):
        raise BackupError(
            f"{path} is a PostgreSQL dump; restore it with DATABASE_URL set to PostgreSQL"
        )
    if header != SQLITE_MAGIC:
        raise BackupError(f"{path} is not a SQLite database, so not a Kindling backup")
    try:
        with contextlib.closing(_connect(path, "ro")) as connection:
            check = connection.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise BackupError(f"{path} is a damaged SQLite database (quick_check failed)")
            tables = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if tables is None:
                raise BackupError(f"{path} is a SQLite database but not a Kindling one")
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a usable SQLite database ({error})") from None
    return _checked_revision(path, [str(row[0]) for row in rows])


def _checked_revision(path: Path | str, revisions: list[str]) -> str:
    if len(revisions) != 1:
        raise BackupError(f"{path} is not a Kindling database (no single schema revision)")
    revision = revisions[0]
    if revision not in known_revisions():
        raise BackupError(
            f"{path} has schema revision {revision!r}, which this Kindling does not know "
            "(a newer version made it?): upgrade Kindling, then restore"
        )
    return revision


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """A new empty 0600 file in ``target``'s folder, removed unless renamed away."""
    if target.is_dir():
        raise BackupError(f"{target} is a folder; name the backup file, e.g. {target}/kindling.db")
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except FileNotFoundError:
        raise BackupError(f"cannot write {target}: its folder does not exist") from None
    except OSError as error:
        raise BackupError(f"cannot write {target}: {_why(error)}") from None
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def _copy_sqlite(source: sqlite3.Connection, temporary: Path, target: Path) -> None:
    """Copy ``source`` into ``temporary`` in one step, as a standalone (non-WAL) file."""
    try:
        with contextlib.closing(_connect(temporary, "rw")) as copy:
            # pages=-1 (the default): the whole database under one read transaction, so the
            # copy is one consistent snapshot; WAL lets the bot keep writing meanwhile.
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError as error:
        raise BackupError(f"cannot write {target}: {error}") from None
    _fsync(temporary)


def _publish(temporary: Path, target: Path) -> int:
    """Rename a checked temporary file over ``target`` and make the rename durable."""
    size = temporary.stat().st_size
    try:
        os.replace(temporary, target)
    except OSError as error:
        raise BackupError(f"cannot write {target}: {_why(error)}") from None
    _fsync(target.parent)
    return size


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup_sqlite(database: Path, target: Path) -> BackupResult:
    if not database.is_file():
        raise BackupError(f"no database at {database} (has the bot run once with this URL?)")
    if target.exists() and target.resolve() == database.resolve():
        raise BackupError(f"{target} is the database itself; choose another file")
    sqlite_backup_revision(database)
    with _temporary_beside(target) as temporary:
        try:
            source = _connect(database, "rw")
        except sqlite3.Error as error:
            raise BackupError(f"cannot open {database}: {error}") from None
        with contextlib.closing(source):
            _copy_sqlite(source, temporary, target)
        revision = sqlite_backup_revision(temporary)
        size = _publish(temporary, target)
    return BackupResult(target, revision, size)


def _restore_sqlite(source: Path, database: Path) -> BackupResult:
    if database.exists() and source.exists() and source.resolve() == database.resolve():
        raise BackupError(f"{source} is the database itself; nothing to restore")
    sqlite_backup_revision(source)
    folder = database.absolute().parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    with _temporary_beside(database) as temporary:
        with contextlib.closing(_connect(source, "ro")) as backup_file:
            _copy_sqlite(backup_file, temporary, database)
        revision = sqlite_backup_revision(temporary)
        previous = _set_aside(database)
        size = _publish(temporary, database)
    return BackupResult(database, revision, size, previous)


def _set_aside(database: Path) -> Path | None:
    """Fold the old database's WAL into it and keep it (hard-linked) as ``.before-restore``.

    A ``-wal`` left by a bot that crashed would otherwise be replayed onto the restored file
    by the next connection: it belongs to the old database, so it is checkpointed into that
    one (and removed) before the rename.
    """
    if not database.exists():
        return None
    try:
        with contextlib.closing(_connect(database, "rw")) as old:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            old.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError:
        pass  # not a database we can open: keep it as it is, beside the restored one
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    previous = database.with_name(database.name + PREVIOUS_SUFFIX)
    previous.unlink(missing_ok=True)
    try:
        os.link(database, previous)
    except OSError:
        shutil.copy2(database, previous)  # a filesystem without hard links
    return previous


# ------------------------------------------------------------------------------- PostgreSQL


async def other_postgres_clients(database_url: str) -> int:
    """How many other sessions (a running bot, say) are connected to this PostgreSQL database.

    Args:
        database_url: A PostgreSQL ``DATABASE_URL``.

    Returns:
        The number of connections to the same database besides this one.
    """
    database = Database(database_url, poolclass=NullPool)
    try:
        async with database.engine.connect() as connection:
            result = await connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
            )
            return int(result.scalar_one())
    except SQLAlchemyError as error:
        raise BackupError(
            f"DATABASE_URL: cannot reach PostgreSQL ({type(error).__name__})"
        ) from None
    finally:
        await database.dispose()


def _libpq_environment(url: URL) -> dict[str, str]:
    """Connection settings as libpq variables, so the password never shows in ``ps``."""
    env = {
        "PGHOST": url.host or "",
        "PGPORT": str(url.port or ""),
        "PGUSER": url.username or "",
        "PGDATABASE": url.database or "",
    }
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    ssl = url.query.get("ssl")
    if isinstance(ssl, str):
        env["PGSSLMODE"] = ssl
    return {key: value for key, value in env.items() if value}


def _shown(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def _tool(name: str, url: URL, by_hand: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise PgToolMissing(
            f"{name} is not on PATH; run it where PostgreSQL's client tools are (password "
            f"from PGPASSWORD or ~/.pgpass): {by_hand}'{_shown(url).replace(':***@', '@')}'"
        )
    return found


def _run_tool(arguments: list[str], url: URL, what: str) -> str:
    env: Mapping[str, str] = {**os.environ, **_libpq_environment(url)}
    try:
        done = subprocess.run(  # noqa: S603 (a fixed tool and our own arguments)
            arguments, env=env, capture_output=True, text=True, timeout=_PG_TIMEOUT_S
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(f"{what} failed: {error}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        last = lines[-1].strip() if lines else f"exit status {done.returncode}"
        raise BackupError(f"{what} failed: {last}")
    return done.stdout


def _backup_postgres(url: URL, target: Path) -> BackupResult:
    pg_dump = _tool("pg_dump", url, f"pg_dump --format=custom --file={target} --dbname=")
    with _temporary_beside(target) as temporary:
        _run_tool(
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={temporary}"],
            url,
            "pg_dump",
        )
        _fsync(temporary)
        revision = _dump_revision(temporary, url)
        size = _publish(temporary, target)
    return BackupResult(target, revision, size)


_COPY_VERSION = re.compile(r"^COPY (?:\w+\.)?alembic_version \(version_num\) FROM stdin;$")


def _dump_revision(path: Path, url: URL) -> str:
    """The schema revision inside a pg_dump custom-format file (checked like SQLite's)."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_MAGIC))
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file") from None
    except OSError as error:
        raise BackupError(f"cannot read {path}: {_why(error)}") from None
    if header == SQLITE_MAGIC:
        raise BackupError(f"{path} is a SQLite backup; restore it with DATABASE_URL set to SQLite")
    if not header.startswith(PG_DUMP_MAGIC):
        raise BackupError(f"{path} is not a pg_dump custom-format file, so not a Kindling backup")
    pg_restore = _tool("pg_restore", url, f"pg_restore --list {path} --dbname=")
    sql = _run_tool(
        [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(path)],
        url,
        "pg_restore",
    )
    rows: list[str] = []
    lines = iter(sql.splitlines())
    for line in lines:
        if _COPY_VERSION.match(line.strip()):
            for row in lines:
                if row.strip() == "\\.":
                    break
                rows.append(row.strip())
            break
    return _checked_revision(path, rows)


def _restore_postgres(url: URL, source: Path) -> BackupResult:
    revision = _dump_revision(source, url)
    pg_restore = _tool(
        "pg_restore",
        url,
        f"pg_restore --clean --if-exists --no-owner --single-transaction {source} --dbname=",
    )
    # One transaction: either the whole backup is in, or the database is as it was.
    _run_tool(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url.database}",
            str(source),
        ],
        url,
        "pg_restore",
    )
    return BackupResult(source, revision, source.stat().st_size)
