"""Use cases of /week and the weekly recap: gentle counts, feelings in plain words, a chart.

This module is also a contract with the scheduler: :func:`compose_weekly_recap` composes the
recap that goes with a Sunday evening prompt (or ``None`` when there is none to send).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import translator_for
from bot.kindness.insight import FEELING_WINDOW_DAYS, WeekFacts, last_days, week_facts
from bot.services.prompts import PromptContent, local_today, translator_of
from bot.services.results import Outcome
from bot.ui import insight as ui
from bot.ui import texts
from bot.ui.callbacks import Callback
from scheduler.clock import Clock
from scheduler.timing import is_paused
from storage.engine import Database
from storage.models import ActDone, Reflection, User, UserStatus
from storage.repositories import UserRepository

__all__ = ["ChartInput", "WeekView", "compose_weekly_recap", "press_recap", "week"]

SUNDAY = 6


@dataclass(frozen=True)
class ChartInput:
    """What the weekly chart draws (see :func:`bot.ui.chart.render_week_chart`)."""

    days: list[date]
    acts: list[int]
    feelings: list[int | None]
    labels: dict[str, str]
    locale: str | None


@dataclass(frozen=True)
class WeekView:
    """/week: the message, and the chart with its caption."""

    content: PromptContent
    chart: ChartInput
    caption: str


async def _history(
    session: AsyncSession, user_id: int, today: date
) -> tuple[dict[date, int], dict[date, int], list[date]]:
    """Acts per day, feelings and days with kindness received, as far back as insight looks."""
    since = min(today.replace(month=1, day=1), today - timedelta(days=FEELING_WINDOW_DAYS))
    counts = await session.exec(
        select(col(ActDone.local_date), func.count(col(ActDone.id)))
        .where(
            col(ActDone.user_id) == user_id,
            col(ActDone.local_date) >= since,
            col(ActDone.local_date) <= today,
        )
        .group_by(col(ActDone.local_date))
    )
    acts_per_day = {day: int(n) for day, n in counts.all()}
    reflections = await session.exec(
        select(Reflection).where(
            Reflection.user_id == user_id,
            col(Reflection.local_date) >= today - timedelta(days=FEELING_WINDOW_DAYS),
            col(Reflection.local_date) <= today,
        )
    )
    feelings: dict[date, int] = {}
    received: list[date] = []
    for reflection in reflections.all():
        if reflection.feeling is not None:
            feelings[reflection.local_date] = reflection.feeling
        if reflection.received and reflection.received.strip():
            received.append(reflection.local_date)
    return acts_per_day, feelings, received


async def _facts(
    session: AsyncSession, user: User, today: date
) -> tuple[WeekFacts, dict[date, int], dict[date, int]]:
    assert user.id is not None
    acts_per_day, feelings, received = await _history(session, user.id, today)
    return week_facts(today, acts_per_day, feelings, received), acts_per_day, feelings


def _week_content(user: User, facts: WeekFacts, *, recap: bool = False) -> PromptContent:
    t = translator_of(user)
    rows = ui.recap_rows(t, enabled=user.weekly_recap)
    return PromptContent(
        text=ui.week_text(t, facts, recap=recap), buttons=[list(row) for row in rows]
    )


async def week(db: Database, clock: Clock, telegram_user_id: int) -> WeekView | None:
    """/week: this week and month, kind days this year, feelings, and the last 7 days' chart.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who asked.

    Returns:
        What to show, or ``None`` for someone who never pressed /start.
    """
    async with db.session() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        today = local_today(user, clock.now())
        facts, acts_per_day, feelings = await _facts(session, user, today)
    t = translator_of(user)
    days = last_days(today)
    chart = ChartInput(
        days=days,
        acts=[acts_per_day.get(day, 0) for day in days],
        feelings=[feelings.get(day) for day in days],
        labels=ui.chart_labels(t),
        locale=t.locale,  # weekday names in the language the labels are in
    )
    return WeekView(content=_week_content(user, facts), chart=chart, caption=ui.chart_caption(t))


async def press_recap(db: Database, clock: Clock, telegram_user_id: int, cb: Callback) -> Outcome:
    """The weekly recap switch on /week (and on the recap itself): on with ``1``, off with ``0``.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who pressed; only their own setting changes.
        cb: The parsed button.

    Returns:
        A short note, and the message again with the switch turned over.
    """
    if cb.arg not in {"0", "1"}:
        return Outcome(note=texts.button_out_of_date(translator_for(None)))
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return Outcome(note=texts.not_started(translator_for(None)))
        enabled = cb.arg == "1"
        if user.weekly_recap != enabled:
            user.weekly_recap = enabled
            user.updated_at = now
        facts, _, _ = await _facts(session, user, local_today(user, now))
        content = _week_content(user, facts)
    return Outcome(note=ui.recap_switched(translator_of(user), enabled=enabled), edit=content)


async def compose_weekly_recap(
    db: Database, clock: Clock, user_id: int, local_date: date
) -> PromptContent | None:
    """The weekly recap to send beside the Sunday evening prompt of ``local_date``.

    Args:
        db: The database.
        clock: Source of the current time (unused beyond pauses: the recap is counted as of
            ``local_date``).
        user_id: ``users.id``.
        local_date: The local date of the evening prompt being sent.

    Returns:
        The recap, or ``None`` when there is none to send: not a Sunday, the person is
        unknown, not active, paused, or switched the recap off.
    """
    if local_date.weekday() != SUNDAY:
        return None
    async with db.session() as session:
        user = await UserRepository(session).get(user_id)
        if user is None or user.status is not UserStatus.ACTIVE or not user.weekly_recap:
            return None
        if is_paused(user.paused_until, clock.now()):
            return None
        facts, _, _ = await _facts(session, user, local_date)
    return _week_content(user, facts, recap=True)
