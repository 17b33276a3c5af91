"""Use cases of /export and /delete: everything Kindling keeps about a person, out or gone.

Both walk the schema (:mod:`storage.personal_data`), so a table added later is included
without changes here. Logs name the event and the id, never anything a person wrote.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, Final

from bot.i18n import translator_for
from bot.services.journal import JournalAct, JournalDay
from bot.services.prompts import PromptContent, local_today, translator_of
from bot.services.results import Outcome
from bot.ui import data_rights as ui
from bot.ui.callbacks import Callback
from scheduler.clock import Clock
from storage.engine import Database
from storage.personal_data import erase_person, rows_about
from storage.repositories import UserRepository

__all__ = [
    "ACT_COLUMNS",
    "EXPORT_FORMAT",
    "REFLECTION_COLUMNS",
    "ExportBundle",
    "ExportFile",
    "ask_erase",
    "cancel_erase",
    "confirm_erase",
    "export",
]

logger = logging.getLogger(__name__)

EXPORT_FORMAT: Final = "kindling-export/1"
ACT_COLUMNS: Final = ("local_date", "text", "note", "act_id", "done_at", "id")
REFLECTION_COLUMNS: Final = (
    "local_date",
    "outcome",
    "feeling",
    "received",
    "completed",
    "created_at",
    "updated_at",
    "id",
)
CONFIRM_DAYS: Final = 1
"""A confirmation button works on the day /delete was sent and the next, then expires."""


@dataclass(frozen=True)
class ExportFile:
    """One file of the export."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ExportBundle:
    """What /export sends: an introduction, then the files in order."""

    intro: str
    files: list[ExportFile]


def _plain(value: Any) -> Any:
    """A column value as JSON/CSV wants it: ISO dates and aware timestamps, enum values."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _plain(row.get(c)) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _journal_days(rows: dict[str, list[dict[str, Any]]]) -> list[JournalDay]:
    acts: dict[date, list[JournalAct]] = defaultdict(list)
    for act in sorted(rows.get("acts_done", []), key=lambda r: (r["done_at"], r["id"])):
        acts[act["local_date"]].append(JournalAct(text=act["text"], note=act["note"]))
    evenings = {r["local_date"]: r for r in rows.get("reflections", [])}
    days = sorted(set(acts) | set(evenings), reverse=True)
    entries = [
        JournalDay(
            day=day,
            acts=tuple(acts.get(day, ())),
            feeling=evenings[day]["feeling"] if day in evenings else None,
            received=evenings[day]["received"] if day in evenings else None,
        )
        for day in days
    ]
    return [e for e in entries if e.acts or e.feeling is not None or e.received]


async def export(db: Database, clock: Clock, telegram_user_id: int) -> ExportBundle | None:
    """Everything Kindling keeps about a person, as JSON, two CSV tables and Markdown.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who asked; only their rows are read.

    Returns:
        The files (UTF-8), or ``None`` for someone Kindling keeps nothing about.
    """
    now = clock.now()
    async with db.session() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        rows = await rows_about(session, user)
    t = translator_of(user)
    today = local_today(user, now)
    [user_row] = rows["users"]
    document = {
        "format": EXPORT_FORMAT,
        "exported_at": now.isoformat(),
        "user": {key: _plain(value) for key, value in user_row.items()},
        "tables": {
            name: [{key: _plain(value) for key, value in row.items()} for row in table_rows]
            for name, table_rows in rows.items()
            if name != "users"
        },
    }
    stamp = today.isoformat()
    markdown = ui.markdown_journal(t, user.first_name, today, _journal_days(rows), user.locale)
    files = [
        ExportFile(
            f"kindling-{stamp}.json",
            json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
        ),
        ExportFile(f"kindling-acts-{stamp}.csv", _csv(rows["acts_done"], ACT_COLUMNS)),
        ExportFile(
            f"kindling-reflections-{stamp}.csv", _csv(rows["reflections"], REFLECTION_COLUMNS)
        ),
        ExportFile(f"kindling-journal-{stamp}.md", markdown.encode("utf-8")),
    ]
    logger.info("export user_id=%s", user.id)
    return ExportBundle(intro=ui.export_intro(t), files=files)


async def ask_erase(db: Database, clock: Clock, telegram_user_id: int) -> PromptContent:
    """/delete: what erasing means, with a confirmation button bound to this person and day.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who asked.

    Returns:
        The question and its buttons (or a note that there is nothing to erase).
    """
    async with db.session() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return PromptContent(text=ui.nothing_to_erase(translator_for(None)))
        assert user.id is not None
        t = translator_of(user)
        rows = ui.erase_rows(t, local_today(user, clock.now()), user.id)
        return PromptContent(text=ui.erase_question(t), buttons=[list(row) for row in rows])


async def confirm_erase(
    db: Database, clock: Clock, telegram_user_id: int, cb: Callback
) -> Outcome:
    """The confirmation button: erase every row about the person who pressed it.

    The button must carry the presser's own ``users.id`` and a date no older than yesterday
    in their time zone; anything else (a forged button, one from before an earlier erasure,
    an old one) erases nothing.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who pressed.
        cb: The parsed button.

    Returns:
        The counts of what was erased, in place of the question; or a note.
    """
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            t = translator_for(None)
            return Outcome(note=ui.nothing_to_erase(t), edit=PromptContent(ui.nothing_to_erase(t)))
        t = translator_of(user)
        today = local_today(user, now)
        fresh = cb.local_date is not None and (
            today - timedelta(days=CONFIRM_DAYS) <= cb.local_date <= today
        )
        if not fresh or cb.arg != str(user.id):
            logger.info("erase refused user_id=%s", user.id)
            return Outcome(note=ui.erase_stale(t))
        user_id = user.id
        counts = await erase_person(session, user)
    logger.info("erased user_id=%s rows=%s", user_id, sum(counts.values()))
    return Outcome(edit=PromptContent(text=ui.erase_done(t, counts)))


def cancel_erase(language_code: str | None) -> Outcome:
    """The cancel button: nothing changes.

    Args:
        language_code: The presser's Telegram language.

    Returns:
        The reassurance, in place of the question.
    """
    t = translator_for(language_code)
    return Outcome(edit=PromptContent(text=ui.erase_cancelled(t)))
