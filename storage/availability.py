"""Tell a database that is away (down, locked, full) from a bug, and report outages once.

A handler that meets an outage should get a calm "please try again" for the person and one
log line for the operator, however many updates fail meanwhile; a bug (a constraint violated,
a missing table) must still be reported as a bug. :func:`unavailable_reason` makes that call
from the exception alone, and :class:`DatabaseOutage` turns many failures into one line when
the outage starts and one when it ends.

Reasons are fixed labels (``SQLITE_BUSY``, ``SQLSTATE 57P01``, ``connection lost``, an
exception type): driver messages can quote SQL parameters, which may be words a person wrote,
so they never reach a log.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Final

from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

__all__ = ["DEFAULT_SETTLE_SECONDS", "DatabaseOutage", "unavailable_reason"]

logger = logging.getLogger(__name__)

# Primary SQLite result codes that mean "the database cannot take this write now" rather than
# "this statement is wrong": busy/locked past the busy timeout, out of memory, read-only
# file, I/O error (a full file system or a file-size limit shows up here), disk full, cannot
# open the file, and the WAL's lock protocol failing under contention.
_SQLITE_UNAVAILABLE: Final = {
    5: "SQLITE_BUSY",
    6: "SQLITE_LOCKED",
    7: "SQLITE_NOMEM",
    8: "SQLITE_READONLY",
    10: "SQLITE_IOERR",
    13: "SQLITE_FULL",
    14: "SQLITE_CANTOPEN",
    15: "SQLITE_PROTOCOL",
}

# PostgreSQL SQLSTATE classes and codes of an unavailable server: connection exceptions,
# insufficient resources (disk full, out of memory, too many connections), operator
# intervention (admin/crash shutdown, cannot connect now) and system errors (I/O).
_SQLSTATE_CLASSES: Final = ("08", "53", "58")
_SQLSTATE_CODES: Final = frozenset({"57P01", "57P02", "57P03", "57P05"})

# Raw socket errors count only when they were raised inside a database driver, so that an
# unrelated OSError in a handler is still reported as a bug.
_DRIVER_PATHS: Final = ("/sqlalchemy/", "/asyncpg/", "/aiosqlite/")

DEFAULT_SETTLE_SECONDS: Final = 30.0


def unavailable_reason(error: BaseException) -> str | None:
    """Whether ``error`` means the database is unavailable, and a fixed label saying why.

    Args:
        error: Any exception, typically one a handler raised.

    Returns:
        A short label that never contains the driver's message (``"SQLITE_BUSY"``,
        ``"SQLSTATE 57P01"``, ``"connection lost"``, ``"ConnectionRefusedError"``...), or
        ``None`` when the error is not an outage (a bug, a constraint, anything else).
    """
    for link in _chain(error):
        if isinstance(link, sqlite3.Error):
            code = getattr(link, "sqlite_errorcode", None)
            if isinstance(code, int) and code & 0xFF in _SQLITE_UNAVAILABLE:
                # The extended name (SQLITE_IOERR_WRITE) when sqlite3 knows it.
                name = getattr(link, "sqlite_errorname", None)
                return str(name) if name else _SQLITE_UNAVAILABLE[code & 0xFF]
            return None
        sqlstate = getattr(link, "sqlstate", None)
        if isinstance(sqlstate, str) and (
            sqlstate[:2] in _SQLSTATE_CLASSES or sqlstate in _SQLSTATE_CODES
        ):
            return f"SQLSTATE {sqlstate}"
        if isinstance(link, DBAPIError) and link.connection_invalidated:
            # SQLAlchemy's dialect recognised a dropped connection (a terminated backend).
            return "connection lost"
        if isinstance(link, DisconnectionError):
            return "connection lost"
        if isinstance(link, PoolTimeoutError):
            return "connection pool timeout"
        if isinstance(link, OSError | TimeoutError) and _raised_in_driver(link):
            return type(link).__name__
    return None


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver error SQLAlchemy wraps, and their causes, each once."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        link = pending.pop(0)
        if id(link) in seen:
            continue
        seen.add(id(link))
        yield link
        orig = getattr(link, "orig", None)
        for following in (orig, link.__cause__, link.__context__):
            if isinstance(following, BaseException):
                pending.append(following)


def _raised_in_driver(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return any(marker in frame.filename for frame in frames for marker in _DRIVER_PATHS)


class DatabaseOutage:
    """Shared outage state for one database: one log line when it starts, one when it ends.

    An outage starts at the first failure. It ends once the database has answered (a commit,
    reported through :meth:`succeeded`) for ``settle_seconds`` without a failure in between,
    so a locked SQLite file that still serves reads does not open a new outage with every
    write that fails.

    Args:
        monotonic: The clock (seconds); tests inject one they move by hand.
        settle_seconds: How long the database must answer before the outage counts as over.
    """

    def __init__(
        self,
        monotonic: Callable[[], float] = time.monotonic,
        *,
        settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    ) -> None:
        self._monotonic = monotonic
        self._settle_seconds = settle_seconds
        self.down_since: float | None = None
        self._answering_since: float | None = None
        self.failures = 0  # in the current outage
        self.outages = 0  # since the process started

    @property
    def down(self) -> bool:
        """Whether an outage is in progress (started and not yet settled)."""
        self._close_if_settled(self._monotonic())
        return self.down_since is not None

    def failed(self, reason: str) -> None:
        """Record a unit of work that failed because the database is unavailable.

        Args:
            reason: A fixed label from :func:`unavailable_reason`, never a driver message.
        """
        now = self._monotonic()
        self._close_if_settled(now)
        if self.down_since is None:
            self.down_since = now
            self.failures = 0
            self.outages += 1
            logger.warning("database unavailable (%s); retrying until it answers", reason)
        self.failures += 1
        self._answering_since = None

    def succeeded(self) -> None:
        """Record that the database answered (cheap when there is no outage)."""
        if self.down_since is None:
            return
        now = self._monotonic()
        if self._answering_since is None:
            self._answering_since = now
        self._close_if_settled(now)

    def _close_if_settled(self, now: float) -> None:
        if self.down_since is None or self._answering_since is None:
            return
        if now - self._answering_since < self._settle_seconds:
            return
        seconds = self._answering_since - self.down_since
        logger.warning(
            "database answering again after %.0f s (%d failed while it was away)",
            seconds,
            self.failures,
        )
        self.down_since = None
        self._answering_since = None
