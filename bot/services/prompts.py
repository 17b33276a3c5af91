"""What a prompt says: the morning and evening messages, composed for one person and day.

This is the contract with the scheduler: it calls :func:`compose_prompts` with the ledger rows
it claimed and sends what comes back (or records a row as not needed on ``None``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import Translator, translator_for
from bot.kindness.catalog import Act, Category, default_catalog
from bot.kindness.suggestions import (
    NO_PREFERENCES,
    RECENT_DAYS,
    Preferences,
    pick_acts,
    places_for,
    seed_for,
    variant_index,
)
from bot.ui import daily as ui
from bot.ui.callbacks import Rows
from scheduler.clock import Clock
from scheduler.timing import is_paused, local_date_of
from storage.engine import Database
from storage.models import ActDone, DailyPlan, PlanStatus, Reflection, User, UserStatus
from storage.repositories import PlanRepository

__all__ = [
    "DAILY_STEPS",
    "PromptContent",
    "SnoozedPrompt",
    "Step",
    "claim_snoozed",
    "compose_prompt",
    "compose_prompts",
    "local_today",
    "morning_content",
]


MAX_OFFER_ENTRIES = 60
"""At most this many suggestion rounds are remembered (about four a day for two weeks)."""


class Step:
    """Names of the daily loop's free-text steps kept in ``users.pending_step``."""

    OWN_IDEA = "own_idea"  # payload {"d": local date}
    LOG_ACT = "log_act"  # payload {"d": local date}
    NOTE = "note"  # payload {"id": acts_done.id}
    RECEIVED = "received"  # payload {"d": local date}


DAILY_STEPS = frozenset({Step.OWN_IDEA, Step.LOG_ACT, Step.NOTE, Step.RECEIVED})


@dataclass(frozen=True)
class PromptContent:
    """A message to send: HTML text, already translated, and inline buttons.

    Attributes:
        text: The message, HTML (the application's parse mode).
        buttons: Rows of ``(label, callback_data)``; each data is at most 64 bytes.
    """

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)


PromptKey = tuple[int, str, date]
"""(``users.id``, slot, local date): one scheduled prompt."""


async def compose_prompts(
    db: Database, clock: Clock, keys: Sequence[PromptKey]
) -> list[PromptContent | None]:
    """Compose the scheduled prompts ``keys``, in one unit of work, in order.

    The morning prompt offers three acts (recorded, so later suggestions avoid them); the
    evening prompt asks the first reflection question, adapted to whether anything was
    planned. Everything a batch needs is read in four queries, whatever its size: composing
    one prompt at a time cost eight statements each, and the dispatcher composes a batch
    per claim.

    Args:
        db: The database.
        clock: Source of the current time.
        keys: ``(users.id, "morning" or "evening", local date)`` per prompt.

    Returns:
        Per key, what to send, or ``None`` when nothing should be sent: the person is
        unknown, not active or paused, already chose (or passed on) an act that day before the
        morning prompt, already started that day's reflection (for example with /reflect), or
        wrote crisis language earlier that day (the evening stays quiet).
    """
    for _, slot, _ in keys:
        if slot not in {"morning", "evening"}:
            raise ValueError(f"unknown slot {slot!r}")
    if not keys:
        return []
    now = clock.now()
    async with db.write() as session:
        found = await session.exec(select(User).where(col(User.id).in_({k[0] for k in keys})))
        users = {user.id: user for user in found.all() if user.id is not None}
        promptable = {user_id for user_id, user in users.items() if _may_prompt(user, now)}
        histories = await load_histories(
            session,
            promptable,
            first=min(day for user_id, _, day in keys if user_id in promptable)
            if promptable
            else keys[0][2],
        )
        return [
            _compose(users[user_id], histories[user_id], slot, day, now)
            if user_id in promptable
            else None
            for user_id, slot, day in keys
        ]


async def compose_prompt(
    db: Database, clock: Clock, user_id: int, slot: str, local_date: date
) -> PromptContent | None:
    """Compose one scheduled prompt; see :func:`compose_prompts`."""
    [content] = await compose_prompts(db, clock, [(user_id, slot, local_date)])
    return content


def _may_prompt(user: User, now: datetime) -> bool:
    return user.status is UserStatus.ACTIVE and not is_paused(user.paused_until, now)


def _compose(
    user: User, history: History, slot: str, local_date: date, now: datetime
) -> PromptContent | None:
    if slot == "morning":
        if local_date in history.plans:
            return None
        content = morning_from(history, user, local_date, now, on_demand=False)
    else:
        if local_date in history.reflections:
            return None
        if user.gentle_until is not None and now < user.gentle_until:
            return None  # crisis language earlier today: no evening nudge
        content = evening_from(history.plans.get(local_date), user, local_date)
    # A new prompt supersedes a daily free-text step left open (yesterday's note, say), so the
    # next line the person types answers the prompt, not the old question.
    if user.pending_step in DAILY_STEPS:
        user.pending_step = None
        user.pending_payload = None
    return content


@dataclass
class History:
    """What one person did lately, as far as composing prompts reads it.

    Attributes:
        plans: Daily plans by local date, from :data:`RECENT_DAYS` before the first date on.
        reflections: Reflections by local date, from the day before the first date on.
        done: ``(local date, act id)`` of the acts logged from :data:`ADAPT_DAYS` before the
            first date on.
    """

    plans: dict[date, DailyPlan] = field(default_factory=dict)
    reflections: dict[date, Reflection] = field(default_factory=dict)
    done: list[tuple[date, str]] = field(default_factory=list)


async def load_histories(
    session: AsyncSession, user_ids: Collection[int], *, first: date
) -> dict[int, History]:
    """Read the :class:`History` of each of ``user_ids`` for prompts of ``first`` or later.

    Args:
        session: The caller's unit of work.
        user_ids: ``users.id`` values.
        first: The earliest local date a prompt will be composed for.

    Returns:
        A history per id (empty for someone with no rows).
    """
    histories = {user_id: History() for user_id in user_ids}
    if not histories:
        return histories
    ids = list(histories)
    plans = await session.exec(
        select(DailyPlan).where(
            col(DailyPlan.user_id).in_(ids),
            col(DailyPlan.local_date) >= first - timedelta(days=RECENT_DAYS),
        )
    )
    for plan in plans.all():
        histories[plan.user_id].plans[plan.local_date] = plan
    reflections = await session.exec(
        select(Reflection).where(
            col(Reflection.user_id).in_(ids),
            col(Reflection.local_date) >= first - timedelta(days=1),
        )
    )
    for reflection in reflections.all():
        histories[reflection.user_id].reflections[reflection.local_date] = reflection
    done = await session.exec(
        select(col(ActDone.user_id), col(ActDone.local_date), col(ActDone.act_id)).where(
            col(ActDone.user_id).in_(ids),
            col(ActDone.local_date) > first - timedelta(days=ADAPT_DAYS),
        )
    )
    for user_id, local_date, act_id in done.all():
        if act_id is not None:
            histories[user_id].done.append((local_date, act_id))
    return histories


@dataclass(frozen=True)
class SnoozedPrompt:
    """A morning prompt whose "Later" is due: who, where, and what to send."""

    user_id: int
    chat_id: int
    content: PromptContent


async def claim_snoozed(db: Database, clock: Clock, *, limit: int = 200) -> list[SnoozedPrompt]:
    """Take the morning prompts whose "Later" (snooze) is due, composed and ready to send.

    Each snooze is cleared in the same unit of work, so it is handed out once (at most once:
    a send that fails after this is not retried). Someone who chose an act or passed on the day
    meanwhile, or who is no longer active, gets nothing; their snooze is simply cleared.

    Args:
        db: The database.
        clock: Source of the current time.
        limit: At most this many people per call.

    Returns:
        The prompts to send now.
    """
    now = clock.now()
    ready: list[SnoozedPrompt] = []
    async with db.write() as session:
        due = await session.exec(
            select(User)
            .where(col(User.snoozed_until).is_not(None), col(User.snoozed_until) <= now)
            .order_by(col(User.snoozed_until))
            .limit(limit)
        )
        for user in due.all():
            assert user.id is not None
            user.snoozed_until = None
            if user.status is not UserStatus.ACTIVE:
                continue
            local_date = local_today(user, now)
            if await PlanRepository(session).get_for_date(user.id, local_date) is not None:
                continue
            content = await morning_content(session, user, local_date, now, on_demand=True)
            ready.append(SnoozedPrompt(user_id=user.id, chat_id=user.chat_id, content=content))
    return ready


def translator_of(user: User) -> Translator:
    """The translator for a stored person."""
    return translator_for(user.locale)


def local_today(user: User, now: datetime) -> date:
    """The person's local date at ``now``."""
    return local_date_of(now, ZoneInfo(user.timezone))


async def morning_content(
    session: AsyncSession,
    user: User,
    local_date: date,
    now: datetime,
    *,
    on_demand: bool,
    exclude: tuple[str, ...] = (),
    low_energy: bool | None = None,
) -> PromptContent:
    """Suggest three acts for ``local_date`` and remember that they were offered.

    Args:
        session: The caller's unit of work (a write).
        user: The person (changed in place: ``offered_acts``).
        local_date: Their local date.
        now: The current instant.
        on_demand: True for /today and "other ideas" (a different greeting).
        exclude: Act ids not to offer now (the ones just shown).
        low_energy: One-minute and self-kindness ideas ("low energy today"); ``None``
            keeps what the person chose earlier that day.

    Returns:
        The morning message.
    """
    assert user.id is not None
    histories = await load_histories(session, [user.id], first=local_date)
    return morning_from(
        histories[user.id],
        user,
        local_date,
        now,
        on_demand=on_demand,
        exclude=exclude,
        low_energy=low_energy,
    )


def morning_from(
    history: History,
    user: User,
    local_date: date,
    now: datetime,
    *,
    on_demand: bool,
    exclude: tuple[str, ...] = (),
    low_energy: bool | None = None,
) -> PromptContent:
    """:func:`morning_content` from a history already read."""
    assert user.id is not None
    if low_energy is None:
        low_energy = low_energy_today(user, local_date)
    preferences = preferences_from(history, user, local_date, low_energy=low_energy)
    acts = suggest(user, local_date, now, exclude=exclude, preferences=preferences)
    t = translator_of(user)
    text = ui.morning_text(
        t,
        user.first_name,
        acts,
        variant=variant_index(
            ui.OPENER_COUNT, user_id=user.id, step=opener_step(user, local_date)
        ),
        on_demand=on_demand,
        gentle=low_energy,
    )
    remember_offers(user, local_date, [act.id for act in acts], low_energy=low_energy)
    return PromptContent(
        text=text,
        buttons=_rows(ui.morning_rows(t, local_date, acts, low_energy=low_energy)),
    )


OPENERS_PER_DAY = 8
"""Room in the opener sequence for repeated /today and "other ideas" within one day."""


def opener_step(user: User, local_date: date) -> int:
    """Where today's next morning message falls in the person's sequence of openers.

    Grows by one with each suggestion round of the day (up to :data:`OPENERS_PER_DAY`), and
    from the last round of one day to the first of the next by at most that much, so two
    messages in a row never share an opener (``OPENER_COUNT`` is larger).
    """
    day = local_date.isoformat()
    rounds = sum(1 for entry in user.offered_acts or [] if entry.get("d") == day)
    return local_date.toordinal() * OPENERS_PER_DAY + min(rounds, OPENERS_PER_DAY - 1)


def suggest(
    user: User,
    local_date: date,
    now: datetime,
    *,
    exclude: tuple[str, ...] = (),
    preferences: Preferences = NO_PREFERENCES,
) -> list[Act]:
    """Three acts for the person, avoiding those offered in the last two weeks when possible."""
    recent = recent_offers(user, local_date)
    seed = seed_for(user.id, local_date.isoformat(), len(exclude), now.isoformat())
    return pick_acts(
        default_catalog(), seed=seed, recent=recent, exclude=exclude, preferences=preferences
    )


ADAPT_DAYS = 60
"""Acts logged within this many days shape which categories come up more often."""

PASSED_OVER_AFTER = 6
"""A category offered this often within :data:`RECENT_DAYS`, never chosen, comes up less."""

LOW_FEELING = 2
"""An evening feeling at or below this makes the next morning's ideas smaller."""


def preferences_from(
    history: History, user: User, local_date: date, *, low_energy: bool
) -> Preferences:
    """What the suggestions for ``local_date`` adapt to, from what the person did lately.

    Args:
        history: The person's recent rows (:func:`load_histories`).
        user: The person.
        local_date: The day being suggested for.
        low_energy: Whether the person asked for low-energy ideas today.

    Returns:
        Categories completed lately, categories always passed over, smaller acts after "not
        today" or a low feeling the evening before, and weekday or weekend places.
    """
    catalog = default_catalog()

    def category(act_id: str | None) -> Category | None:
        act = catalog.get(act_id) if act_id else None
        return act.category if act is not None else None

    adapt_since = local_date - timedelta(days=ADAPT_DAYS)
    completed = Counter(
        c for c in (category(a) for day, a in history.done if day > adapt_since) if c is not None
    )
    since = local_date - timedelta(days=RECENT_DAYS)
    chosen = {
        c
        for c in (category(plan.act_id) for day, plan in history.plans.items() if day > since)
        if c is not None
    }
    offered = Counter(c for c in map(category, recent_offer_list(user, local_date)) if c)
    passed_over = frozenset(
        c
        for c, n in offered.items()
        if n >= PASSED_OVER_AFTER and c not in chosen and c not in completed
    )
    yesterday = local_date - timedelta(days=1)
    plan = history.plans.get(yesterday)
    reflection = history.reflections.get(yesterday)
    smaller = (plan is not None and plan.status is PlanStatus.NOT_TODAY) or (
        reflection is not None
        and reflection.feeling is not None
        and reflection.feeling <= LOW_FEELING
    )
    return Preferences(
        completed=completed,
        passed_over=passed_over,
        smaller=smaller,
        low_energy=low_energy,
        places=places_for(local_date),
    )


def low_energy_today(user: User, local_date: date) -> bool:
    """Whether the person asked for low-energy ideas earlier on ``local_date``."""
    day = local_date.isoformat()
    return any(e.get("d") == day and e.get("low") for e in user.offered_acts or [])


def recent_offer_list(user: User, local_date: date) -> list[str]:
    """Every offer within :data:`RECENT_DAYS` before ``local_date``, repeats included."""
    since = local_date - timedelta(days=RECENT_DAYS)
    found: list[str] = []
    for entry in user.offered_acts or []:
        try:
            day = date.fromisoformat(str(entry.get("d")))
        except ValueError:
            continue
        if day > since:
            found.extend(str(a) for a in entry.get("a", []))
    return found


def recent_offers(user: User, local_date: date) -> set[str]:
    """Ids of acts offered to the person within :data:`RECENT_DAYS` before ``local_date``."""
    return set(recent_offer_list(user, local_date))


def remember_offers(
    user: User, local_date: date, act_ids: list[str], *, low_energy: bool = False
) -> None:
    """Record offered acts, keeping only the last :data:`RECENT_DAYS` days."""
    since = local_date - timedelta(days=RECENT_DAYS)
    kept = []
    for entry in user.offered_acts or []:
        try:
            if date.fromisoformat(str(entry.get("d"))) > since:
                kept.append(entry)
        except ValueError:
            continue
    offer: dict[str, Any] = {"d": local_date.isoformat(), "a": act_ids}
    if low_energy:
        offer["low"] = True  # later "other ideas" that day stay gentle
    kept.append(offer)
    # Reassigned, not mutated: JSON columns do not track in-place changes. Capped, so a
    # person tapping "Other ideas" all day cannot grow the row without bound.
    user.offered_acts = kept[-MAX_OFFER_ENTRIES:]


async def evening_content(
    session: AsyncSession, user: User, local_date: date, *, on_demand: bool = False
) -> PromptContent:
    """The first evening question for ``local_date``, adapted to whether anything was planned."""
    assert user.id is not None
    plan = await PlanRepository(session).get_for_date(user.id, local_date)
    return evening_from(plan, user, local_date, on_demand=on_demand)


def evening_from(
    plan: DailyPlan | None, user: User, local_date: date, *, on_demand: bool = False
) -> PromptContent:
    """:func:`evening_content` from the day's plan already read."""
    assert user.id is not None
    planned_text = planned_act_text(plan)
    t = translator_of(user)
    return PromptContent(
        text=ui.evening_text(
            t,
            user.first_name,
            planned_text,
            on_demand=on_demand,
            variant=variant_index(
                ui.EVENING_OPENER_COUNT, user_id=user.id, step=local_date.toordinal()
            ),
        ),
        buttons=_rows(ui.evening_rows(t, local_date, planned=planned_text is not None)),
    )


def planned_act_text(plan: DailyPlan | None) -> str | None:
    """The act of a plan that was chosen (planned or done), else ``None``."""
    if plan is None or plan.status is PlanStatus.NOT_TODAY or not plan.act_text:
        return None
    return plan.act_text


def _rows(rows: Rows) -> list[list[tuple[str, str]]]:
    return [list(row) for row in rows]
