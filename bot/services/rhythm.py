"""Use cases of the rhythm ("a little most days" or kindness days) and of a kindness day's list.

The rhythm screen keeps its state in its buttons: each weekday button carries the days chosen
if it is tapped, and Save carries the days to save, so an old screen still does what it says
and a forged one is checked like any other (``bot.kindness.rhythm.is_valid``). Saving plans
the person's prompts anew in the same unit of work. ``bot.ui.rhythm`` renders the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Final

from bot.i18n import translator_for
from bot.kindness.catalog import default_catalog
from bot.kindness.rhythm import MOST_DAYS, is_kindness_day, is_valid, toggled
from bot.services.daily_prompts import ChecklistPrompt, checklist_from
from bot.services.unit import Answer, Press, Visit, visit
from scheduler.clock import Clock
from scheduler.ledger import replan_user
from storage.engine import Database
from storage.models import ActDone
from storage.recent import History
from storage.repositories import ActRepository, ChecklistRepository

__all__ = [
    "OPEN",
    "RhythmPicker",
    "RhythmRefusal",
    "RhythmSet",
    "Ticked",
    "choose",
    "save_arg",
    "tick",
    "toggle_arg",
]

OPEN: Final = "open"  # the rhythm screen with what is saved
MOST: Final = "most"  # save "a little most days"
TOGGLE: Final = "d"  # + mask: the screen with these days chosen (not saved yet)
SAVE: Final = "s"  # + mask: save these kindness days


@dataclass(frozen=True)
class RhythmPicker:
    """The rhythm screen.

    Attributes:
        chosen: The weekday mask being chosen (not saved until Save).
        saved: The person's saved mask (0: a little most days).
        opened: Just opened (a new message), not redrawn after a tap on a day.
    """

    chosen: int
    saved: int
    opened: bool = False


@dataclass(frozen=True)
class RhythmSet:
    """A rhythm was saved.

    Attributes:
        kindness_days: The weekday mask saved (0: a little most days).
        quiet_evenings: Under kindness days, whether other evenings ask about kindness received.
        today: Today is one of the kindness days (its list is one /today away).
    """

    kindness_days: int
    quiet_evenings: bool
    today: bool


class RhythmRefusal(Enum):
    """A rhythm button that changes nothing, answered with a short note."""

    OUT_OF_DATE = "out_of_date"  # a forged or unknown argument
    TOO_MANY_DAYS = "too_many_days"  # a third day tapped (or a forged mask of more)
    NO_DAYS = "no_days"  # Save with no day chosen


@dataclass(frozen=True)
class Ticked:
    """An act on a kindness day's list was ticked off (or the tick taken back).

    Attributes:
        checklist: The list as it is now, to redraw the message in place.
        done: True for a tick, False for one taken back.
    """

    checklist: ChecklistPrompt
    done: bool


def _mask(arg: str, prefix: str) -> int | None:
    """The mask a button argument carries after ``prefix``; ``None`` when it carries none."""
    digits = arg.removeprefix(prefix)
    if not arg.startswith(prefix) or not digits.isascii() or not digits.isdigit():
        return None
    if len(digits) > 3:  # 127 at most: never parse a huge forged number
        return None
    return int(digits)


async def choose(
    db: Database, clock: Clock, press: Press
) -> Answer[RhythmPicker | RhythmSet | RhythmRefusal] | None:
    """A button of the rhythm screen (also "Rhythm" in /settings and at onboarding's end).

    ``press.arg``: ``open``; ``most``; ``d<mask>`` (the screen with those days chosen);
    ``s<mask>`` (save those one or two days).

    Returns:
        The screen, the rhythm saved, a refusal (too many days, none, a forged argument), or
        ``None`` for someone who never pressed /start.
    """
    async with visit(db, clock, press.telegram_user_id) as v:
        if v is None:
            return None
        saved = v.person.kindness_days
        arg = press.arg
        if arg == OPEN:
            return v.answer(RhythmPicker(chosen=saved, saved=saved, opened=True))
        if arg == MOST:
            return v.answer(await _save(v, MOST_DAYS))
        chosen = _mask(arg, TOGGLE)
        if chosen is not None:
            if not 0 <= chosen < 1 << 7:
                return v.answer(RhythmRefusal.OUT_OF_DATE)
            if not is_valid(chosen):
                return v.answer(RhythmRefusal.TOO_MANY_DAYS)
            return v.answer(RhythmPicker(chosen=chosen, saved=saved))
        to_save = _mask(arg, SAVE)
        if to_save is None or not 0 <= to_save < 1 << 7:
            return v.answer(RhythmRefusal.OUT_OF_DATE)
        if to_save == MOST_DAYS:
            return v.answer(RhythmRefusal.NO_DAYS)
        if not is_valid(to_save):
            return v.answer(RhythmRefusal.TOO_MANY_DAYS)
        return v.answer(await _save(v, to_save))


async def _save(v: Visit, mask: int) -> RhythmSet:
    """Save the rhythm and plan the person's prompts anew (a double press changes nothing)."""
    person = v.person
    if person.kindness_days != mask:
        person.kindness_days = mask
        person.updated_at = v.now
        await v.session.flush()
        await replan_user(v.session, v.person_id, v.now)
    return RhythmSet(
        kindness_days=mask,
        quiet_evenings=person.quiet_evenings,
        today=is_kindness_day(mask, v.today),
    )


def toggle_arg(chosen: int, weekday: int) -> str:
    """The argument of the button of ``weekday`` on a screen with ``chosen`` days."""
    return f"{TOGGLE}{toggled(chosen, weekday)}"


def save_arg(chosen: int) -> str:
    """The argument of Save on a screen with ``chosen`` days."""
    return f"{SAVE}{chosen}"


async def tick(db: Database, clock: Clock, press: Press) -> Answer[Ticked | RhythmRefusal] | None:
    """An act's button on a kindness day's list: tick it off (logged), or take the tick back.

    A list stays what it was when shown, even if the rhythm changed since, so its ticks keep
    counting for its day; a list from before yesterday, an act not on it, or a day with no
    list is out of date.

    Returns:
        The list as it is now, :attr:`RhythmRefusal.OUT_OF_DATE`, or ``None`` for someone
        who never pressed /start.
    """
    async with visit(db, clock, press.telegram_user_id) as v:
        if v is None:
            return None
        day = press.day
        act_id = press.arg
        if day is None or not v.today - timedelta(days=1) <= day <= v.today:
            return v.answer(RhythmRefusal.OUT_OF_DATE)
        checklist = await ChecklistRepository(v.session).get_for_date(v.person_id, day)
        act = default_catalog().get(act_id)
        if checklist is None or act is None or act_id not in checklist.act_ids:
            return v.answer(RhythmRefusal.OUT_OF_DATE)
        ticked = dict(checklist.ticked)  # reassigned below: JSON changes are not tracked
        acts = ActRepository(v.session)
        done = act_id not in ticked
        if done:
            text = translator_for(v.person.locale)(act.text)
            logged = await acts.add(
                ActDone(
                    user_id=v.person_id, local_date=day, act_id=act_id, text=text, done_at=v.now
                )
            )
            assert logged.id is not None  # flushed by add
            ticked[act_id] = logged.id
        else:
            existing = await acts.get_of(v.person_id, ticked.pop(act_id))
            if existing is not None:
                await acts.remove(existing)
        checklist.ticked = ticked
        checklist.updated_at = v.now
        v.person.updated_at = v.now
        shown, _ = checklist_from(
            v.person, v.person_id, History(), day, v.now, checklist, on_demand=True
        )
        return v.answer(Ticked(checklist=shown, done=done))
