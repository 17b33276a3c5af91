"""Use cases for onboarding and settings: time zone, prompt times, days, pause, resume, stop.

Each use case returns what happened as one of the small result types below, wrapped in
:class:`~bot.services.unit.Answer`; ``ui/preferences.py`` renders it. Every change that moves a
prompt calls :func:`scheduler.ledger.replan_user` in the same unit of work, so the scheduler
plans the person's prompts anew.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum, StrEnum
from typing import Final, TypeAlias, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Settings
from bot.kindness.phrases import is_cancel_phrase
from bot.kindness.time_of_day import parse_time_of_day
from bot.kindness.timezones import (
    find_cities,
    resolve_location,
    resolve_zone_name,
    zones_for_local_time,
)
from bot.services import language
from bot.services.daily_prompts import MorningPrompt, morning_prompt
from bot.services.language import LanguageChoice
from bot.services.unit import Answer, Press, Visit, visit
from scheduler.clock import Clock
from scheduler.ledger import replan_user
from scheduler.snoozes import cancel_snooze
from scheduler.timing import honour_chosen_time, prompts_start, start_of_local_date
from storage.engine import Database
from storage.models import Days, PlanStatus, User, UserStatus
from storage.pending import PendingStep, Step, clear_step, pending_step, set_step
from storage.repositories import PlanRepository, UserRepository

__all__ = [
    "AllSet",
    "AskTime",
    "BadTime",
    "BadZone",
    "ButtonUseCase",
    "City",
    "CityChoice",
    "ClockChoice",
    "MenuResult",
    "Overview",
    "Paused",
    "Refusal",
    "Said",
    "Setting",
    "Slot",
    "Start",
    "StepResult",
    "TimeResult",
    "TimeSet",
    "Times",
    "Unchanged",
    "ZoneResult",
    "ZoneSet",
    "answer_preference",
    "change",
    "choose_zone",
    "confirm_times",
    "location",
    "other_zone",
    "overview",
    "pause",
    "resume",
    "set_time",
    "set_timezone",
    "start",
    "stop",
]

DEFAULT_PAUSE_DAYS: Final = 7
MAX_PAUSE_DAYS: Final = 365
MAX_CHOICES: Final = 5


class Slot(StrEnum):
    """A daily prompt whose time a person chooses; the value is its command's name."""

    MORNING = "morning"
    EVENING = "evening"


class Setting(StrEnum):
    """An item of the /settings menu; the value is the stable id its button carries."""

    ZONE = "tz"
    MORNING = "morning"
    EVENING = "evening"
    DAYS = "days"
    MORNING_TOGGLE = "m_onoff"
    EVENING_TOGGLE = "e_onoff"
    PAUSE = "pause"
    RESUME = "resume"
    LANGUAGE = "lang"
    # Two values, not one that flips: a button of an older menu still does what it says.
    MEMORIES_ON = "mem_on"
    MEMORIES_OFF = "mem_off"
    # Under kindness days: whether the other days' evenings ask about kindness received.
    QUIET_EVENINGS_ON = "qe_on"
    QUIET_EVENINGS_OFF = "qe_off"


class Said(Enum):
    """An answer that needs nothing but its words."""

    ZONE_NOT_FOUND = "zone_not_found"  # no zone at a location; an unknown place at onboarding
    ASK_ZONE = "ask_zone"  # which city or zone? ("None of these", the menu's "Time zone")
    BAD_PAUSE = "bad_pause"  # /pause with something other than 1 to 365 days
    RESUMED = "resumed"
    NOT_PAUSED = "not_paused"  # /resume with nothing paused
    STOPPED = "stopped"


class Refusal(Enum):
    """A button that changes nothing."""

    OUT_OF_DATE = "out_of_date"  # no longer applies (an unknown zone or menu item)
    ALREADY_SAVED = "already_saved"  # "Sounds good" after onboarding finished


@dataclass(frozen=True)
class Start:
    """What /start found: a new person, someone still onboarding, or someone known.

    Attributes:
        created: The person is new.
        onboarding: Still setting up: the time zone question follows the welcome.
        reactivated: They had stopped Kindling (or blocked it); prompts are on again.
        first_name: Their name, as Telegram gave it.
    """

    created: bool
    onboarding: bool
    reactivated: bool
    first_name: str


@dataclass(frozen=True)
class Times:
    """The prompt times, asked about again while onboarding, so setting up goes on.

    Attributes:
        morning: The morning prompt's local time.
        evening: The evening prompt's local time.
        locale: The person's locale, for writing times their way.
    """

    morning: time
    evening: time
    locale: str | None


@dataclass(frozen=True)
class ZoneSet:
    """The time zone was set.

    Attributes:
        zone: The IANA zone name.
        local_now: The time there now.
        locale: The person's locale, for writing times their way.
        then: While onboarding, the times to confirm next; otherwise ``None``.
    """

    zone: str
    local_now: time
    locale: str | None
    then: Times | None


@dataclass(frozen=True)
class City:
    """A city a typed name may mean.

    Attributes:
        name: The city's name.
        admin: Its US state, else ``None``.
        country: Its country, in English.
        zone: Its IANA zone name.
    """

    name: str
    admin: str | None
    country: str
    zone: str


@dataclass(frozen=True)
class CityChoice:
    """Several places have the typed name, in different zones: which one?

    Attributes:
        cities: The candidates, most likely first.
    """

    cities: tuple[City, ...]


@dataclass(frozen=True)
class ClockChoice:
    """Onboarding's fallback: the person gave their local time; these zones show it now.

    Attributes:
        local: The time they gave.
        locale: The person's locale, for writing times their way.
        zones: IANA zone names, most populous first.
    """

    local: time
    locale: str | None
    zones: tuple[str, ...]


@dataclass(frozen=True)
class BadZone:
    """No place or zone matched; the setting is unchanged.

    Attributes:
        current: The zone that stays.
    """

    current: str


@dataclass(frozen=True)
class TimeSet:
    """A prompt time was changed (and the prompt switched on).

    Attributes:
        slot: Which prompt.
        at: Its new local time.
        locale: The person's locale, for writing times their way.
        then: While onboarding, the times to confirm next; otherwise ``None``.
    """

    slot: Slot
    at: time
    locale: str | None
    then: Times | None


@dataclass(frozen=True)
class BadTime:
    """A time that could not be read; the setting is unchanged.

    Attributes:
        slot: Which prompt.
        current: The time that stays.
        locale: The person's locale, for writing times their way.
    """

    slot: Slot
    current: time
    locale: str | None


@dataclass(frozen=True)
class Unchanged:
    """A cancel word for a settings question: nothing changed.

    Attributes:
        then: While onboarding, the times shown before, so setting up can go on with one tap.
    """

    then: Times | None


@dataclass(frozen=True)
class Paused:
    """No prompts until the person's local date ``until``.

    Attributes:
        until: The first local date with prompts again.
    """

    until: date


@dataclass(frozen=True)
class Overview:
    """/settings: everything at a glance.

    Attributes:
        zone: The IANA zone name.
        morning: The morning prompt's local time.
        evening: The evening prompt's local time.
        morning_on: The morning prompt is on.
        evening_on: The evening prompt is on.
        weekdays_only: Prompts on weekdays only (under "a little most days").
        memories_on: The evening may bring back a memory from a month or a year before.
        kindness_days: The rhythm: 0 for "a little most days", else the kindness days' mask.
        quiet_evenings: Under kindness days, the other evenings ask about kindness received.
        paused_until: The local date a pause ends, if one is running.
        stopped: Prompts are stopped (/stop).
        locale: The person's locale, for writing times their way.
    """

    zone: str
    morning: time
    evening: time
    morning_on: bool
    evening_on: bool
    weekdays_only: bool
    memories_on: bool
    paused_until: date | None
    stopped: bool
    locale: str | None
    kindness_days: int = 0
    quiet_evenings: bool = True


@dataclass(frozen=True)
class AskTime:
    """The menu's "Morning time" / "Evening time": the next message is the time.

    Attributes:
        slot: Which prompt.
    """

    slot: Slot


@dataclass(frozen=True)
class AllSet:
    """Onboarding is finished.

    Attributes:
        ideas: Today's ideas to start with, unless an act is already planned for today.
    """

    ideas: MorningPrompt | None


ZoneResult: TypeAlias = ZoneSet | CityChoice | ClockChoice | BadZone | Said
"""A typed or shared place (``Said.ZONE_NOT_FOUND`` only)."""
TimeResult: TypeAlias = TimeSet | BadTime
"""A typed prompt time."""
StepResult: TypeAlias = ZoneResult | TimeResult | Unchanged
"""Free text answering an open preference step."""
MenuResult: TypeAlias = Overview | AskTime | LanguageChoice | Said | Refusal
"""A /settings menu button (``Said.ASK_ZONE`` only)."""

R = TypeVar("R")
ButtonUseCase: TypeAlias = Callable[[Database, Clock, Press], Awaitable[Answer[R] | None]]
"""A use case behind one kind of button, answering ``R``."""


def _changed(user: User, now: datetime) -> None:
    user.updated_at = now


async def _replan(v: Visit) -> None:
    await v.session.flush()
    await replan_user(v.session, v.person_id, v.now)


def _times(user: User) -> Times:
    return Times(morning=user.morning_time, evening=user.evening_time, locale=user.locale)


# --- /start and onboarding ---------------------------------------------------------------------


async def start(
    db: Database,
    clock: Clock,
    settings: Settings,
    *,
    telegram_user_id: int,
    chat_id: int,
    first_name: str,
    language_code: str | None,
) -> Answer[Start]:
    """/start: create the person (onboarding begins) or welcome them back (reactivating).

    Never creates a second account. A new person starts in ``onboarding`` with the operator's
    default zone and times and gets no prompts until they confirm their times.

    Returns:
        Whether the person is new, still onboarding, or was switched back on, in the language
        to answer in (their choice, else Telegram's).
    """
    now = clock.now()
    async with db.write() as session:
        user, created = await UserRepository(session).upsert_from_telegram(
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            first_name=first_name,
            language_code=language_code,
            now=now,
            timezone=settings.default_timezone,
            morning_time=settings.default_morning_time,
            evening_time=settings.default_evening_time,
            status=UserStatus.ONBOARDING,
        )
        if created or user.status is UserStatus.ONBOARDING:
            set_step(user, PendingStep(Step.ONBOARDING_ZONE))
            started = Start(
                created=created, onboarding=True, reactivated=False, first_name=first_name
            )
            return Answer(started, user.locale)
        reactivated = user.status in {UserStatus.STOPPED, UserStatus.BLOCKED}
        if reactivated:
            if user.id is None:  # never: the row was just read or inserted
                raise RuntimeError("a users row without an id")
            user.status = UserStatus.ACTIVE
            user.paused_until = None
            _changed(user, now)
            await _replan(Visit(session=session, person=user, person_id=user.id, now=now))
        started = Start(
            created=False, onboarding=False, reactivated=reactivated, first_name=first_name
        )
        return Answer(started, user.locale)


def _zone_set(user: User, now: datetime) -> ZoneSet:
    """The zone was set: what it is, and (onboarding) the times question next."""
    return ZoneSet(
        zone=user.timezone,
        local_now=now.astimezone(ZoneInfo(user.timezone)).time(),
        locale=user.locale,
        then=_times(user) if user.status is UserStatus.ONBOARDING else None,
    )


async def _move_to_zone(v: Visit, zone: str) -> None:
    """Set the person's zone and plan their prompts anew."""
    await _set_zone(v.session, v.person, zone, v.now)
    await _replan(v)


async def _set_zone(session: AsyncSession, user: User, zone: str, now: datetime) -> None:
    """Stage the new zone on ``user`` (:func:`_move_to_zone` then plans anew)."""
    user.timezone = zone
    open_ = pending_step(user)
    if open_ is not None and open_.step in {Step.ONBOARDING_ZONE, Step.SET_ZONE}:
        clear_step(user)
    if user.id is not None:  # someone new (onboarding) has no snooze yet
        # "Later" was for a local day of the old zone.
        await cancel_snooze(session, user_id=user.id, now=now, reason="moved to another zone")
    _changed(user, now)


def _place_choices(text: str) -> tuple[str | None, tuple[City, ...]]:
    """A zone for what the person typed, or city choices when the name is ambiguous."""
    zone = resolve_zone_name(text)
    if zone is not None:
        return zone, ()
    cities = find_cities(text, limit=MAX_CHOICES)
    zones = {city.timezone for city in cities}
    if len(zones) == 1:
        return cities[0].timezone, ()
    return None, tuple(City(c.name, c.admin, c.country, c.timezone) for c in cities)


async def location(
    db: Database, clock: Clock, telegram_user_id: int, latitude: float, longitude: float
) -> Answer[ZoneResult] | None:
    """A shared location: set the time zone found there (offline).

    Returns:
        The zone set, ``Said.ZONE_NOT_FOUND`` when no zone is known there, or ``None`` for
        someone who never pressed /start.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        zone = resolve_location(latitude, longitude)
        if zone is None:
            return v.answer(Said.ZONE_NOT_FOUND)
        await _move_to_zone(v, zone)
        return v.answer(_zone_set(v.person, v.now))


async def set_timezone(
    db: Database, clock: Clock, telegram_user_id: int, text: str
) -> Answer[ZoneResult] | None:
    """/timezone <zone or city>.

    Returns:
        The zone set, the cities to choose from when the name is ambiguous, the zone that
        stays when nothing matches, or ``None`` for someone unknown.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        return v.answer(await _zone_answer(v, text, allow_clock=False))


async def _zone_answer(v: Visit, text: str, *, allow_clock: bool) -> ZoneResult:
    user = v.person
    if not text.strip():
        return BadZone(current=user.timezone)
    zone, cities = _place_choices(text)
    if zone is not None:
        await _move_to_zone(v, zone)
        return _zone_set(user, v.now)
    if cities:
        return CityChoice(cities=cities)
    local = parse_time_of_day(text) if allow_clock else None
    if local is not None:
        zones = zones_for_local_time(v.now, local)[:MAX_CHOICES]
        if zones:
            return ClockChoice(local=local, locale=user.locale, zones=tuple(zones))
    open_ = pending_step(user)
    if open_ is not None and open_.step is Step.ONBOARDING_ZONE:
        return Said.ZONE_NOT_FOUND
    return BadZone(current=user.timezone)


# --- prompt times ------------------------------------------------------------------------------


async def set_time(
    db: Database, clock: Clock, telegram_user_id: int, slot: Slot, text: str
) -> Answer[TimeResult] | None:
    """/morning HH:MM and /evening HH:MM (also "8:30", "08.30", "8am", "20h").

    Returns:
        The time set, the time that stays when the text cannot be read, or ``None`` for
        someone unknown.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        return v.answer(await _time_answer(v, slot, text))


async def _time_answer(v: Visit, slot: Slot, text: str) -> TimeResult:
    user = v.person
    current = user.morning_time if slot is Slot.MORNING else user.evening_time
    open_ = pending_step(user)
    onboarding = open_ is not None and open_.onboarding
    if open_ is not None and open_.step in {Step.SET_MORNING, Step.SET_EVENING}:
        clear_step(user)
    at = parse_time_of_day(text)
    if at is None:
        return BadTime(slot=slot, current=current, locale=user.locale)
    if slot is Slot.MORNING:
        user.morning_time = at
        user.morning_enabled = True
    else:
        user.evening_time = at
        user.evening_enabled = True
    # A time chosen on purpose right after onboarding, still ahead today, is sent today.
    user.prompts_from = honour_chosen_time(user.prompts_from, at, ZoneInfo(user.timezone), v.now)
    _changed(user, v.now)
    await _replan(v)
    return TimeSet(slot=slot, at=at, locale=user.locale, then=_times_again(user, onboarding))


def _times_again(user: User, onboarding: bool) -> Times | None:
    """During onboarding the times to show again with their button, so it goes on."""
    return _times(user) if onboarding or user.status is UserStatus.ONBOARDING else None


# --- pause, resume, stop -----------------------------------------------------------------------


async def pause(
    db: Database, clock: Clock, telegram_user_id: int, text: str
) -> Answer[Paused | Said] | None:
    """/pause [days]: no prompts until the start of the day after the pause (default a week).

    Returns:
        The pause, ``Said.BAD_PAUSE`` (nothing changed) for anything but 1 to 365 days, or
        ``None`` for someone unknown.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        words = text.strip()
        if not words:
            days = DEFAULT_PAUSE_DAYS
        elif words.isascii() and words.isdigit() and 1 <= int(words) <= MAX_PAUSE_DAYS:
            days = int(words)
        else:
            return v.answer(Said.BAD_PAUSE)
        back = _pause(v, days)
        await _replan(v)
        return v.answer(Paused(until=back))


def _pause(v: Visit, days: int) -> date:
    user = v.person
    back = v.today + timedelta(days=days)
    user.paused_until = start_of_local_date(back, ZoneInfo(user.timezone))
    _changed(user, v.now)
    return back


async def resume(db: Database, clock: Clock, telegram_user_id: int) -> Answer[Said] | None:
    """/resume: prompts on again (also after /stop).

    Returns:
        ``Said.RESUMED``, ``Said.NOT_PAUSED`` when nothing was paused, or ``None`` for someone
        unknown.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        if v.person.paused_until is None and v.person.status is not UserStatus.STOPPED:
            return v.answer(Said.NOT_PAUSED)
        _resume(v.person, v.now)
        await _replan(v)
        return v.answer(Said.RESUMED)


def _resume(user: User, now: datetime) -> None:
    user.paused_until = None
    if user.status is UserStatus.STOPPED:
        user.status = UserStatus.ACTIVE
    _changed(user, now)


async def stop(db: Database, clock: Clock, telegram_user_id: int) -> Answer[Said] | None:
    """/stop: no more prompts; everything is kept.

    Returns:
        ``Said.STOPPED``, or ``None`` for someone unknown.
    """
    async with visit(db, clock, telegram_user_id) as v:
        if v is None:
            return None
        v.person.status = UserStatus.STOPPED
        clear_step(v.person)
        _changed(v.person, v.now)
        await _replan(v)
        return v.answer(Said.STOPPED)


# --- /settings ---------------------------------------------------------------------------------


async def overview(db: Database, clock: Clock, telegram_user_id: int) -> Answer[Overview] | None:
    """/settings: everything at a glance (read only).

    Returns:
        The settings, or ``None`` for someone unknown.
    """
    now = clock.now()
    async with db.session() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        return Answer(_overview(user, now), user.locale)


def _overview(user: User, now: datetime) -> Overview:
    paused_day = None
    if user.paused_until is not None and user.paused_until > now:
        paused_day = user.paused_until.astimezone(ZoneInfo(user.timezone)).date()
    return Overview(
        zone=user.timezone,
        morning=user.morning_time,
        evening=user.evening_time,
        morning_on=user.morning_enabled,
        evening_on=user.evening_enabled,
        weekdays_only=user.days is Days.WEEKDAYS,
        memories_on=user.memories,
        paused_until=paused_day,
        kindness_days=user.kindness_days,
        quiet_evenings=user.quiet_evenings,
        stopped=user.status is UserStatus.STOPPED,
        locale=user.locale,
    )


async def choose_zone(
    db: Database, clock: Clock, press: Press
) -> Answer[ZoneSet | Refusal] | None:
    """A city or zone button (``press.arg``: an IANA zone name): set that zone.

    Returns:
        The zone set, ``Refusal.OUT_OF_DATE`` for a zone the tz database does not have, or
        ``None`` for someone unknown.
    """
    async with visit(db, clock, press.telegram_user_id) as v:
        if v is None:
            return None
        zone = press.arg
        if resolve_zone_name(zone) != zone:
            return v.answer(Refusal.OUT_OF_DATE)
        await _move_to_zone(v, zone)
        return v.answer(_zone_set(v.person, v.now))


async def other_zone(db: Database, clock: Clock, press: Press) -> Answer[Said] | None:
    """ "None of these" under the zone choices: ask for the city or zone again.

    Returns:
        ``Said.ASK_ZONE``, or ``None`` for someone unknown.
    """
    async with visit(db, clock, press.telegram_user_id) as v:
        return None if v is None else v.answer(Said.ASK_ZONE)


async def confirm_times(
    db: Database, clock: Clock, press: Press
) -> Answer[AllSet | Refusal] | None:
    """ "Sounds good": onboarding is finished, prompts start, and today's ideas come at once.

    Returns:
        Onboarding finished (with today's ideas unless an act is planned already),
        ``Refusal.ALREADY_SAVED`` for someone already set up, or ``None`` for someone unknown.
    """
    async with visit(db, clock, press.telegram_user_id) as v:
        if v is None:
            return None
        user = v.person
        if user.status is not UserStatus.ONBOARDING:
            return v.answer(Refusal.ALREADY_SAVED)
        user.status = UserStatus.ACTIVE
        clear_step(user)
        # The ideas sent below are today's start: no late morning or early check-in after them.
        user.prompts_from = prompts_start(v.now, ZoneInfo(user.timezone))
        _changed(user, v.now)
        await _replan(v)
        today = v.today
        plan = await PlanRepository(v.session).get_for_date(v.person_id, today)
        ideas = None
        if plan is None or plan.status is not PlanStatus.PLANNED:
            ideas = await morning_prompt(v, today, on_demand=True)
        return v.answer(AllSet(ideas=ideas))


async def change(db: Database, clock: Clock, press: Press) -> Answer[MenuResult] | None:
    """A button of the /settings menu (``press.arg``: a :class:`Setting` value).

    Returns:
        The question it opens (the language picker, the zone or a time), the settings
        afterwards for a switch, ``Refusal.OUT_OF_DATE`` for an unknown item, or ``None`` for
        someone unknown.
    """
    async with visit(db, clock, press.telegram_user_id) as v:
        if v is None:
            return None
        try:
            chosen = Setting(press.arg)
        except ValueError:
            return v.answer(Refusal.OUT_OF_DATE)
        return v.answer(await _menu(v, chosen))


async def _menu(v: Visit, item: Setting) -> MenuResult:
    user = v.person
    if item is Setting.LANGUAGE:
        return language.picker_for(user)
    if item is Setting.ZONE:
        set_step(user, PendingStep(Step.SET_ZONE))
        return Said.ASK_ZONE
    if item in {Setting.MORNING, Setting.EVENING}:
        morning = item is Setting.MORNING
        set_step(
            user,
            PendingStep(
                Step.SET_MORNING if morning else Step.SET_EVENING,
                onboarding=user.status is UserStatus.ONBOARDING,
            ),
        )
        return AskTime(slot=Slot.MORNING if morning else Slot.EVENING)
    if item in {Setting.MEMORIES_ON, Setting.MEMORIES_OFF}:
        # Memories change no prompt's time: nothing to plan anew.
        user.memories = item is Setting.MEMORIES_ON
        _changed(user, v.now)
        return _overview(user, v.now)
    if item in {Setting.QUIET_EVENINGS_ON, Setting.QUIET_EVENINGS_OFF}:
        if not user.kindness_days:
            return Refusal.OUT_OF_DATE  # a button from before the rhythm went back to most days
        user.quiet_evenings = item is Setting.QUIET_EVENINGS_ON
    elif item is Setting.DAYS:
        if user.kindness_days:
            return Refusal.OUT_OF_DATE  # kindness days choose their own days
        user.days = Days.DAILY if user.days is Days.WEEKDAYS else Days.WEEKDAYS
    elif item is Setting.MORNING_TOGGLE:
        user.morning_enabled = not user.morning_enabled
    elif item is Setting.EVENING_TOGGLE:
        user.evening_enabled = not user.evening_enabled
    elif item is Setting.PAUSE:
        _pause(v, DEFAULT_PAUSE_DAYS)
    elif item is Setting.RESUME:
        _resume(user, v.now)
    _changed(user, v.now)
    await _replan(v)
    return _overview(user, v.now)


# --- free text for an open step ----------------------------------------------------------------


async def answer_preference(v: Visit, text: str) -> StepResult:
    """Free text while a preference step is open (``storage.pending.PREFERENCE_STEPS``).

    A cancel word leaves things as they were (except for onboarding's zone question, which
    has no "as it was" to go back to).

    Args:
        v: The visit of the person whose step is open.
        text: What they typed.

    Returns:
        What became of the zone or time they typed, or :class:`Unchanged`.
    """
    open_ = pending_step(v.person)
    step = open_.step if open_ is not None else None
    if step is not Step.ONBOARDING_ZONE and is_cancel_phrase(text):
        return _cancel_step(v.person)
    if step is Step.SET_MORNING:
        return await _time_answer(v, Slot.MORNING, text)
    if step is Step.SET_EVENING:
        return await _time_answer(v, Slot.EVENING, text)
    return await _zone_answer(v, text, allow_clock=step is Step.ONBOARDING_ZONE)


def _cancel_step(user: User) -> Unchanged:
    """A cancel word for a settings question: nothing changes. During onboarding the times
    shown before come back, so setting up can go on with one tap.
    """
    open_ = pending_step(user)
    clear_step(user)
    return Unchanged(then=_times_again(user, open_ is not None and open_.onboarding))
