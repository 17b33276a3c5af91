"""End-to-end fixtures: the fake Bot API over loopback HTTP, served from the test's event loop.

The bot itself runs as ``python -m bot`` (see ``tests/fakes/process.py``) with a token the fake
accepts, its database in the test's temporary folder and DEBUG logging.
"""

from __future__ import annotations

import string
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.http_server import FakeTelegramServer

# Shaped like a BotFather token: "<bot id>:<35 url-safe characters>".
TOKEN = "7012345678:" + (string.ascii_letters * 2)[7:42]


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram(token=TOKEN)


@pytest.fixture
async def api(fake: FakeTelegram) -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(fake) as server:
        yield server


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "k.sqlite3"


@pytest.fixture
def bot_env(api: FakeTelegramServer, database_path: Path) -> dict[str, str]:
    """What a test's ``python -m bot`` gets on top of the scrubbed environment."""
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "DATABASE_URL": f"sqlite:///{database_path}",
        "LOG_LEVEL": "DEBUG",
    }
