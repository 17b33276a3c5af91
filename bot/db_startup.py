"""Start-up against a database that is not there yet: wait for it, say so once, then migrate.

A service manager starts Kindling when it likes, not when PostgreSQL is ready: a container
next to a database that is still initialising, or a host where ``After=postgresql.service``
only orders the start. Exiting would hand the wait to the supervisor, and systemd gives up on
a unit that fails five times within ten seconds (its default start limit), so a database that
takes a little longer would leave the bot stopped for good. Kindling therefore waits itself,
with the same backoff as for Telegram, logs one line when the database is unreachable and
one when it answers, and stops at once on SIGTERM. A database that refuses the login or does
not exist will not fix itself: that is a configuration error (one line, exit status 2).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.config import ConfigError
from storage.availability import DatabaseOutage, unavailable_reason
from storage.migrate import upgrade_to_head

Backoff = Callable[[float], Awaitable[None]]
Migrate = Callable[[str], Awaitable[None]]

FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 30.0

# SQLSTATEs that retrying cannot cure: invalid authorization (class 28: wrong password,
# no such role, pg_hba rejects us) and a database that does not exist.
_CONFIG_SQLSTATE_CLASSES = ("28",)
_CONFIG_SQLSTATES = frozenset({"3D000"})


async def prepare_database(
    url: str,
    stop: asyncio.Event,
    backoff: Backoff,
    *,
    outage: DatabaseOutage | None = None,
    migrate: Migrate = upgrade_to_head,
) -> bool:
    """Bring the schema to the latest revision, waiting while the database is unreachable.

    Args:
        url: The configured ``DATABASE_URL``.
        stop: Set by SIGINT/SIGTERM; ends the wait.
        backoff: Waits the given seconds between attempts (returns early when ``stop`` is
            set); tests pass one that waits no real time.
        outage: Reports the outage (one line when it starts, one when it ends); defaults to
            one on the system's monotonic clock.
        migrate: What to run once the database answers; Alembic's upgrade by default.

    Returns:
        True once migrated; False when ``stop`` was set first.

    Raises:
        ConfigError: The server refused the login or has no such database.
    """
    # The outage ends with the first successful attempt: nothing else is running yet.
    outage = outage or DatabaseOutage(settle_seconds=0.0)
    delay = FIRST_RETRY_SECONDS
    while not stop.is_set():
        try:
            await migrate(url)
        except Exception as error:
            _raise_if_misconfigured(error)
            reason = unavailable_reason(error)
            if reason is None:
                raise
            outage.failed(reason)
            await backoff(delay)
            delay = min(MAX_RETRY_SECONDS, delay * 1.5)
            continue
        outage.succeeded()
        return True
    return False


def _raise_if_misconfigured(error: BaseException) -> None:
    link: BaseException | None = error
    while link is not None:
        sqlstate = getattr(link, "sqlstate", None)
        if isinstance(sqlstate, str) and (
            sqlstate[:2] in _CONFIG_SQLSTATE_CLASSES or sqlstate in _CONFIG_SQLSTATES
        ):
            what = "does not exist" if sqlstate == "3D000" else "refused the login"
            raise ConfigError(
                f"DATABASE_URL: the PostgreSQL database {what} (SQLSTATE {sqlstate}); "
                "check the user, password and database name"
            ) from None
        orig = getattr(link, "orig", None)
        link = orig if isinstance(orig, BaseException) else link.__cause__
