"""Use cases of the daily loop: choosing today's act, logging acts, the evening reflection.

Each public function opens one unit of work, checks that the button or reply belongs to the
person and the day it claims, and returns what to show. Nothing here speaks Telegram.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import Translator, translator_for
from bot.kindness.catalog import default_catalog
from bot.kindness.phrases import is_cancel_phrase, is_done_phrase, is_skip_phrase
from bot.kindness.suggestions import seed_for, variant_index
from bot.services import settings
from bot.services.prompts import (
    PromptContent,
    Step,
    evening_content,
    local_today,
    morning_content,
    translator_of,
)
from bot.services.results import Outcome, Reply
from bot.ui import daily as ui
from bot.ui import inline as inline_ui
from bot.ui import texts
from bot.ui.callbacks import Action, Callback, Rows
from bot.ui.time_input import format_time_of_day
from scheduler.clock import Clock
from storage.engine import Database
from storage.models import (
    ActDone,
    DailyPlan,
    PlanStatus,
    Reflection,
    ReflectionOutcome,
    User,
)
from storage.repositories import PlanRepository, ReflectionRepository, UserRepository

__all__ = [
    "MAX_TEXT",
    "Outcome",
    "Step",
    "done",
    "press",
    "reflect",
    "reply",
    "today",
]

SNOOZE: Final = timedelta(hours=2)
MAX_TEXT: Final = 4096  # Telegram's limit for one message; stored whole


def _content(text: str, rows: Rows = ()) -> PromptContent:
    return PromptContent(text=text, buttons=[list(row) for row in rows])


def _set_step(user: User, step: str | None, payload: dict[str, Any] | None = None) -> None:
    user.pending_step = step
    user.pending_payload = payload


async def _person(session: AsyncSession, telegram_user_id: int) -> User | None:
    return await UserRepository(session).get_by_telegram_id(telegram_user_id)


def _not_started(t: Translator) -> Outcome:
    return Outcome(note=texts.not_started(t))


# --- /today and the morning buttons -----------------------------------------------------------


async def today(db: Database, clock: Clock, telegram_user_id: int) -> PromptContent | None:
    """/today: today's open plan with its Done button, or fresh suggestions.

    Returns:
        What to show, or ``None`` for someone who never pressed /start.
    """
    now = clock.now()
    async with db.write() as session:
        user = await _person(session, telegram_user_id)
        if user is None:
            return None
        assert user.id is not None
        local_date = local_today(user, now)
        plan = await PlanRepository(session).get_for_date(user.id, local_date)
        t = translator_of(user)
        if plan is not None and plan.status is PlanStatus.PLANNED:
            assert plan.id is not None
            return _content(ui.plan_text(t, plan.act_text), ui.plan_rows(t, local_date, plan.id))
        return await morning_content(session, user, local_date, now, on_demand=True)


async def press(db: Database, clock: Clock, telegram_user_id: int, cb: Callback) -> Outcome:
    """Handle a daily-loop button (morning, done, note, evening) for the person who pressed it.

    Args:
        db: The database.
        clock: Source of the current time.
        telegram_user_id: Who pressed.
        cb: The parsed callback data.

    Returns:
        What to show. Buttons for another day, for someone else's data, or pressed twice
        change nothing and get a short note.
    """
    now = clock.now()
    async with db.write() as session:
        user = await _person(session, telegram_user_id)
        if user is None:
            return _not_started(translator_for(None))
        t = translator_of(user)
        handler = _HANDLERS.get(cb.action)
        if handler is None:
            return Outcome(note=ui.out_of_date(t))
        return await handler(session, user, t, cb, now)


def _is_today(user: User, cb: Callback, now: datetime) -> bool:
    return cb.local_date is not None and cb.local_date == local_today(user, now)


def _is_recent(user: User, day: date | None, now: datetime) -> bool:
    """Today or yesterday in the person's zone (an evening may run past midnight)."""
    today_ = local_today(user, now)
    return day is not None and today_ - timedelta(days=1) <= day <= today_


async def _pick(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    act = default_catalog().get(cb.arg)
    if act is None or not _is_today(user, cb, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    return Outcome(
        edit=_content(ui.act_detail_text(t, act), ui.act_detail_rows(t, cb.local_date, act))
    )


async def _commit(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    act = default_catalog().get(cb.arg)
    if act is None or not _is_today(user, cb, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    plan = await _set_plan(session, user, cb.local_date, act.id, t(act.text), now)
    if plan is None:
        return Outcome(note=ui.already_saved(t))
    assert plan.id is not None
    return Outcome(
        edit=_content(ui.plan_text(t, plan.act_text), ui.plan_rows(t, cb.local_date, plan.id))
    )


async def _set_plan(
    session: AsyncSession,
    user: User,
    local_date: date,
    act_id: str | None,
    act_text: str,
    now: datetime,
) -> DailyPlan | None:
    """Make ``act`` the plan of the day; ``None`` when it already is (a double press)."""
    assert user.id is not None
    repo = PlanRepository(session)
    plan = await repo.get_for_date(user.id, local_date)
    if plan is None:
        plan = repo.add(
            DailyPlan(
                user_id=user.id,
                local_date=local_date,
                act_id=act_id,
                act_text=act_text,
                created_at=now,
                updated_at=now,
            )
        )
    elif plan.status is PlanStatus.PLANNED and plan.act_id == act_id and act_id is not None:
        return None
    else:
        plan.act_id = act_id
        plan.act_text = act_text
        plan.status = PlanStatus.PLANNED
        plan.updated_at = now
    user.snoozed_until = None
    await session.flush()
    return plan


async def _others(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    if not _is_today(user, cb, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    shown = tuple(user.offered_acts[-1]["a"]) if user.offered_acts else ()
    content = await morning_content(
        session, user, cb.local_date, now, on_demand=True, exclude=shown
    )
    return Outcome(edit=content)


async def _low_energy(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    if not _is_today(user, cb, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    shown = tuple(user.offered_acts[-1]["a"]) if user.offered_acts else ()
    content = await morning_content(
        session, user, cb.local_date, now, on_demand=True, exclude=shown, low_energy=True
    )
    return Outcome(edit=content)


async def _own(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    if not _is_today(user, cb, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    _set_step(user, Step.OWN_IDEA, {"d": cb.local_date.isoformat()})
    return Outcome(send=[_content(ui.own_idea_question(t))])


async def _later(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    if not _is_today(user, cb, now):
        return Outcome(note=ui.out_of_date(t))
    until = now + SNOOZE
    if user.snoozed_until is not None and user.snoozed_until > now:
        return Outcome(note=ui.already_saved(t))
    user.snoozed_until = until
    user.updated_at = now
    at = until.astimezone(ZoneInfo(user.timezone)).time()
    return Outcome(send=[_content(ui.snoozed_text(t, format_time_of_day(at, user.locale)))])


async def _not_today(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    if not _is_today(user, cb, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    assert user.id is not None
    repo = PlanRepository(session)
    plan = await repo.get_for_date(user.id, cb.local_date)
    if plan is not None and plan.status is PlanStatus.NOT_TODAY:
        return Outcome(note=ui.already_saved(t))
    if plan is None:
        repo.add(
            DailyPlan(
                user_id=user.id,
                local_date=cb.local_date,
                act_text="",
                status=PlanStatus.NOT_TODAY,
                created_at=now,
                updated_at=now,
            )
        )
    elif plan.status is PlanStatus.PLANNED:
        plan.status = PlanStatus.NOT_TODAY
        plan.updated_at = now
    user.snoozed_until = None
    step = cb.local_date.toordinal()
    variant = variant_index(ui.NOT_TODAY_COUNT, user_id=user.id, step=step)
    # The tiny idea is optional: offered on about two days in three.
    tiny_seed = seed_for("tiny", user.id, step)
    tiny = None if tiny_seed % 3 == 0 else tiny_seed
    return Outcome(send=[_content(ui.not_today_text(t, variant=variant, tiny=tiny))])


# --- logging acts ------------------------------------------------------------------------------


async def _done_button(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    plan = await session.get(DailyPlan, int(cb.arg)) if cb.arg.isdigit() else None
    if (
        plan is None
        or plan.user_id != user.id
        or plan.local_date != cb.local_date
        or not _is_recent(user, plan.local_date, now)
    ):
        return Outcome(note=ui.out_of_date(t))
    if plan.status is not PlanStatus.PLANNED:
        return Outcome(note=ui.already_saved(t))
    return Outcome(send=[await _log(session, user, t, plan.local_date, plan, None, now)])


async def _log(
    session: AsyncSession,
    user: User,
    t: Translator,
    local_date: date,
    plan: DailyPlan | None,
    text: str | None,
    now: datetime,
    *,
    catalog_id: str | None = None,
) -> PromptContent:
    """Record one act (the plan's, or ``text``), celebrate, and open the optional note step.

    ``catalog_id``: the catalog act that ``text`` stands for, if any.
    """
    assert user.id is not None
    if plan is not None and text is None:
        act_id, act_text = plan.act_id, plan.act_text
        plan.status = PlanStatus.DONE
        plan.updated_at = now
    else:
        act_id, act_text = catalog_id, text or ""
    act = ActDone(
        user_id=user.id,
        local_date=local_date,
        act_id=act_id,
        text=act_text,
        done_at=now,
    )
    session.add(act)
    await session.flush()
    assert act.id is not None
    logged = await session.exec(
        select(func.count(col(ActDone.id))).where(col(ActDone.user_id) == user.id)
    )
    variant = variant_index(ui.CELEBRATION_COUNT, user_id=user.id, step=logged.one())
    _set_step(user, Step.NOTE, {"id": act.id})
    user.updated_at = now
    return _content(ui.celebration_text(t, act_text, variant=variant), ui.note_rows(t, act.id))


async def done(
    db: Database, clock: Clock, telegram_user_id: int, text: str | None
) -> PromptContent | None:
    """/done, /done <what I did>, or a "done" reply.

    With words, logs them as an unplanned act. Without, logs today's open plan; with no open
    plan, asks what was done (a free-text step).

    Returns:
        What to show, or ``None`` for someone who never pressed /start.
    """
    now = clock.now()
    async with db.write() as session:
        user = await _person(session, telegram_user_id)
        if user is None:
            return None
        assert user.id is not None
        t = translator_of(user)
        local_date = local_today(user, now)
        words = text or ""
        if words.strip():
            return await _log(session, user, t, local_date, None, words[:MAX_TEXT], now)
        plan = await PlanRepository(session).get_for_date(user.id, local_date)
        if plan is not None and plan.status is PlanStatus.PLANNED:
            return await _log(session, user, t, local_date, plan, None, now)
        _set_step(user, Step.LOG_ACT, {"d": local_date.isoformat()})
        return _content(ui.what_did_you_do(t))


async def _note_skip(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    act = await session.get(ActDone, int(cb.arg)) if cb.arg.isdigit() else None
    if act is None or act.user_id != user.id:
        return Outcome(note=ui.out_of_date(t))
    if user.pending_step == Step.NOTE and (user.pending_payload or {}).get("id") == act.id:
        _set_step(user, None)
        return Outcome(send=[_content(ui.note_skipped(t))])
    return Outcome(note=ui.already_saved(t))


async def _inline_log(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    """ "Yes, log it" under the offer sent after a note went out in inline mode."""
    if cb.arg not in inline_ui.KINDS or not _is_recent(user, cb.local_date, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    text = inline_ui.logged_text(t, cb.arg)
    catalog_id = inline_ui.LOGGED_ACT[cb.arg]
    logged = await _log(session, user, t, cb.local_date, None, text, now, catalog_id=catalog_id)
    # The offer loses its button, so a second tap cannot log the same note twice.
    return Outcome(edit=_content(inline_ui.offer_to_log(t, cb.arg)), send=[logged])


# --- evening reflection ------------------------------------------------------------------------


async def reflect(db: Database, clock: Clock, telegram_user_id: int) -> PromptContent | None:
    """/reflect: start today's reflection now (the scheduled one is then not sent).

    Returns:
        The first question, a short note when today's reflection is complete, or ``None`` for
        someone who never pressed /start.
    """
    now = clock.now()
    async with db.write() as session:
        user = await _person(session, telegram_user_id)
        if user is None:
            return None
        assert user.id is not None
        t = translator_of(user)
        local_date = local_today(user, now)
        reflection = await _reflection(session, user, local_date, now)
        if reflection.completed:
            return _content(ui.reflection_done_already(t))
        return await evening_content(session, user, local_date, on_demand=True)


async def _reflection(
    session: AsyncSession, user: User, local_date: date, now: datetime
) -> Reflection:
    assert user.id is not None
    repo = ReflectionRepository(session)
    reflection = await repo.get_for_date(user.id, local_date)
    if reflection is None:
        reflection = repo.add(
            Reflection(user_id=user.id, local_date=local_date, created_at=now, updated_at=now)
        )
        await session.flush()
    return reflection


_OUTCOMES: Final = {o.value: o for o in ReflectionOutcome}


async def _outcome(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    outcome = _OUTCOMES.get(cb.arg)
    if outcome is None or not _is_recent(user, cb.local_date, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    assert user.id is not None
    reflection = await _reflection(session, user, cb.local_date, now)
    if reflection.outcome is not None or reflection.completed:
        return Outcome(note=ui.already_saved(t))
    reflection.outcome = outcome
    reflection.updated_at = now
    if outcome is ReflectionOutcome.DID:
        plan = await PlanRepository(session).get_for_date(user.id, cb.local_date)
        if plan is not None and plan.status is PlanStatus.PLANNED:
            plan.status = PlanStatus.DONE
            plan.updated_at = now
            session.add(
                ActDone(
                    user_id=user.id,
                    local_date=cb.local_date,
                    act_id=plan.act_id,
                    text=plan.act_text,
                    done_at=now,
                )
            )
    return Outcome(
        edit=_content(ui.feeling_question(t), ui.feeling_rows(t, cb.local_date)),
    )


async def _feeling(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    if cb.arg not in {"0", "1", "2", "3", "4", "5"} or not _is_recent(user, cb.local_date, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    reflection = await _reflection(session, user, cb.local_date, now)
    if reflection.completed or (
        user.pending_step == Step.RECEIVED
        and (user.pending_payload or {}).get("d") == cb.local_date.isoformat()
    ):
        return Outcome(note=ui.already_saved(t))
    if reflection.outcome is None:
        reflection.outcome = ReflectionOutcome.SKIPPED
    value = int(cb.arg)
    reflection.feeling = value or None
    reflection.updated_at = now
    _set_step(user, Step.RECEIVED, {"d": cb.local_date.isoformat()})
    return Outcome(
        edit=_content(ui.received_question(t), ui.received_rows(t, cb.local_date)),
    )


async def _received_skip(
    session: AsyncSession, user: User, t: Translator, cb: Callback, now: datetime
) -> Outcome:
    if not _is_recent(user, cb.local_date, now):
        return Outcome(note=ui.out_of_date(t))
    assert cb.local_date is not None
    reflection = await _reflection(session, user, cb.local_date, now)
    if reflection.completed:
        return Outcome(note=ui.already_saved(t))
    return Outcome(send=[_finish_reflection(user, t, reflection, None, now)])


def _finish_reflection(
    user: User, t: Translator, reflection: Reflection, received: str | None, now: datetime
) -> PromptContent:
    assert user.id is not None
    if received is not None:
        reflection.received = received
    reflection.completed = True
    reflection.updated_at = now
    if user.pending_step == Step.RECEIVED:
        _set_step(user, None)
    step = reflection.local_date.toordinal()
    return _content(
        ui.goodnight(t, variant=variant_index(ui.GOODNIGHT_COUNT, user_id=user.id, step=step))
    )


# --- free text ---------------------------------------------------------------------------------


async def reply(db: Database, clock: Clock, telegram_user_id: int, text: str) -> Reply | None:
    """Free text: the answer to an open step, a "done" reply, or a hint of what to do now.

    Returns:
        What to show, or ``None`` for someone who never pressed /start.
    """
    now = clock.now()
    async with db.write() as session:
        user = await _person(session, telegram_user_id)
        if user is None:
            return None
        if user.pending_step in settings.STEPS:
            return await settings.answer_step(session, user, text, now)
        return Reply(messages=[await _answer(session, user, text, now)])


async def _answer(session: AsyncSession, user: User, text: str, now: datetime) -> PromptContent:
    t = translator_of(user)
    words = text[:MAX_TEXT]  # stored as typed: emoji, RTL and zero-width marks included
    step, payload = user.pending_step, user.pending_payload or {}
    if step in {Step.NOTE, Step.RECEIVED} and (is_skip_phrase(words) or is_cancel_phrase(words)):
        return await _skip_by_reply(session, user, t, step, payload, now)
    if step in {Step.OWN_IDEA, Step.LOG_ACT} and is_cancel_phrase(words):
        _set_step(user, None)
        return _content(ui.left_as_it_was(t))
    if step == Step.NOTE:
        act = await session.get(ActDone, payload.get("id", -1))
        _set_step(user, None)
        if act is not None and act.user_id == user.id:
            act.note = words
            return _content(ui.note_saved(t))
    day = _payload_date(payload)
    if step in {Step.OWN_IDEA, Step.LOG_ACT, Step.RECEIVED} and day is not None:
        _set_step(user, None)
        if step == Step.OWN_IDEA:
            plan = await _set_plan(session, user, day, None, words, now)
            assert plan is not None
            assert plan.id is not None
            return _content(ui.plan_text(t, plan.act_text), ui.plan_rows(t, day, plan.id))
        if step == Step.LOG_ACT:
            return await _log(session, user, t, day, None, words, now)
        reflection = await _reflection(session, user, day, now)
        return _finish_reflection(user, t, reflection, words, now)
    if is_done_phrase(words):
        local_date = local_today(user, now)
        assert user.id is not None
        plan = await PlanRepository(session).get_for_date(user.id, local_date)
        if plan is not None and plan.status is PlanStatus.PLANNED:
            return await _log(session, user, t, local_date, plan, None, now)
        _set_step(user, Step.LOG_ACT, {"d": local_date.isoformat()})
        return _content(ui.what_did_you_do(t))
    return _content(ui.done_free_text_hint(t))


async def _skip_by_reply(
    session: AsyncSession,
    user: User,
    t: Translator,
    step: str,
    payload: dict[str, Any],
    now: datetime,
) -> PromptContent:
    """ "skip" (or "cancel") typed for an optional question: as its Skip button, nothing stored."""
    _set_step(user, None)
    day = _payload_date(payload)
    if step == Step.RECEIVED and day is not None:
        return _finish_reflection(user, t, await _reflection(session, user, day, now), None, now)
    return _content(ui.note_skipped(t))


def _payload_date(payload: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(payload.get("d")))
    except ValueError:
        return None


_HANDLERS: Final = {
    Action.PICK: _pick,
    Action.COMMIT: _commit,
    Action.OTHERS: _others,
    Action.OWN: _own,
    Action.LOW_ENERGY: _low_energy,
    Action.INLINE_LOG: _inline_log,
    Action.LATER: _later,
    Action.NOT_TODAY: _not_today,
    Action.DONE: _done_button,
    Action.NOTE_SKIP: _note_skip,
    Action.OUTCOME: _outcome,
    Action.FEELING: _feeling,
    Action.RECEIVED_SKIP: _received_skip,
}
