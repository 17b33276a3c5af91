"""Use cases of the daily loop: choosing today's act, logging acts, the evening reflection.

Each public function opens one unit of work (:func:`bot.services.unit.visit`), checks that the
button or reply belongs to the person and the day it claims, and returns what happened as a
small typed result; ``bot.ui.daily`` renders it. Nothing here speaks Telegram or writes copy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import Enum
from typing import Final
from zoneinfo import ZoneInfo

from bot.i18n import translator_for
from bot.kindness.catalog import Act, default_catalog
from bot.kindness.phrases import is_cancel_phrase, is_done_phrase, is_skip_phrase
from bot.kindness.rhythm import is_kindness_day
from bot.services import inline, preferences
from bot.services.daily_prompts import (
    ChecklistPrompt,
    EveningPrompt,
    MorningPrompt,
    checklist_prompt,
    evening_prompt,
    morning_prompt,
)
from bot.services.unit import Answer, Press, Visit, local_today, visit
from scheduler.clock import Clock
from scheduler.snoozes import cancel_snooze, snooze
from storage.checklists import ticked_count
from storage.engine import Database
from storage.models import ActDone, DailyPlan, PlanStatus, Reflection, ReflectionOutcome
from storage.pending import (
    DAILY_STEPS,
    PREFERENCE_STEPS,
    PendingStep,
    Step,
    clear_step,
    offer_rounds,
    pending_step,
    set_step,
)
from storage.repositories import (
    ActRepository,
    ChecklistRepository,
    PlanRepository,
    ReflectionRepository,
    plan_of,
)

__all__ = [
    "MAX_TEXT",
    "SNOOZE",
    "ActDetail",
    "ButtonUseCase",
    "Goodnight",
    "InlineLogged",
    "Logged",
    "Passed",
    "PlanShown",
    "PreferenceAnswered",
    "Refusal",
    "Said",
    "Snoozed",
    "Step",
    "commit",
    "done",
    "done_button",
    "feeling",
    "inline_log",
    "later",
    "log_plan",
    "low_energy",
    "not_today",
    "note_skip",
    "other_ideas",
    "outcome",
    "own_idea",
    "pick",
    "received_skip",
    "reflect",
    "reply",
    "set_plan",
    "today",
]

SNOOZE: Final = timedelta(hours=2)
MAX_TEXT: Final = 4096  # Telegram's limit for one message; stored whole
ACT_CHOSEN: Final = "an act was chosen"  # why a "Later" is called off (the ledger's reason)
PASSED: Final = "passed on the day"


class Refusal(Enum):
    """A press that changes nothing, answered with a short note."""

    OUT_OF_DATE = "out_of_date"  # another day's button, someone else's data, a forged one
    ALREADY_SAVED = "already_saved"  # pressed twice


class Said(Enum):
    """A fixed answer with nothing to fill in."""

    OWN_IDEA_QUESTION = "own_idea_question"  # "What will you do?"
    WHAT_DID_YOU_DO = "what_did_you_do"  # "done" with nothing planned
    NOTE_SAVED = "note_saved"
    NOTE_SKIPPED = "note_skipped"
    LEFT_AS_IT_WAS = "left_as_it_was"  # a cancel word while a question was open
    DONE_HINT = "done_hint"  # free text with nothing open
    REFLECTION_DONE = "reflection_done"  # /reflect after today's reflection
    FEELING_QUESTION = "feeling_question"  # edited in after the evening outcome
    RECEIVED_QUESTION = "received_question"  # edited in after the feeling


@dataclass(frozen=True)
class ActDetail:
    """One act with its tip, before committing to it."""

    day: date
    act: Act


@dataclass(frozen=True)
class PlanShown:
    """Today's plan with its Done button."""

    day: date
    plan_id: int
    act_text: str


@dataclass(frozen=True)
class Asked:
    """An evening question for ``day`` (feeling, then received)."""

    said: Said
    day: date


@dataclass(frozen=True)
class Snoozed:
    """ "Later": the morning prompt comes back at about ``at`` (the person's wall time)."""

    at: time


@dataclass(frozen=True)
class Passed:
    """ "Not today" was taken kindly (the renderer picks the words from the seeds)."""

    person_id: int
    day: date


@dataclass(frozen=True)
class Logged:
    """An act was logged; the optional note question follows.

    Attributes:
        act_done_id: ``acts_done.id``, for the note's Skip button.
        act_text: What was logged.
        person_id: ``users.id`` (with ``count``, the seed of the celebration variant).
        count: How many acts the person has logged, this one included.
    """

    act_done_id: int
    act_text: str
    person_id: int
    count: int


@dataclass(frozen=True)
class InlineLogged:
    """A note sent in inline mode was logged; the offer loses its button.

    ``tomorrow``: a thank-you sent after the evening reflection, logged as tomorrow's act.
    """

    kind: str
    logged: Logged
    tomorrow: bool = False


@dataclass(frozen=True)
class PreferenceAnswered:
    """Free text answered an open preference step (a zone or a time); see ``preferences``."""

    step: preferences.StepResult


@dataclass(frozen=True)
class Goodnight:
    """The reflection is complete.

    ``received``: the person named kindness they received or witnessed (the thank-you offer).
    """

    person_id: int
    day: date
    received: bool = False


Result = (
    ActDetail
    | PlanShown
    | Asked
    | Snoozed
    | Passed
    | Logged
    | InlineLogged
    | Goodnight
    | MorningPrompt
    | ChecklistPrompt
    | EveningPrompt
    | Said
    | Refusal
)
"""Everything a daily-loop use case can answer with."""

ButtonUseCase = Callable[[Database, Clock, Press], Awaitable["Answer[Result] | None"]]
"""A use case behind one kind of button."""

# Notes sent from inline mode: the catalog act each stands for, and what the log keeps (in
# the person's language, like the act text of a plan; the msgids are inline mode's own).
_SENT_NOTES: Final = {
    "enc": ("encourage_colleague", "Sent an encouraging message"),
    "thx": ("thank_message", "Sent a thank-you note"),
}
_FEELINGS: Final = frozenset({"0", "1", "2", "3", "4", "5"})
_OUTCOMES: Final = {o.value: o for o in ReflectionOutcome}


# --- /today and the morning buttons -----------------------------------------------------------


async def today(
    db: Database, clock: Clock, telegram_user_id: int
) -> Answer[PlanShown | MorningPrompt | ChecklistPrompt] | None:
    """/today: today's open plan with its Done button, on a kindness day its list, or fresh
    suggestions.

    Returns:
        What to show, or ``None`` for someone who never pressed /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        day = v.today
        plan = await PlanRepository(v.session).get_for_date(v.person_id, day)
        if plan is not None and plan.status is PlanStatus.PLANNED and plan.id is not None:
            return v.answer(PlanShown(day=day, plan_id=plan.id, act_text=plan.act_text))
        if is_kindness_day(v.person.kindness_days, day):
            return v.answer(await checklist_prompt(v, day, on_demand=True))
        return v.answer(await morning_prompt(v, day, on_demand=True))


def _is_today(v: Visit, day: date | None) -> bool:
    return day is not None and day == v.today


def _is_recent(v: Visit, day: date | None) -> bool:
    """Today or yesterday in the person's zone (an evening may run past midnight)."""
    today_ = v.today
    return day is not None and today_ - timedelta(days=1) <= day <= today_


async def pick(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """An act's button under the morning prompt: show it with its tip."""
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        act_id = press.arg
        if v is None:
            return None
        act = default_catalog().get(act_id)
        if act is None or day is None or not _is_today(v, day):
            return v.answer(Refusal.OUT_OF_DATE)
        return v.answer(ActDetail(day=day, act=act))


async def commit(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """ "I'll do this one": make the act today's plan."""
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        act_id = press.arg
        if v is None:
            return None
        act = default_catalog().get(act_id)
        if act is None or day is None or not _is_today(v, day):
            return v.answer(Refusal.OUT_OF_DATE)
        act_text = translator_for(v.person.locale)(act.text)
        plan = await set_plan(v, day, act.id, act_text)
        if plan is None:
            return v.answer(Refusal.ALREADY_SAVED)
        return v.answer(plan)


async def set_plan(v: Visit, day: date, act_id: str | None, act_text: str) -> PlanShown | None:
    """Make the act the plan of ``day``; ``None`` when it already is (a double press)."""
    repo = PlanRepository(v.session)
    plan = await repo.get_for_date(v.person_id, day)
    if plan is None:
        plan = repo.add(
            DailyPlan(
                user_id=v.person_id,
                local_date=day,
                act_id=act_id,
                act_text=act_text,
                created_at=v.now,
                updated_at=v.now,
            )
        )
    elif plan.status is PlanStatus.PLANNED and plan.act_id == act_id and act_id is not None:
        return None
    else:
        plan.act_id = act_id
        plan.act_text = act_text
        plan.status = PlanStatus.PLANNED
        plan.updated_at = v.now
    await cancel_snooze(v.session, user_id=v.person_id, now=v.now, reason=ACT_CHOSEN)
    await v.session.flush()
    assert plan.id is not None  # flushed just above
    return PlanShown(day=day, plan_id=plan.id, act_text=plan.act_text)


async def other_ideas(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """ "Other ideas": a new round, avoiding the acts just shown."""
    return await _new_round(db, clock, press, low_energy=None)


async def low_energy(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """ "Low energy today": one-minute and self-kindness ideas."""
    return await _new_round(db, clock, press, low_energy=True)


async def _new_round(
    db: Database, clock: Clock, press: Press, *, low_energy: bool | None
) -> Answer[Result] | None:
    day = press.day
    async with visit(db, clock, press.telegram_user_id) as v:
        if v is None:
            return None
        if day is None or not _is_today(v, day):
            return v.answer(Refusal.OUT_OF_DATE)
        rounds = offer_rounds(v.person)
        shown = rounds[-1].acts if rounds else ()
        prompt = await morning_prompt(v, day, on_demand=True, exclude=shown, low_energy=low_energy)
        return v.answer(prompt)


async def own_idea(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """ "My own idea": ask for it (the next message answers)."""
    day = press.day
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        if v is None:
            return None
        if day is None or not _is_today(v, day):
            return v.answer(Refusal.OUT_OF_DATE)
        set_step(v.person, PendingStep(Step.OWN_IDEA, day=day))
        return v.answer(Said.OWN_IDEA_QUESTION)


async def later(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """ "Later": bring the morning prompt back in :data:`SNOOZE`."""
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        if v is None:
            return None
        if not _is_today(v, day):
            return v.answer(Refusal.OUT_OF_DATE)
        until = v.now + SNOOZE
        # The ideas are for the date they come back on (late at night, that is tomorrow).
        on = local_today(v.person, until)
        if not await snooze(v.session, user_id=v.person_id, local_date=on, due=until, now=v.now):
            return v.answer(Refusal.ALREADY_SAVED)
        return v.answer(Snoozed(at=until.astimezone(ZoneInfo(v.person.timezone)).time()))


async def not_today(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """ "Not today": a kind pass for the day."""
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        if v is None:
            return None
        if day is None or not _is_today(v, day):
            return v.answer(Refusal.OUT_OF_DATE)
        repo = PlanRepository(v.session)
        plan = await repo.get_for_date(v.person_id, day)
        if plan is not None and plan.status is PlanStatus.NOT_TODAY:
            return v.answer(Refusal.ALREADY_SAVED)
        if plan is None:
            repo.add(
                DailyPlan(
                    user_id=v.person_id,
                    local_date=day,
                    act_text="",
                    status=PlanStatus.NOT_TODAY,
                    created_at=v.now,
                    updated_at=v.now,
                )
            )
        elif plan.status is PlanStatus.PLANNED:
            plan.status = PlanStatus.NOT_TODAY
            plan.updated_at = v.now
        await cancel_snooze(v.session, user_id=v.person_id, now=v.now, reason=PASSED)
        return v.answer(Passed(person_id=v.person_id, day=day))


# --- logging acts ------------------------------------------------------------------------------


async def done_button(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """Done under a plan: log the planned act."""
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        plan_id = press.arg
        if v is None:
            return None
        plan = (
            await plan_of(v.session, user_id=v.person_id, plan_id=int(plan_id))
            if plan_id.isdigit()
            else None
        )
        if plan is None or plan.local_date != day or not _is_recent(v, plan.local_date):
            return v.answer(Refusal.OUT_OF_DATE)
        if plan.status is not PlanStatus.PLANNED:
            return v.answer(Refusal.ALREADY_SAVED)
        return v.answer(await log_plan(v, plan))


async def log_plan(v: Visit, plan: DailyPlan, *, ask_note: bool = True) -> Logged:
    """Log the planned act of ``plan`` as done (Done, /done, a reaction).

    ``ask_note``: open the optional note step; a reaction asks nothing, so it opens none.
    """
    plan.status = PlanStatus.DONE
    plan.updated_at = v.now
    return await _log(v, plan.local_date, plan.act_text, act_id=plan.act_id, ask_note=ask_note)


async def _log(
    v: Visit, day: date, act_text: str, *, act_id: str | None, ask_note: bool = True
) -> Logged:
    """Record one act and (unless ``ask_note`` is false) open the optional note step.

    ``act_id``: the catalog act that ``act_text`` stands for, if any.
    """
    repo = ActRepository(v.session)
    act = await repo.add(
        ActDone(user_id=v.person_id, local_date=day, act_id=act_id, text=act_text, done_at=v.now)
    )
    assert act.id is not None  # flushed by add
    count = await repo.count_of(v.person_id)
    if ask_note:
        set_step(v.person, PendingStep(Step.NOTE, act_id=act.id))
    v.person.updated_at = v.now
    return Logged(act_done_id=act.id, act_text=act_text, person_id=v.person_id, count=count)


async def done(
    db: Database, clock: Clock, telegram_user_id: int, text: str | None
) -> Answer[Logged | Said] | None:
    """/done, /done <what I did>, or a "done" reply.

    With words, logs them as an unplanned act. Without, logs today's open plan; with no open
    plan, asks what was done (a free-text step).

    Returns:
        What happened, or ``None`` for someone who never pressed /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        words = text or ""
        if words.strip():
            return v.answer(await _log(v, v.today, words[:MAX_TEXT], act_id=None))
        return v.answer(await _done_today(v))


async def _done_today(v: Visit) -> Logged | Said:
    """Log today's open plan, or ask what was done."""
    day = v.today
    plan = await PlanRepository(v.session).get_for_date(v.person_id, day)
    if plan is not None and plan.status is PlanStatus.PLANNED:
        return await log_plan(v, plan)
    set_step(v.person, PendingStep(Step.LOG_ACT, day=day))
    return Said.WHAT_DID_YOU_DO


async def note_skip(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """Skip under "How did it go?": no note."""
    async with visit(db, clock, press.telegram_user_id) as v:
        act_done_id = press.arg
        if v is None:
            return None
        repo = ActRepository(v.session)
        act = await repo.get_of(v.person_id, int(act_done_id)) if act_done_id.isdigit() else None
        if act is None:
            return v.answer(Refusal.OUT_OF_DATE)
        open_ = pending_step(v.person)
        if open_ is not None and open_.step is Step.NOTE and open_.act_id == act.id:
            clear_step(v.person)
            return v.answer(Said.NOTE_SKIPPED)
        return v.answer(Refusal.ALREADY_SAVED)


async def inline_log(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """ "Yes, log it" under the offer sent after a note went out in inline mode.

    A thank-you sent once the evening reflection is done counts as tomorrow's act (its plan,
    done, so tomorrow's morning prompt stays away); every other note counts for its day.
    """
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        kind = press.arg
        if v is None:
            return None
        tomorrow = day is not None and day == v.today + timedelta(days=1)
        if kind not in _SENT_NOTES or day is None or not (_is_recent(v, day) or tomorrow):
            return v.answer(Refusal.OUT_OF_DATE)
        if tomorrow and not (kind == inline.THANKS and await inline.reflection_done_today(v)):
            return v.answer(Refusal.OUT_OF_DATE)
        act_id, msgid = _SENT_NOTES[kind]
        text = translator_for(v.person.locale)(msgid)
        if not tomorrow:
            logged = await _log(v, day, text, act_id=act_id)
            return v.answer(InlineLogged(kind=kind, logged=logged))
        repo = PlanRepository(v.session)
        existing = await repo.get_for_date(v.person_id, day)
        if existing is not None and existing.status is PlanStatus.DONE:
            return v.answer(Refusal.ALREADY_SAVED)
        await set_plan(v, day, act_id, text)
        plan = await repo.get_for_date(v.person_id, day)
        assert plan is not None  # set just above
        logged = await log_plan(v, plan)
        return v.answer(InlineLogged(kind=kind, logged=logged, tomorrow=True))


# --- evening reflection ------------------------------------------------------------------------


async def reflect(
    db: Database, clock: Clock, telegram_user_id: int
) -> Answer[EveningPrompt | Said] | None:
    """/reflect: start today's reflection now (the scheduled one is then not sent).

    Returns:
        The first question, :attr:`Said.REFLECTION_DONE` when today's reflection is complete,
        or ``None`` for someone who never pressed /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        day = v.today
        reflection = await _reflection(v, day)
        if reflection.completed:
            return v.answer(Said.REFLECTION_DONE)
        return v.answer(await evening_prompt(v, day, on_demand=True))


async def _reflection(v: Visit, day: date) -> Reflection:
    repo = ReflectionRepository(v.session)
    reflection = await repo.get_for_date(v.person_id, day)
    if reflection is None:
        reflection = repo.add(
            Reflection(user_id=v.person_id, local_date=day, created_at=v.now, updated_at=v.now)
        )
        await v.session.flush()
    return reflection


async def outcome(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """Did it / partly / not today / skip: the first evening answer."""
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        value = press.arg
        if v is None:
            return None
        chosen = _OUTCOMES.get(value)
        if chosen is None or day is None or not _is_recent(v, day):
            return v.answer(Refusal.OUT_OF_DATE)
        reflection = await _reflection(v, day)
        if reflection.outcome is not None or reflection.completed:
            return v.answer(Refusal.ALREADY_SAVED)
        reflection.outcome = chosen
        reflection.updated_at = v.now
        if chosen is ReflectionOutcome.DID:
            plan = await PlanRepository(v.session).get_for_date(v.person_id, day)
            if plan is not None and plan.status is PlanStatus.PLANNED:
                plan.status = PlanStatus.DONE
                plan.updated_at = v.now
                ActRepository(v.session).stage(
                    ActDone(
                        user_id=v.person_id,
                        local_date=day,
                        act_id=plan.act_id,
                        text=plan.act_text,
                        done_at=v.now,
                    )
                )
        return v.answer(Asked(Said.FEELING_QUESTION, day))


async def feeling(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """How do you feel (1 to 5, or 0 to skip): the second evening answer."""
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        value = press.arg
        if v is None:
            return None
        if value not in _FEELINGS or day is None or not _is_recent(v, day):
            return v.answer(Refusal.OUT_OF_DATE)
        reflection = await _reflection(v, day)
        open_ = pending_step(v.person)
        if reflection.completed or (
            open_ is not None and open_.step is Step.RECEIVED and open_.day == day
        ):
            return v.answer(Refusal.ALREADY_SAVED)
        if reflection.outcome is None:
            reflection.outcome = await _listed_outcome(v, day)
        reflection.feeling = int(value) or None
        reflection.updated_at = v.now
        set_step(v.person, PendingStep(Step.RECEIVED, day=day))
        return v.answer(Asked(Said.RECEIVED_QUESTION, day))


async def _listed_outcome(v: Visit, day: date) -> ReflectionOutcome:
    """The evening's outcome when the feeling came first: from a kindness day's list (all
    ticked off: did it; some: partly; none: not today), else skipped.
    """
    checklist = await ChecklistRepository(v.session).get_for_date(v.person_id, day)
    if checklist is None or not checklist.act_ids:
        return ReflectionOutcome.SKIPPED
    ticked = ticked_count(checklist)
    if ticked == len(checklist.act_ids):
        return ReflectionOutcome.DID
    return ReflectionOutcome.PARTLY if ticked else ReflectionOutcome.NOT_TODAY


async def received_skip(db: Database, clock: Clock, press: Press) -> Answer[Result] | None:
    """Skip "what kindness did you receive?": the reflection is complete."""
    async with visit(db, clock, press.telegram_user_id) as v:
        day = press.day
        if v is None:
            return None
        if day is None or not _is_recent(v, day):
            return v.answer(Refusal.OUT_OF_DATE)
        reflection = await _reflection(v, day)
        if reflection.completed:
            return v.answer(Refusal.ALREADY_SAVED)
        return v.answer(_finish_reflection(v, reflection, None))


def _finish_reflection(v: Visit, reflection: Reflection, received: str | None) -> Goodnight:
    if received is not None:
        reflection.received = received
    reflection.completed = True
    reflection.updated_at = v.now
    open_ = pending_step(v.person)
    if open_ is not None and open_.step is Step.RECEIVED:
        clear_step(v.person)
    words = reflection.received
    return Goodnight(
        person_id=v.person_id, day=reflection.local_date, received=bool(words and words.strip())
    )


# --- free text ---------------------------------------------------------------------------------


async def answer_text(v: Visit, text: str) -> Result:
    """Free text with no preference step open: the answer to a daily step, a "done" reply,
    or a hint of what to do now.
    """
    words = text[:MAX_TEXT]  # stored as typed: emoji, RTL and zero-width marks included
    open_ = pending_step(v.person)
    step = open_.step if open_ is not None and open_.step in DAILY_STEPS else None
    if step in {Step.NOTE, Step.RECEIVED} and (is_skip_phrase(words) or is_cancel_phrase(words)):
        return await _skip_by_reply(v, open_)
    if step in {Step.OWN_IDEA, Step.LOG_ACT} and is_cancel_phrase(words):
        clear_step(v.person)
        return Said.LEFT_AS_IT_WAS
    if open_ is not None and step is Step.NOTE:
        clear_step(v.person)
        act = (
            await ActRepository(v.session).get_of(v.person_id, open_.act_id)
            if open_.act_id is not None
            else None
        )
        if act is not None:
            act.note = words
            return Said.NOTE_SAVED
    day = open_.day if open_ is not None else None
    if step in {Step.OWN_IDEA, Step.LOG_ACT, Step.RECEIVED} and day is not None:
        clear_step(v.person)
        if step is Step.OWN_IDEA:
            plan = await set_plan(v, day, None, words)
            assert plan is not None  # an own idea is never "already the plan"
            return plan
        if step is Step.LOG_ACT:
            return await _log(v, day, words, act_id=None)
        return _finish_reflection(v, await _reflection(v, day), words)
    if is_done_phrase(words):
        return await _done_today(v)
    return Said.DONE_HINT


async def _skip_by_reply(v: Visit, open_: PendingStep | None) -> Result:
    """ "skip" (or "cancel") typed for an optional question: as its Skip button, nothing stored."""
    clear_step(v.person)
    if open_ is not None and open_.step is Step.RECEIVED and open_.day is not None:
        return _finish_reflection(v, await _reflection(v, open_.day), None)
    return Said.NOTE_SKIPPED


async def reply(
    db: Database, clock: Clock, telegram_user_id: int, text: str
) -> Answer[Result | PreferenceAnswered] | None:
    """Free text: the answer to an open step, a "done" reply, or a hint of what to do now.

    Returns:
        What happened, or ``None`` for someone who never pressed /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        open_ = pending_step(v.person)
        if open_ is not None and open_.step in PREFERENCE_STEPS:
            return v.answer(PreferenceAnswered(await preferences.answer_preference(v, text)))
        return v.answer(await answer_text(v, text))
