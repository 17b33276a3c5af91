"""Fixtures for the sandbox Bot API unit tests: a hand-moved clock and a fake with a user."""

from __future__ import annotations

import pytest

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.users import SimulatedUser


class Ticker:
    """A float clock (Unix seconds) that moves only when told to."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.value = start

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


@pytest.fixture
def clock() -> Ticker:
    return Ticker()


@pytest.fixture
def fake(clock: Ticker) -> FakeTelegram:
    return FakeTelegram(clock=clock)


@pytest.fixture
async def ana(fake: FakeTelegram) -> SimulatedUser:
    """A user who has started the bot (so her private chat is known)."""
    user = fake.add_user("Ana")
    await user.send_command("/start")
    return user
