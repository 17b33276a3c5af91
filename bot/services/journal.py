"""Use cases of /journal: a person's days of acts and reflections, newest first, paged.

Pages continue from a date carried by the button (older than it, or newer than it), so a
button works after a restart, days later, or after new entries were added.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import translator_for
from bot.services.prompts import PromptContent, translator_of
from bot.services.results import Outcome
from bot.ui import journal as ui
from bot.ui import texts
from bot.ui.callbacks import Callback
from storage.engine import Database
from storage.models import ActDone, Reflection
from storage.repositories import UserRepository

__all__ = ["journal", "journal_press"]


def _has_content(reflection: Reflection) -> bool:
    return reflection.feeling is not None or bool(reflection.received)


async def _days(session: AsyncSession, user_id: int) -> list[date]:
    """Every local date with an act or a reflection worth showing, newest first."""
    act_days = await session.exec(
        select(col(ActDone.local_date)).where(ActDone.user_id == user_id).distinct()
    )
    reflection_days = await session.exec(
        select(col(Reflection.local_date)).where(
            Reflection.user_id == user_id,
            (col(Reflection.feeling).is_not(None)) | (col(Reflection.received).is_not(None)),
        )
    )
    return sorted(set(act_days.all()) | set(reflection_days.all()), reverse=True)


async def _entries(session: AsyncSession, user_id: int, days: list[date]) -> list[ui.JournalDay]:
    """The journal days for ``days`` (in that order)."""
    acts = await session.exec(
        select(ActDone)
        .where(ActDone.user_id == user_id, col(ActDone.local_date).in_(days))
        .order_by(col(ActDone.done_at), col(ActDone.id))
    )
    by_day: dict[date, list[ui.JournalAct]] = defaultdict(list)
    for act in acts.all():
        by_day[act.local_date].append(ui.JournalAct(text=act.text, note=act.note))
    reflections = await session.exec(
        select(Reflection).where(
            Reflection.user_id == user_id, col(Reflection.local_date).in_(days)
        )
    )
    evening = {r.local_date: r for r in reflections.all() if _has_content(r)}
    return [
        ui.JournalDay(
            day=day,
            acts=tuple(by_day.get(day, ())),
            feeling=evening[day].feeling if day in evening else None,
            received=evening[day].received if day in evening else None,
        )
        for day in days
    ]


async def _page(
    session: AsyncSession, telegram_user_id: int, cursor: date | None, direction: str
) -> PromptContent | None:
    """The page after ``cursor`` in ``direction`` (newest page when ``cursor`` is None)."""
    user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
    if user is None:
        return None
    assert user.id is not None
    t = translator_of(user)
    every_day = await _days(session, user.id)
    if not every_day:
        return PromptContent(text=ui.empty_journal(t))
    if cursor is None:
        candidates = every_day
    elif direction == ui.NEWER:
        # The days just after the cursor, nearest first, shown newest first.
        candidates = sorted(d for d in every_day if d > cursor)
    else:
        candidates = [d for d in every_day if d < cursor]
    if not candidates:
        return PromptContent(text=ui.nothing_more(t))
    days = candidates[: ui.DAYS_PER_PAGE]
    entries = await _entries(session, user.id, days)
    shown = entries[: ui.fitting_days(t, entries, user.locale)]
    shown.sort(key=lambda entry: entry.day, reverse=True)
    newest, oldest = shown[0].day, shown[-1].day
    text = ui.page_text(t, [ui.day_block(t, entry, user.locale) for entry in shown])
    rows = ui.page_rows(
        t,
        newest,
        oldest,
        has_newer=every_day[0] > newest,
        has_older=every_day[-1] < oldest,
    )
    return PromptContent(text=text, buttons=[list(row) for row in rows])


async def journal(db: Database, telegram_user_id: int) -> PromptContent | None:
    """/journal: the newest page.

    Args:
        db: The database.
        telegram_user_id: Who asked.

    Returns:
        The page (or a warm line on how to start), ``None`` for someone who never pressed
        /start.
    """
    async with db.session() as session:
        return await _page(session, telegram_user_id, None, ui.OLDER)


async def journal_press(db: Database, telegram_user_id: int, cb: Callback) -> Outcome:
    """A ◀ / ▶ button: the page older or newer than the date it carries, in place.

    Args:
        db: The database.
        telegram_user_id: Who pressed (only their own journal is ever read).
        cb: The parsed button.

    Returns:
        The new page as an edit; a short note for a malformed or someone else's button.
    """
    if cb.local_date is None or cb.arg not in {ui.OLDER, ui.NEWER}:
        return Outcome(note=texts.button_out_of_date(translator_for(None)))
    async with db.session() as session:
        content = await _page(session, telegram_user_id, cb.local_date, cb.arg)
    if content is None:
        return Outcome(note=texts.not_started(translator_for(None)))
    return Outcome(edit=content)
