"""Logs never show secrets, and httpx's URL logging is silenced."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED  # type: ignore[import-untyped]

from bot.logging_setup import REDACTED, configure_logging

TOKEN = "123456:" + "S" * 35


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.NOTSET)
    logging.getLogger("httpcore").setLevel(logging.NOTSET)


@pytest.mark.usefixtures("restore_logging")
def test_token_is_redacted_everywhere_even_in_tracebacks() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", [TOKEN], stream)
    log = logging.getLogger("kindling.test")
    log.debug("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"failed on {TOKEN}")
    except RuntimeError:
        log.exception("boom")
    output = stream.getvalue()
    assert TOKEN not in output
    assert output.count(REDACTED) == 2


@pytest.mark.usefixtures("restore_logging")
def test_httpx_info_is_silenced_even_at_debug() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", [], stream)
    logging.getLogger("httpx").info("HTTP Request: POST https://example/bot123/getMe")
    logging.getLogger("httpx").warning("something odd")
    assert "HTTP Request" not in stream.getvalue()
    assert "something odd" in stream.getvalue()


@pytest.mark.usefixtures("restore_logging")
def test_bot_api_payloads_with_peoples_words_are_not_logged_even_at_debug() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", [], stream)
    for name in ("telegram.Bot", "telegram.ext.ExtBot"):
        logging.getLogger(name).debug(
            "Call to Bot API endpoint `%s` finished with return value `%s`",
            "getUpdates",
            "words someone wrote",
        )
    logging.getLogger("telegram.ext.ExtBot").info("network retry")
    output = stream.getvalue()
    assert "words someone wrote" not in output
    assert "endpoint `getUpdates` finished" in output
    assert "network retry" in output


@pytest.mark.usefixtures("restore_logging")
def test_webhook_bodies_are_not_logged_even_at_debug() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", [], stream)
    logging.getLogger("telegram.ext.Updater").debug(
        "Webhook received data: %s", '{"message": {"text": "words someone wrote"}}'
    )
    output = stream.getvalue()
    assert "words someone wrote" not in output
    assert "Webhook received data" in output


@pytest.mark.usefixtures("restore_logging")
async def test_the_scheduler_tick_logs_nothing_per_run_at_info() -> None:
    from apscheduler.executors.asyncio import AsyncIOExecutor  # type: ignore[import-untyped]
    from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

    async def run_one_tick(level: str) -> str:
        stream = io.StringIO()
        configure_logging(level, [TOKEN], stream)
        ran = asyncio.Event()
        scheduler = AsyncIOScheduler(executors={"default": AsyncIOExecutor()})

        async def tick() -> None:
            ran.set()

        scheduler.start()
        finished = asyncio.Event()
        scheduler.add_listener(lambda _event: finished.set(), EVENT_JOB_EXECUTED)
        scheduler.add_job(tick, id="prompt-tick")
        await ran.wait()
        await finished.wait()
        scheduler.shutdown(wait=False)
        return stream.getvalue()

    assert "Running job" not in await run_one_tick("INFO")
    shown = await run_one_tick("DEBUG")
    assert "DEBUG apscheduler.executors.default: Running job" in shown
    assert "executed successfully" in shown


@pytest.mark.usefixtures("restore_logging")
def test_updates_the_application_processes_are_not_logged_even_at_debug() -> None:
    import inspect

    from telegram.ext import _application

    source = inspect.getsource(_application)
    stream = io.StringIO()
    configure_logging("DEBUG", [], stream)
    for message in ("Processing update %s", "Dropping pending update: %s"):
        assert message in source  # what python-telegram-bot logs, word for word
        logging.getLogger("telegram.ext.Application").debug(message, "words someone wrote")
    output = stream.getvalue()
    assert "words someone wrote" not in output
    assert output.count("[payload not logged]") == 2
