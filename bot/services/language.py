"""Use cases of /language: show the choice, or set the language a person chose.

A choice is stored in ``users.language`` and wins over Telegram's ``language_code`` from then
on. Nothing else about the person changes, so an open step (the evening reflection halfway
through, a time being typed) carries on in the new language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.i18n import available_languages, resolve_language
from bot.kindness.lexicon import lexicons
from bot.services.unit import Answer, visit
from scheduler.clock import Clock
from storage.availability import unavailable_reason
from storage.engine import Database
from storage.models import User
from storage.repositories import UserRepository

__all__ = ["LanguageChoice", "Result", "choose", "current", "known_person", "picker_for"]


class Result(Enum):
    """What became of a request."""

    SHOWN = "shown"  # no language named: the picker
    SET = "set"  # the named language is now the person's
    UNKNOWN = "unknown"  # a language Kindling does not have: the picker, kindly


@dataclass(frozen=True)
class LanguageChoice:
    """The outcome of /language or a language button.

    Attributes:
        result: What happened.
        language: The person's language afterwards (a shipped code such as ``"pt_BR"``).
    """

    result: Result
    language: str


def _match(requested: str) -> str | None:
    """A shipped language for a code ("de", "pt-br") or a name as the picker shows it."""
    words = " ".join(requested.split()).casefold()
    for code, lexicon in lexicons().items():
        if words in {lexicon.name.casefold(), code.casefold()}:
            return code
    found = resolve_language(words)
    return found if found in available_languages() else None


def _language_of(person: User) -> str:
    """The shipped language a person is written to in."""
    return resolve_language(person.locale) or "en"


def picker_for(person: User) -> LanguageChoice:
    """The language picker for ``person`` (their current language ticked)."""
    return LanguageChoice(Result.SHOWN, _language_of(person))


async def current(db: Database, telegram_user_id: int) -> str | None:
    """The language to write to a person in (choice, else Telegram's); None if unknown.

    None too while the database is unavailable: an answer in Telegram's language then beats
    no answer.
    """
    user = await known_person(db, telegram_user_id)
    return None if user is None else _language_of(user)


async def known_person(db: Database, telegram_user_id: int) -> User | None:
    """The person's row to read from, or None: unknown, or the database is unavailable (for
    the lookups where an answer in Telegram's language beats no answer).
    """
    try:
        async with db.session() as session:
            return await UserRepository(session).get_by_telegram_id(telegram_user_id)
    except Exception as error:
        if unavailable_reason(error) is None:
            raise
        return None


async def choose(
    db: Database, clock: Clock, telegram_user_id: int, requested: str
) -> Answer[LanguageChoice] | None:
    """/language [code or name], or a picker button.

    Args:
        db: The database.
        clock: The injected clock.
        telegram_user_id: Who asked.
        requested: What followed the command, or a button's code; empty for the picker.

    Returns:
        The outcome, in the person's language afterwards, or None for someone who never
        pressed /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        user = v.person
        if not requested.strip():
            return v.answer(picker_for(user))
        chosen = _match(requested)
        if chosen is None:
            return v.answer(LanguageChoice(Result.UNKNOWN, _language_of(user)))
        if user.language != chosen:
            user.language = chosen
            user.updated_at = v.now
        return v.answer(LanguageChoice(Result.SET, chosen))
