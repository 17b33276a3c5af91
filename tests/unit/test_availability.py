"""Which errors mean "the database is away", and the outage tracker's one line per outage."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from bot.config import ConfigError
from bot.db_startup import prepare_database
from storage.availability import DatabaseOutage, unavailable_reason

# -- unavailable_reason ------------------------------------------------------------------------


def real_sqlite_error(tmp_path: Path, statement: str) -> BaseException:
    """The exception SQLAlchemy raises for ``statement`` on a real, small SQLite file."""
    engine = create_engine(f"sqlite:///{tmp_path / 'u.db'}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA max_page_count = 3")
            connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (x TEXT UNIQUE)")
            connection.exec_driver_sql("INSERT OR IGNORE INTO t VALUES ('one')")
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA max_page_count = 3")
            connection.execute(text(statement))
    except Exception as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError(f"{statement!r} did not fail")


def test_a_full_sqlite_database_is_unavailable(tmp_path: Path) -> None:
    error = real_sqlite_error(tmp_path, "INSERT INTO t VALUES (printf('%.*c', 20000, 'x'))")
    assert isinstance(error, OperationalError)
    assert "database or disk is full" in str(error)
    assert unavailable_reason(error) == "SQLITE_FULL"


def test_a_locked_sqlite_database_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        waiter = sqlite3.connect(path, timeout=0)
        with pytest.raises(sqlite3.OperationalError) as caught:
            waiter.execute("INSERT INTO t VALUES (1)")
        waiter.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert unavailable_reason(caught.value) == "SQLITE_BUSY"


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO t VALUES ('one')",  # a constraint: a bug or a race, not an outage
        "SELECT * FROM no_such_table",  # SQLITE_ERROR, with the table's name in its message
    ],
)
def test_sqlite_errors_that_are_bugs_are_not_outages(tmp_path: Path, statement: str) -> None:
    assert unavailable_reason(real_sqlite_error(tmp_path, statement)) is None


def wrapped(orig: BaseException, *, invalidated: bool = False) -> DBAPIError:
    """``orig`` wrapped the way SQLAlchemy wraps a driver error (and chained to it)."""
    error = DBAPIError.instance(
        "SELECT 1", None, orig, Exception, connection_invalidated=invalidated
    )
    assert isinstance(error, DBAPIError)
    error.__cause__ = orig
    return error


@pytest.mark.parametrize(
    ("orig", "reason"),
    [
        (asyncpg.exceptions.AdminShutdownError("terminating connection"), "SQLSTATE 57P01"),
        (asyncpg.exceptions.CannotConnectNowError("starting up"), "SQLSTATE 57P03"),
        (asyncpg.exceptions.ConnectionDoesNotExistError("closed"), "SQLSTATE 08003"),
        (asyncpg.exceptions.DiskFullError("no space left"), "SQLSTATE 53100"),
        (asyncpg.exceptions.TooManyConnectionsError("too many"), "SQLSTATE 53300"),
    ],
)
def test_postgres_outages_by_sqlstate(orig: BaseException, reason: str) -> None:
    assert unavailable_reason(wrapped(orig)) == reason
    assert unavailable_reason(orig) == reason


def test_a_connection_sqlalchemy_invalidated_is_lost() -> None:
    # What a terminated backend looks like mid-statement with asyncpg: a client-side error
    # that the dialect recognises as a disconnect.
    orig = asyncpg.exceptions._base.InternalClientError("cannot switch to state 12")
    assert unavailable_reason(wrapped(orig, invalidated=True)) == "connection lost"
    assert unavailable_reason(wrapped(orig)) is None


def test_postgres_bugs_are_not_outages() -> None:
    orig = asyncpg.exceptions.UniqueViolationError("duplicate key value (Ana's words)")
    error = IntegrityError("INSERT ...", None, orig)
    assert unavailable_reason(error) is None
    assert unavailable_reason(asyncpg.exceptions.InvalidCatalogNameError("no db")) is None


def test_the_pool_running_dry_is_unavailable() -> None:
    assert unavailable_reason(PoolTimeoutError("QueuePool limit reached")) == (
        "connection pool timeout"
    )


async def test_a_refused_connection_counts_only_when_a_driver_raised_it() -> None:
    with pytest.raises(ConnectionRefusedError) as caught:
        await asyncpg.connect("postgresql://x@127.0.0.1:1/x", timeout=5)
    assert unavailable_reason(caught.value) == type(caught.value).__name__

    # The same exception type from a handler's own code is a bug, reported as one.
    with pytest.raises(ConnectionRefusedError) as own:
        raise ConnectionRefusedError(111, "Connect call failed")
    assert unavailable_reason(own.value) is None
    assert unavailable_reason(ValueError("I feel sad")) is None


def test_the_reason_never_carries_the_drivers_message(tmp_path: Path) -> None:
    error = real_sqlite_error(tmp_path, "INSERT INTO t VALUES (printf('%.*c', 20000, 'y'))")
    reason = unavailable_reason(error)
    assert reason is not None
    assert "full" not in reason
    assert "INSERT" not in reason


# -- DatabaseOutage ----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 500.0
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "storage.availability"]


def test_many_failures_of_one_outage_give_one_line(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    outage = DatabaseOutage(clock)
    for _ in range(100):
        outage.failed("SQLITE_BUSY")
        clock.now += 1
    assert logged(caplog) == ["database unavailable (SQLITE_BUSY); retrying until it answers"]
    assert (outage.failures, outage.outages) == (100, 1)
    assert outage.down


def test_the_outage_ends_after_answering_for_the_settle_time(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    outage = DatabaseOutage(clock, settle_seconds=30)
    outage.failed("connection lost")
    clock.now += 12
    outage.succeeded()  # first answer, 12 s after the first failure
    clock.now += 29
    outage.succeeded()
    assert outage.down_since is not None  # not yet settled
    clock.now += 1
    outage.succeeded()
    assert not outage.down
    assert logged(caplog)[1:] == [
        "database answering again after 12 s (1 failed while it was away)"
    ]


def test_a_failure_while_settling_keeps_the_same_outage(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    # A locked SQLite file still serves reads: commits and failed writes alternate.
    caplog.set_level(logging.INFO)
    outage = DatabaseOutage(clock, settle_seconds=30)
    for _ in range(10):
        outage.failed("SQLITE_BUSY")
        clock.now += 20
        outage.succeeded()
        clock.now += 20
    assert outage.outages == 1
    assert len(logged(caplog)) == 1
    clock.now += 30
    outage.succeeded()
    assert (
        logged(caplog)[1] == "database answering again after 380 s (10 failed while it was away)"
    )


def test_a_failure_long_after_the_database_answered_is_a_new_outage(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    # No commit came after the settle time to close the first outage; the second failure
    # closes it first, so each outage still gets its own pair of lines.
    caplog.set_level(logging.INFO)
    outage = DatabaseOutage(clock, settle_seconds=30)
    outage.failed("SQLITE_FULL")
    clock.now += 5
    outage.succeeded()
    clock.now += 3600
    outage.failed("SQLITE_IOERR_WRITE")
    assert outage.outages == 2
    assert outage.failures == 1
    assert logged(caplog) == [
        "database unavailable (SQLITE_FULL); retrying until it answers",
        "database answering again after 5 s (1 failed while it was away)",
        "database unavailable (SQLITE_IOERR_WRITE); retrying until it answers",
    ]


def test_success_without_an_outage_costs_no_clock_read(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    outage = DatabaseOutage(clock)
    for _ in range(1000):
        outage.succeeded()  # called on every commit
    assert clock.reads == 0
    assert logged(caplog) == []


# -- start-up: prepare_database ----------------------------------------------------------------


class Backoff:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.now += seconds
        await asyncio.sleep(0)


async def refused(_url: str) -> None:
    await asyncpg.connect("postgresql://x@127.0.0.1:1/x", timeout=5)


async def test_startup_retries_with_growing_backoff_and_logs_one_line_per_outage(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    attempts: list[str] = []

    async def migrate(url: str) -> None:
        attempts.append(url)
        if len(attempts) <= 12:
            await refused(url)

    backoff = Backoff(clock)
    outage = DatabaseOutage(clock, settle_seconds=0)
    assert await prepare_database(
        "db-url", asyncio.Event(), backoff, outage=outage, migrate=migrate
    )
    assert len(attempts) == 13
    assert backoff.delays == pytest.approx(
        [1.0, 1.5, 2.25, 3.375, 5.0625, 7.59375, 11.390625, 17.0859375, 25.62890625] + [30.0] * 3
    )
    started, ended = logged(caplog)
    assert started.startswith("database unavailable (")
    assert ended == "database answering again after 165 s (12 failed while it was away)"


async def test_startup_stops_waiting_when_asked(clock: Clock) -> None:
    stop = asyncio.Event()

    async def backoff(_seconds: float) -> None:
        stop.set()  # SIGTERM during the wait

    assert not await prepare_database("db-url", stop, backoff, migrate=refused)


async def test_a_missing_database_is_a_configuration_error() -> None:
    async def migrate(_url: str) -> None:
        raise wrapped(asyncpg.exceptions.InvalidCatalogNameError('"kindling" does not exist'))

    with pytest.raises(ConfigError) as caught:
        await prepare_database("db-url", asyncio.Event(), Backoff(Clock()), migrate=migrate)
    assert str(caught.value) == (
        "DATABASE_URL: the PostgreSQL database does not exist (SQLSTATE 3D000); "
        "check the user, password and database name"
    )


async def test_a_refused_login_is_a_configuration_error() -> None:
    async def migrate(_url: str) -> None:
        raise asyncpg.exceptions.InvalidPasswordError("password authentication failed")

    with pytest.raises(ConfigError, match=r"refused the login \(SQLSTATE 28P01\)"):
        await prepare_database("db-url", asyncio.Event(), Backoff(Clock()), migrate=migrate)


async def test_a_bug_during_migration_is_not_retried() -> None:
    async def migrate(_url: str) -> None:
        raise KeyError("revision")

    backoff = Backoff(Clock())
    with pytest.raises(KeyError):
        await prepare_database("db-url", asyncio.Event(), backoff, migrate=migrate)
    assert backoff.delays == []
