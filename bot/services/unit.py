"""One unit of work on behalf of one person: the preamble every use case shares.

Every entry point of a service used to repeat "now, a write transaction, look the person up,
stop if unknown, assert the id, pick the translator". :func:`visit` does that once and hands
out a :class:`Visit` whose person id is a plain ``int``, so no guard-clause asserts follow.
Services return what happened (their own small result types) wrapped in :class:`Answer`,
which carries the person's language for ``bot.ui`` to render in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.clock import Clock
from scheduler.timing import local_date_of
from storage.engine import Database
from storage.models import User
from storage.repositories import UserRepository

__all__ = ["Answer", "Press", "Visit", "local_today", "visit"]

R = TypeVar("R", covariant=True)
T = TypeVar("T")


@dataclass(frozen=True)
class Answer(Generic[R]):
    """What a use case found for someone Kindling knows, and the language to say it in.

    Attributes:
        result: The use case's own result (a small frozen dataclass or enum).
        language: The person's language (their choice, else Telegram's), for the renderer.
    """

    result: R
    language: str | None


@dataclass(frozen=True)
class Press:
    """A button press, as a use case sees it (parsed and validated in ``bot.ui.callbacks``).

    Attributes:
        telegram_user_id: Who pressed.
        day: The person's local date the button belongs to, if it names one.
        arg: The button's one argument ("" when none).
    """

    telegram_user_id: int
    day: date | None
    arg: str = ""


@dataclass(frozen=True)
class Visit:
    """An open write unit of work for one known person.

    Attributes:
        session: The unit of work; the caller of :func:`visit` commits it on leaving.
        person: Their ``users`` row (changes are staged on it).
        person_id: ``users.id``, narrowed to an ``int``.
        now: The instant the visit began (one clock reading per use case).
    """

    session: AsyncSession
    person: User
    person_id: int
    now: datetime

    @property
    def today(self) -> date:
        """The person's local date at :attr:`now`."""
        return local_today(self.person, self.now)

    def answer(self, result: T) -> Answer[T]:
        """Wrap ``result`` with the person's language."""
        return Answer(result=result, language=self.person.locale)


@asynccontextmanager
async def visit(db: Database, clock: Clock, telegram_user_id: int) -> AsyncIterator[Visit | None]:
    """Open a read-then-write unit of work for the person with this Telegram id.

    Args:
        db: The database.
        clock: Read once, for :attr:`Visit.now`.
        telegram_user_id: Who is talking.

    Yields:
        The visit, or ``None`` for someone who never pressed /start (the transaction is still
        open, and commits nothing).
    """
    now = clock.now()
    async with db.write() as session:
        person = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if person is None or person.id is None:
            yield None
            return
        yield Visit(session=session, person=person, person_id=person.id, now=now)


def local_today(person: User, now: datetime) -> date:
    """The person's local date at ``now``."""
    return local_date_of(now, ZoneInfo(person.timezone))
