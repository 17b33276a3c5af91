"""A real Application wired to the in-process fake Bot API, a database and a manual clock.

Flow tests drive it the way Telegram would: a simulated person acts, the harness hands the
resulting Update to ``application.process_update``, and the test reads what the person sees.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from telegram import Update

from bot.app import build_application
from bot.config import Settings, load_settings
from bot.deps import KindlingApplication
from bot.flood import Sleep
from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.request import FakeRequest
from bot.sandbox.users import SimulatedUser
from scheduler.clock import ManualClock
from storage.engine import Database

TOKEN = "123456:" + "T" * 35
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Harness:
    """Everything a flow test touches."""

    fake: FakeTelegram
    app: KindlingApplication
    db: Database
    clock: ManualClock
    settings: Settings

    async def deliver(self, update: dict[str, Any] | None) -> None:
        """Process one update (as returned by a simulated person's action) to completion."""
        assert update is not None, "the action produced no update (group privacy mode?)"
        await self.app.process_update(Update.de_json(update, self.app.bot))

    def person(self, first_name: str = "Ana", language_code: str | None = "en") -> SimulatedUser:
        """A new simulated Telegram user."""
        return self.fake.add_user(first_name=first_name, language_code=language_code)

    async def say(self, user: SimulatedUser, text: str) -> None:
        """The person sends ``text`` (a command if it starts with "/")."""
        if text.startswith("/"):
            command, _, args = text.partition(" ")
            await self.deliver(await user.send_command(command, args))
        else:
            await self.deliver(await user.send_text(text))

    async def press(self, user: SimulatedUser, button_text: str) -> None:
        """The person presses an inline button on the latest message that has it."""
        await self.deliver(await user.press(button_text))

    async def react(
        self, user: SimulatedUser, emoji: str | list[str] | None, *, message_id: int | None = None
    ) -> None:
        """The person reacts (``None``: takes the reaction back), on the bot's latest message.

        Delivered straight to the application, as the runner subscribes to every update type.
        """
        await self.deliver(await user.react(emoji, message_id=message_id))

    async def share(
        self, user: SimulatedUser, button_text: str, *people: SimulatedUser | dict[str, Any]
    ) -> None:
        """The person answers the shown ``request_users`` button by picking ``people``."""
        await self.deliver(await user.share_users(button_text, list(people)))


@asynccontextmanager
async def running_bot(
    db: Database,
    *,
    start: datetime = START,
    fake_on_clock: bool = False,
    flood_sleep: Sleep | None = None,
    **settings: Any,
) -> AsyncIterator[Harness]:
    """An initialized Application against a fresh fake; shut down afterwards.

    With ``fake_on_clock`` the fake reads the harness's manual clock too (its flood-control
    windows then move only when the test moves the clock).
    """
    clock = ManualClock(start)
    fake = FakeTelegram(token=TOKEN)
    if fake_on_clock:
        fake.clock = lambda: clock.now().timestamp()
    config = load_settings(None, telegram_bot_token=TOKEN, **settings)
    app = build_application(
        config,
        db=db,
        clock=clock,
        token=TOKEN,
        request=FakeRequest(fake),
        get_updates_request=FakeRequest(fake),
        flood_sleep=flood_sleep,
    )
    await app.initialize()
    try:
        yield Harness(fake=fake, app=app, db=db, clock=clock, settings=config)
    finally:
        await app.shutdown()
