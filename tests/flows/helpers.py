"""Shared steps for flow tests."""

from __future__ import annotations

from bot.sandbox.users import SimulatedUser
from tests.fakes.harness import Harness


async def onboarded(bot: Harness, name: str = "Ana", zone: str = "UTC") -> SimulatedUser:
    """A person who pressed /start, gave their time zone and accepted the default times."""
    person = bot.person(name)
    await bot.say(person, "/start")
    await bot.say(person, zone)
    await bot.press(person, "Sounds good")
    return person
