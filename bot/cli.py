"""The `kindling` command (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings, load_settings
from bot.health import probe
from bot.instance_lock import AlreadyRunning, InstanceLock
from bot.kindness.helplines import CHECK_EVERY, stale_entries
from bot.logging_setup import configure_logging
from bot.runner import install_signal_handlers, serve
from scheduler.clock import Clock, SystemClock
from scheduler.ledger import today_counts
from storage.backup import (
    BackupError,
    BackupResult,
    PgToolMissing,
    backup,
    other_postgres_clients,
    restore,
)
from storage.engine import Database

EXIT_CONFIG = 2
EXIT_UNHEALTHY = 1  # Docker's HEALTHCHECK reserves 2, so `healthcheck` never exits with it


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="kindling", description="A daily kindness companion.")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "status", "healthcheck", "backup", "restore"],
        help="run the bot (default; without TELEGRAM_BOT_TOKEN it starts the local sandbox), "
        "print today's prompt counts per delivery state (status), ask the running bot's "
        "/healthz on HEALTH_PORT (healthcheck: exit status 0 healthy, 1 not), copy the "
        "database to FILE while the bot runs (backup FILE), or put a backup back while no bot "
        "runs (restore FILE)",
    )
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE", help="for backup/restore")
    args = parser.parse_args(argv)
    if (args.command in ("backup", "restore")) != (args.file is not None):
        parser.error("FILE goes with backup and restore only, and they need one")
    # Opt in to python-telegram-bot's timedelta durations (RetryAfter.retry_after and friends),
    # which silences its deprecation warning and is the behaviour of its next major version.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    if args.command == "healthcheck":
        return healthcheck()
    try:
        settings = load_settings()
        configure_logging(settings.log_level, _secrets(settings), fmt=settings.log_format)
        if args.command == "status":
            print(asyncio.run(status_report(settings.database_url, SystemClock())))
            return 0
        if args.command == "backup":
            return _report(lambda: backup(settings.database_url, args.file), "backed up to")
        if args.command == "restore":
            return _report(lambda: _restore(settings.database_url, args.file), "restored")
        return asyncio.run(_run(settings))
    except ConfigError as exc:
        print(f"kindling: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


async def _run(settings: Settings) -> int:
    stop = asyncio.Event()
    install_signal_handlers(stop)
    if settings.sandbox:
        from bot.sandbox.terminal import run_sandbox  # only needed without a token

        exit_status: int = await run_sandbox(settings, stop)
        return exit_status
    await serve(settings, stop)
    return 0


async def status_report(database_url: str, clock: Clock) -> str:
    """The prompt rows of each person's local today, counted per delivery state, as a table."""
    now = clock.now()
    db = Database(database_url)
    try:
        async with db.session() as session:
            counts = await today_counts(session, now)
    except SQLAlchemyError as error:
        raise ConfigError(
            f"DATABASE_URL: cannot read the prompt ledger ({type(error).__name__}); "
            "has the bot run once against this database?"
        ) from None
    finally:
        await db.dispose()
    lines = [f"prompts for each person's local today (at {now:%Y-%m-%d %H:%M} UTC), by state:"]
    lines += [f"  {state.value:<13}{count:>9}" for state, count in counts.items()]
    lines.append(f"  {'total':<13}{sum(counts.values()):>9}")
    lines += helplines_report(now.date())
    return "\n".join(lines)


def helplines_report(today: date) -> list[str]:
    """The crisis-line entries due for a fresh check against their source (docs/helplines.md).

    Args:
        today: The date to measure from (the injected clock's).
    """
    stale = stale_entries(today)
    if not stale:
        days = CHECK_EVERY.days
        return [f"helplines: every entry was checked against its source in the last {days} days"]
    lines = [f"helplines: {len(stale)} entries checked more than 12 months ago, check again:"]
    lines += [f"  {e.country}  {e.name:<40} checked {e.checked.isoformat()}" for e in stale]
    return lines


def healthcheck(env_file: str | None = ".env") -> int:
    """Ask the running bot's ``/healthz`` and print one line; 0 when healthy, 1 otherwise.

    For systemd and container health checks: a setting that is wrong or missing is
    unhealthy too (exit 1, never 2, which Docker reserves).
    """
    try:
        settings = load_settings(env_file)
    except ConfigError as exc:
        print(f"kindling: unhealthy: {exc}")
        return EXIT_UNHEALTHY
    if settings.health_port is None:
        print("kindling: unhealthy: HEALTH_PORT is not set, so the bot serves no health checks")
        return EXIT_UNHEALTHY
    result = probe(settings.health_listen, settings.health_port)
    print(f"kindling: {'healthy' if result.ok else 'unhealthy'}: {result.detail}")
    return 0 if result.ok else EXIT_UNHEALTHY


def _report(work: Callable[[], BackupResult], done: str) -> int:
    """Run a backup or restore and print one line about it; exit status 2 when refused."""
    try:
        outcome = work()
    except PgToolMissing as exc:
        print(f"kindling: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except BackupError as exc:
        print(f"kindling: {exc}; nothing was changed", file=sys.stderr)
        return EXIT_CONFIG
    kept = f"; the database it replaced is kept as {outcome.previous}" if outcome.previous else ""
    print(
        f"kindling: {done} {outcome.path} (schema revision {outcome.revision}, "
        f"{outcome.size:,} bytes){kept}"
    )
    return 0


def _restore(database_url: str, source: Path) -> BackupResult:
    """Restore while holding the instance lock, so that no bot starts (or runs) meanwhile."""
    lock = InstanceLock(database_url)
    try:
        lock.acquire()
    except AlreadyRunning:
        raise BackupError(
            "a running Kindling holds this database; stop it, then restore"
        ) from None
    try:
        if lock.path is None:  # PostgreSQL: no file lock, so look for connected clients
            others = asyncio.run(other_postgres_clients(database_url))
            if others:
                raise BackupError(
                    f"{others} other client(s), a running Kindling perhaps, are connected to "
                    "this database; stop them, then restore"
                )
        return restore(database_url, source)
    finally:
        lock.release()


def _secrets(settings: Settings) -> list[str]:
    values = [settings.telegram_bot_token, settings.webhook_secret]
    return [v.get_secret_value() for v in values if v is not None]


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())
