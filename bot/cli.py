"""The `kindling` command (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings
from bot.logging_setup import configure_logging
from bot.runner import install_signal_handlers, serve

EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="kindling", description="A daily kindness companion.")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run"],
        help="run the bot (default); without TELEGRAM_BOT_TOKEN it starts the local sandbox",
    )
    parser.parse_args(argv)
    # Opt in to python-telegram-bot's timedelta durations (RetryAfter.retry_after and friends),
    # which silences its deprecation warning and is the behaviour of its next major version.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    try:
        settings = load_settings()
        configure_logging(settings.log_level, _secrets(settings))
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


def _secrets(settings: Settings) -> list[str]:
    values = [settings.telegram_bot_token, settings.webhook_secret]
    return [v.get_secret_value() for v in values if v is not None]


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())
