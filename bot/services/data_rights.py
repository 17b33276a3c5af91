"""Use cases of /export and /delete: everything Kindling keeps about a person, out or gone.

Both walk the schema (:mod:`storage.personal_data`), so a table added later is included
without changes here. The export's plain-data files (JSON, CSV) are built here; the readable
journal and every word a person sees are rendered by ``bot.ui.data_rights``. Logs name the
event and the id, never anything a person wrote.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, Final

from bot.services.journal import JournalAct, JournalDay
from bot.services.unit import Answer, visit
from scheduler.clock import Clock
from storage.engine import Database
from storage.personal_data import erase_person, rows_about

__all__ = [
    "ACT_COLUMNS",
    "CONFIRM_DAYS",
    "EXPORT_FORMAT",
    "REFLECTION_COLUMNS",
    "EraseAsked",
    "EraseNote",
    "EraseResult",
    "Erased",
    "Export",
    "ExportFile",
    "ask_erase",
    "cancel_erase",
    "confirm_erase",
    "export",
]

logger = logging.getLogger(__name__)

EXPORT_FORMAT: Final = "kindling-export/1"
# New columns go last, so a spreadsheet built on an earlier export still reads its columns.
ACT_COLUMNS: Final = ("local_date", "text", "note", "act_id", "done_at", "id", "remembered_on")
REFLECTION_COLUMNS: Final = (
    "local_date",
    "outcome",
    "feeling",
    "received",
    "completed",
    "created_at",
    "updated_at",
    "id",
    "remembered_on",
)
CONFIRM_DAYS: Final = 1
"""A confirmation button works on the day /delete was sent and the next, then expires."""


@dataclass(frozen=True)
class ExportFile:
    """One file of the export."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Export:
    """Everything Kindling keeps about a person, as /export sends it.

    Attributes:
        first_name: Whose export it is (named in the readable journal).
        exported_on: The person's local date of the export (in every file name).
        files: The plain-data files, in order: the complete JSON, the acts CSV, the
            reflections CSV.
        days: The readable journal's days, newest first (only days with something in them).
    """

    first_name: str
    exported_on: date
    files: tuple[ExportFile, ...]
    days: tuple[JournalDay, ...]


class EraseNote(Enum):
    """An answer of /delete or its buttons that erases nothing."""

    NOTHING_TO_ERASE = "nothing_to_erase"  # Kindling keeps nothing about the person
    STALE = "stale"  # a confirmation that is old, or not the presser's own
    CANCELLED = "cancelled"  # the cancel button


@dataclass(frozen=True)
class EraseAsked:
    """/delete: the question, with a confirmation bound to who asked and when.

    Attributes:
        asked_on: The person's local date when they asked.
        person_id: Their ``users.id``.
    """

    asked_on: date
    person_id: int


@dataclass(frozen=True)
class Erased:
    """Everything about the person is gone.

    Attributes:
        counts: ``{table name: rows deleted}`` for every table.
    """

    counts: Mapping[str, int]


EraseResult = EraseAsked | Erased | EraseNote
"""Everything /delete and its buttons can answer with."""


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


def _journal_days(rows: dict[str, list[dict[str, Any]]]) -> tuple[JournalDay, ...]:
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
    return tuple(e for e in entries if e.acts or e.feeling is not None or e.received)


async def export(db: Database, clock: Clock, telegram_user_id: int) -> Answer[Export] | None:
    """Everything Kindling keeps about a person: JSON, two CSV tables, and the journal's days.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who asked; only their rows are read.

    Returns:
        The export (files UTF-8), or ``None`` for someone Kindling keeps nothing about.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        rows = await rows_about(v.session, v.person)
        today = v.today
        [user_row] = rows["users"]
        document = {
            "format": EXPORT_FORMAT,
            "exported_at": v.now.isoformat(),
            "user": {key: _plain(value) for key, value in user_row.items()},
            "tables": {
                name: [{key: _plain(value) for key, value in row.items()} for row in table_rows]
                for name, table_rows in rows.items()
                if name != "users"
            },
        }
        stamp = today.isoformat()
        files = (
            ExportFile(
                f"kindling-{stamp}.json",
                json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
            ),
            ExportFile(f"kindling-acts-{stamp}.csv", _csv(rows["acts_done"], ACT_COLUMNS)),
            ExportFile(
                f"kindling-reflections-{stamp}.csv",
                _csv(rows["reflections"], REFLECTION_COLUMNS),
            ),
        )
        logger.info("export user_id=%s", v.person_id)
        return v.answer(
            Export(
                first_name=v.person.first_name,
                exported_on=today,
                files=files,
                days=_journal_days(rows),
            )
        )


async def ask_erase(
    db: Database, clock: Clock, telegram_user_id: int
) -> Answer[EraseAsked | EraseNote]:
    """/delete: what erasing means, with a confirmation bound to this person and day.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who asked.

    Returns:
        The question's date and person, or :attr:`EraseNote.NOTHING_TO_ERASE` (in the default
        language) for someone Kindling keeps nothing about.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return Answer(result=EraseNote.NOTHING_TO_ERASE, language=None)
        return v.answer(EraseAsked(asked_on=v.today, person_id=v.person_id))


async def confirm_erase(
    db: Database, clock: Clock, telegram_user_id: int, asked_on: date | None, arg: str
) -> Answer[Erased | EraseNote]:
    """The confirmation button: erase every row about the person who pressed it.

    The button must carry the presser's own ``users.id`` and a date no older than yesterday
    in their time zone; anything else (a forged button, one from before an earlier erasure,
    an old one) erases nothing.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who pressed.
        asked_on: The date the button carries (when /delete asked).
        arg: The button's argument (the ``users.id`` of who asked).

    Returns:
        The counts of what was erased; :attr:`EraseNote.STALE` for a button that is old or
        not the presser's; :attr:`EraseNote.NOTHING_TO_ERASE` (in the default language) for
        someone Kindling keeps nothing about.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return Answer(result=EraseNote.NOTHING_TO_ERASE, language=None)
        today = v.today
        fresh = asked_on is not None and (
            today - timedelta(days=CONFIRM_DAYS) <= asked_on <= today
        )
        if not fresh or arg != str(v.person_id):
            logger.info("erase refused user_id=%s", v.person_id)
            return v.answer(EraseNote.STALE)
        language, person_id = v.person.locale, v.person_id
        counts = await erase_person(v.session, v.person)
    logger.info("erased user_id=%s rows=%s", person_id, sum(counts.values()))
    return Answer(result=Erased(counts=counts), language=language)


def cancel_erase(language_code: str | None) -> Answer[EraseNote]:
    """The cancel button: nothing changes.

    Args:
        language_code: The presser's Telegram language.

    Returns:
        :attr:`EraseNote.CANCELLED`, in that language.
    """
    return Answer(result=EraseNote.CANCELLED, language=language_code)
