"""The `kindling` command (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings, load_settings
from bot.logging_setup import configure_logging
from bot.runner import install_signal_handlers, serve
from scheduler.clock import Clock, SystemClock
from scheduler.ledger import today_counts
from storage.engine import Database

EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="kindling", description="A daily kindness companion.")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "status"],
        help="run the bot (default; without TELEGRAM_BOT_TOKEN it starts the local sandbox), "
        "or print today's prompt counts per delivery state (status)",
    )
    args = parser.parse_args(argv)
    # Opt in to python-telegram-bot's timedelta durations (RetryAfter.retry_after and friends),
    # which silences its deprecation warning and is the behaviour of its next major version.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    try:
        settings = load_settings()
        configure_logging(settings.log_level, _secrets(settings))
        if args.command == "status":
            print(asyncio.run(status_report(settings.database_url, SystemClock())))
            return 0
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
    return "\n".join(lines)


def _secrets(settings: Settings) -> list[str]:
    values = [settings.telegram_bot_token, settings.webhook_secret]
    return [v.get_secret_value() for v in values if v is not None]


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())
