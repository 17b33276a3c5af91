"""Helpers for the journal, insight and data-rights flow tests: seeding history straight into
the database, and reading back what the fake Bot API received as files."""

from __future__ import annotations

import struct
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from sqlmodel import select

from bot.sandbox.models import StoredMessage
from bot.sandbox.users import SimulatedUser
from storage.models import ActDone, Reflection, ReflectionOutcome, User
from tests.fakes.harness import Harness

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def user_of(bot: Harness, person: SimulatedUser) -> User:
    """The stored row of a simulated person."""
    async with bot.db.session() as session:
        found = await session.exec(select(User).where(User.telegram_user_id == person.id))
        return found.one()


async def seed(
    bot: Harness,
    person: SimulatedUser,
    *,
    acts: Iterable[tuple[date, str, str | None]] = (),
    reflections: Iterable[tuple[date, int | None, str | None]] = (),
) -> None:
    """Store acts ``(day, text, note)`` and reflections ``(day, feeling, received)``."""
    user = await user_of(bot, person)
    assert user.id is not None
    async with bot.db.session() as session:
        for day, text, note in acts:
            done_at = datetime.combine(day, time(12, 0), tzinfo=UTC)
            session.add(
                ActDone(user_id=user.id, local_date=day, text=text, note=note, done_at=done_at)
            )
        for day, feeling, received in reflections:
            at = datetime.combine(day, time(20, 0), tzinfo=UTC)
            session.add(
                Reflection(
                    user_id=user.id,
                    local_date=day,
                    outcome=ReflectionOutcome.DID,
                    feeling=feeling,
                    received=received,
                    completed=True,
                    created_at=at,
                    updated_at=at,
                )
            )


def uploaded(bot: Harness, message: StoredMessage) -> bytes:
    """The bytes the bot uploaded with a photo or document message."""
    if message.kind == "photo":
        file_id = message.content["photo"][-1]["file_id"]
    else:
        assert message.kind == "document", message.kind
        file_id = message.content["document"]["file_id"]
    return bot.fake._files[file_id].data


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which must come first)."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    assert length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height
