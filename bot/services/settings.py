"""Use cases for onboarding and settings: time zone, prompt times, days, pause, resume, stop.

Every change that moves a prompt calls :func:`scheduler.ledger.replan_user` in the same unit
of work, so the scheduler plans the person's prompts anew.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Settings
from bot.i18n import Translator, translator_for
from bot.kindness.lexicon import language_name
from bot.kindness.phrases import is_cancel_phrase
from bot.kindness.timezones import (
    find_cities,
    resolve_location,
    resolve_zone_name,
    zones_for_local_time,
)
from bot.services.prompts import PromptContent, local_today, morning_content, translator_of
from bot.services.results import Outcome, Reply
from bot.ui import daily as daily_ui
from bot.ui import language as language_ui
from bot.ui import settings as ui
from bot.ui import texts
from bot.ui.callbacks import Action, Callback, Rows
from bot.ui.time_input import parse_time_of_day
from scheduler.clock import Clock
from scheduler.ledger import replan_user
from scheduler.timing import honour_chosen_time, prompts_start, start_of_local_date
from storage.engine import Database
from storage.models import Days, PlanStatus, User, UserStatus
from storage.repositories import PlanRepository, UserRepository

__all__ = [
    "STEPS",
    "Start",
    "answer_step",
    "location",
    "overview",
    "pause",
    "press",
    "resume",
    "set_time",
    "set_timezone",
    "start",
    "stop",
]

ONBOARDING_ZONE: Final = "onb_zone"  # onboarding: waiting for a city, zone or the time
SET_ZONE: Final = "set_zone"
SET_MORNING: Final = "set_morning"  # payload {"onb": true} during onboarding
SET_EVENING: Final = "set_evening"
STEPS: Final = frozenset({ONBOARDING_ZONE, SET_ZONE, SET_MORNING, SET_EVENING})
DEFAULT_PAUSE_DAYS: Final = 7
MAX_PAUSE_DAYS: Final = 365
MAX_CHOICES: Final = 5


def _one(text: str, rows: Rows = ()) -> PromptContent:
    return PromptContent(text=text, buttons=[list(row) for row in rows])


def _changed(user: User, now: datetime) -> None:
    user.updated_at = now


async def _replan(session: AsyncSession, user: User, now: datetime) -> None:
    assert user.id is not None
    await session.flush()
    await replan_user(session, user.id, now)


# --- /start and onboarding ---------------------------------------------------------------------


class Start:
    """What /start found: a new person, someone still onboarding, or someone known."""

    def __init__(
        self, *, created: bool, onboarding: bool, reactivated: bool, locale: str | None
    ) -> None:
        self.created = created
        self.onboarding = onboarding
        self.reactivated = reactivated
        self.locale = locale  # the language to answer in: the person's choice, else Telegram's


async def start(
    db: Database,
    clock: Clock,
    settings: Settings,
    *,
    telegram_user_id: int,
    chat_id: int,
    first_name: str,
    language_code: str | None,
) -> Start:
    """/start: create the person (onboarding begins) or welcome them back (reactivating).

    Never creates a second account. A new person starts in ``onboarding`` with the operator's
    default zone and times and gets no prompts until they confirm their times.

    Returns:
        Whether the person is new, still onboarding, or was switched back on.
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
            user.pending_step = ONBOARDING_ZONE
            user.pending_payload = None
            return Start(created=created, onboarding=True, reactivated=False, locale=user.locale)
        reactivated = user.status in {UserStatus.STOPPED, UserStatus.BLOCKED}
        if reactivated:
            user.status = UserStatus.ACTIVE
            user.paused_until = None
            _changed(user, now)
            await _replan(session, user, now)
        return Start(created=False, onboarding=False, reactivated=reactivated, locale=user.locale)


def _after_zone(user: User, t: Translator, now: datetime) -> Reply:
    """Messages after the zone was set: a confirmation, then (onboarding) the times question."""
    local_now = now.astimezone(ZoneInfo(user.timezone)).time()
    confirmation = _one(ui.timezone_set(t, user.timezone, local_now, user.locale))
    if user.status is not UserStatus.ONBOARDING:
        return Reply(messages=[confirmation], remove_keyboard=True)
    times = _one(
        ui.confirm_times(t, user.morning_time, user.evening_time, user.locale),
        ui.confirm_times_rows(t),
    )
    return Reply(messages=[confirmation, times], remove_keyboard=True)


async def _set_zone(session: AsyncSession, user: User, zone: str, now: datetime) -> None:
    user.timezone = zone
    if user.pending_step in {ONBOARDING_ZONE, SET_ZONE}:
        user.pending_step = None
        user.pending_payload = None
    user.snoozed_until = None
    _changed(user, now)
    await _replan(session, user, now)


def _place_choices(text: str) -> tuple[str | None, list[tuple[str, str]]]:
    """A zone for what the person typed, or city choices when the name is ambiguous."""
    zone = resolve_zone_name(text)
    if zone is not None:
        return zone, []
    cities = find_cities(text, limit=MAX_CHOICES)
    zones = {city.timezone for city in cities}
    if len(zones) == 1:
        return cities[0].timezone, []
    return None, [(ui.city_label(c.name, c.admin, c.country), c.timezone) for c in cities]


async def location(
    db: Database, clock: Clock, telegram_user_id: int, latitude: float, longitude: float
) -> Reply | None:
    """A shared location: set the time zone found there (offline).

    Returns:
        What to show, or ``None`` for someone who never pressed /start.
    """
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        t = translator_of(user)
        zone = resolve_location(latitude, longitude)
        if zone is None:
            return Reply(messages=[_one(ui.zone_not_found(t))])
        await _set_zone(session, user, zone, now)
        return _after_zone(user, t, now)


async def set_timezone(
    db: Database, clock: Clock, telegram_user_id: int, text: str
) -> Reply | None:
    """/timezone <zone or city>.

    Returns:
        The confirmation, city buttons when the name is ambiguous, a kind line with an example
        (setting unchanged) when nothing matches, or ``None`` for someone unknown.
    """
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        return await _zone_answer(session, user, text, now, allow_clock=False)


async def _zone_answer(
    session: AsyncSession, user: User, text: str, now: datetime, *, allow_clock: bool
) -> Reply:
    t = translator_of(user)
    if not text.strip():
        return Reply(messages=[_one(ui.bad_zone(t, user.timezone))])
    zone, choices = _place_choices(text)
    if zone is not None:
        await _set_zone(session, user, zone, now)
        return _after_zone(user, t, now)
    if choices:
        return Reply(messages=[_one(ui.choose_city(t), ui.zone_rows(t, choices))])
    local = parse_time_of_day(text) if allow_clock else None
    if local is not None:
        zones = zones_for_local_time(now, local)[:MAX_CHOICES]
        if zones:
            labels = [(z.replace("_", " "), z) for z in zones]
            shown = ui.clock(local, user.locale)
            return Reply(
                messages=[_one(ui.choose_zone_for_clock(t, shown), ui.zone_rows(t, labels))]
            )
    if user.pending_step == ONBOARDING_ZONE:
        return Reply(messages=[_one(ui.zone_not_found(t))])
    return Reply(messages=[_one(ui.bad_zone(t, user.timezone))])


# --- prompt times ------------------------------------------------------------------------------


async def set_time(
    db: Database, clock: Clock, telegram_user_id: int, slot: str, text: str
) -> Reply | None:
    """/morning HH:MM and /evening HH:MM (also "8:30", "08.30", "8am", "20h").

    Returns:
        The confirmation, a kind line with an example (setting unchanged) for a time that
        cannot be read, or ``None`` for someone unknown.
    """
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        return await _time_answer(session, user, slot, text, now)


async def _time_answer(
    session: AsyncSession, user: User, slot: str, text: str, now: datetime
) -> Reply:
    t = translator_of(user)
    current = user.morning_time if slot == ui.MORNING else user.evening_time
    onboarding = bool((user.pending_payload or {}).get("onb"))
    if user.pending_step in {SET_MORNING, SET_EVENING}:
        user.pending_step = None
        user.pending_payload = None
    at = parse_time_of_day(text)
    if at is None:
        return Reply(messages=[_one(ui.bad_time(t, slot, current, user.locale))])
    if slot == ui.MORNING:
        user.morning_time = at
        user.morning_enabled = True
    else:
        user.evening_time = at
        user.evening_enabled = True
    # A time chosen on purpose right after onboarding, still ahead today, is sent today.
    user.prompts_from = honour_chosen_time(user.prompts_from, at, ZoneInfo(user.timezone), now)
    _changed(user, now)
    await _replan(session, user, now)
    return Reply(
        messages=_with_times_to_confirm(user, t, ui.time_set(t, slot, at, user.locale), onboarding)
    )


def _with_times_to_confirm(
    user: User, t: Translator, text: str, onboarding: bool
) -> list[PromptContent]:
    """``text``, and during onboarding the times again with their button, so it goes on."""
    messages = [_one(text)]
    if onboarding or user.status is UserStatus.ONBOARDING:
        messages.append(
            _one(
                ui.confirm_times(t, user.morning_time, user.evening_time, user.locale),
                ui.confirm_times_rows(t),
            )
        )
    return messages


# --- pause, resume, stop -----------------------------------------------------------------------


async def pause(db: Database, clock: Clock, telegram_user_id: int, text: str) -> Reply | None:
    """/pause [days]: no prompts until the start of the day after the pause (default a week)."""
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        t = translator_of(user)
        words = text.strip()
        if not words:
            days = DEFAULT_PAUSE_DAYS
        elif words.isascii() and words.isdigit() and 1 <= int(words) <= MAX_PAUSE_DAYS:
            days = int(words)
        else:
            return Reply(messages=[_one(ui.bad_pause(t))])
        back = _pause(user, days, now)
        await _replan(session, user, now)
        return Reply(messages=[_one(ui.paused(t, back, user.locale))])


def _pause(user: User, days: int, now: datetime) -> date:
    back = local_today(user, now) + timedelta(days=days)
    user.paused_until = start_of_local_date(back, ZoneInfo(user.timezone))
    _changed(user, now)
    return back


async def resume(db: Database, clock: Clock, telegram_user_id: int) -> Reply | None:
    """/resume: prompts on again (also after /stop)."""
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        t = translator_of(user)
        if user.paused_until is None and user.status is not UserStatus.STOPPED:
            return Reply(messages=[_one(ui.not_paused(t))])
        _resume(user, now)
        await _replan(session, user, now)
        return Reply(messages=[_one(ui.resumed(t))])


def _resume(user: User, now: datetime) -> None:
    user.paused_until = None
    if user.status is UserStatus.STOPPED:
        user.status = UserStatus.ACTIVE
    _changed(user, now)


async def stop(db: Database, clock: Clock, telegram_user_id: int) -> Reply | None:
    """/stop: no more prompts; everything is kept."""
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        user.status = UserStatus.STOPPED
        user.pending_step = None
        user.pending_payload = None
        _changed(user, now)
        await _replan(session, user, now)
        return Reply(messages=[_one(ui.stopped(translator_of(user)))])


# --- /settings ---------------------------------------------------------------------------------


async def overview(db: Database, clock: Clock, telegram_user_id: int) -> Reply | None:
    """/settings: everything at a glance, with buttons to change it."""
    now = clock.now()
    async with db.session() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return None
        return Reply(messages=[_overview(user, now)])


def _overview(user: User, now: datetime) -> PromptContent:
    t = translator_of(user)
    paused_day = None
    if user.paused_until is not None and user.paused_until > now:
        paused_day = user.paused_until.astimezone(ZoneInfo(user.timezone)).date()
    weekdays = user.days is Days.WEEKDAYS
    return _one(
        ui.overview(
            t,
            zone=user.timezone,
            morning=user.morning_time,
            evening=user.evening_time,
            morning_on=user.morning_enabled,
            evening_on=user.evening_enabled,
            weekdays_only=weekdays,
            paused_until=paused_day,
            stopped=user.status is UserStatus.STOPPED,
            locale=user.locale,
            language=language_name(t.locale),
        ),
        ui.overview_rows(
            t,
            morning_on=user.morning_enabled,
            evening_on=user.evening_enabled,
            weekdays_only=weekdays,
            paused=paused_day is not None,
        ),
    )


async def press(db: Database, clock: Clock, telegram_user_id: int, cb: Callback) -> Outcome:
    """A settings, time-zone or onboarding button."""
    now = clock.now()
    async with db.write() as session:
        user = await UserRepository(session).get_by_telegram_id(telegram_user_id)
        if user is None:
            return Outcome(note=texts.not_started(translator_for(None)))
        t = translator_of(user)
        if cb.action is Action.ZONE:
            if resolve_zone_name(cb.arg) != cb.arg:
                return Outcome(note=daily_ui.out_of_date(t))
            await _set_zone(session, user, cb.arg, now)
            reply = _after_zone(user, t, now)
            return Outcome(edit=reply.messages[0], send=reply.messages[1:])
        if cb.action is Action.ZONE_OTHER:
            return Outcome(edit=_one(ui.ask_zone(t)))
        if cb.action is Action.TIMES_OK:
            return await _finish_onboarding(session, user, t, now)
        if cb.action is Action.SETTINGS and cb.arg in ui.MENU_ITEMS:
            return await _menu(session, user, t, cb.arg, now)
        return Outcome(note=daily_ui.out_of_date(t))


async def _finish_onboarding(
    session: AsyncSession, user: User, t: Translator, now: datetime
) -> Outcome:
    if user.status is not UserStatus.ONBOARDING:
        return Outcome(note=daily_ui.already_saved(t))
    assert user.id is not None
    user.status = UserStatus.ACTIVE
    user.pending_step = None
    user.pending_payload = None
    # The ideas sent below are today's start: no late morning or early check-in after them.
    user.prompts_from = prompts_start(now, ZoneInfo(user.timezone))
    _changed(user, now)
    await _replan(session, user, now)
    local_date = local_today(user, now)
    plan = await PlanRepository(session).get_for_date(user.id, local_date)
    sends: list[PromptContent] = []
    if plan is None or plan.status is not PlanStatus.PLANNED:
        sends.append(await morning_content(session, user, local_date, now, on_demand=True))
    return Outcome(edit=_one(ui.all_set(t)), send=sends)


async def _menu(
    session: AsyncSession, user: User, t: Translator, item: str, now: datetime
) -> Outcome:
    if item == ui.LANGUAGE:
        return Outcome(send=[_one(language_ui.picker(t), language_ui.rows(user.locale))])
    if item == ui.ZONE:
        user.pending_step, user.pending_payload = SET_ZONE, None
        return Outcome(send=[_one(ui.ask_zone(t))])
    if item in {ui.MORNING, ui.EVENING}:
        onboarding = user.status is UserStatus.ONBOARDING
        user.pending_step = SET_MORNING if item == ui.MORNING else SET_EVENING
        user.pending_payload = {"onb": True} if onboarding else None
        return Outcome(send=[_one(ui.ask_time(t, item))])
    if item == ui.DAYS:
        user.days = Days.DAILY if user.days is Days.WEEKDAYS else Days.WEEKDAYS
    elif item == ui.MORNING_TOGGLE:
        user.morning_enabled = not user.morning_enabled
    elif item == ui.EVENING_TOGGLE:
        user.evening_enabled = not user.evening_enabled
    elif item == ui.PAUSE:
        _pause(user, DEFAULT_PAUSE_DAYS, now)
    elif item == ui.RESUME:
        _resume(user, now)
    _changed(user, now)
    await _replan(session, user, now)
    return Outcome(edit=_overview(user, now))


async def answer_step(session: AsyncSession, user: User, text: str, now: datetime) -> Reply:
    """Free text while a settings or onboarding step is open (see :data:`STEPS`)."""
    step = user.pending_step
    if step != ONBOARDING_ZONE and is_cancel_phrase(text):
        return _cancel_step(user)
    if step == SET_MORNING:
        return await _time_answer(session, user, ui.MORNING, text, now)
    if step == SET_EVENING:
        return await _time_answer(session, user, ui.EVENING, text, now)
    return await _zone_answer(session, user, text, now, allow_clock=step == ONBOARDING_ZONE)


def _cancel_step(user: User) -> Reply:
    """A cancel word for a settings question: nothing changes. During onboarding the times
    shown before come back, so setting up can go on with one tap."""
    t = translator_of(user)
    onboarding = bool((user.pending_payload or {}).get("onb"))
    user.pending_step = None
    user.pending_payload = None
    return Reply(messages=_with_times_to_confirm(user, t, daily_ui.left_as_it_was(t), onboarding))
