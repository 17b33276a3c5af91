"""Texts and buttons for onboarding and settings: time zone, prompt times, days, pause, stop.

Pure functions; times and dates are formatted for the person's locale with Babel. The
``render_*`` functions turn the results of ``bot.services.preferences`` into screens.
"""

from __future__ import annotations

import html
from datetime import date, time

from babel.dates import format_date

from bot.i18n import Translator
from bot.kindness.lexicon import language_name
from bot.services.language import LanguageChoice
from bot.services.preferences import (
    AllSet,
    AskTime,
    BadTime,
    BadZone,
    CityChoice,
    ClockChoice,
    MenuResult,
    Overview,
    Paused,
    Refusal,
    Said,
    Setting,
    Slot,
    Start,
    StepResult,
    TimeResult,
    Times,
    TimeSet,
    Unchanged,
    ZoneResult,
    ZoneSet,
)
from bot.ui import daily as daily_ui
from bot.ui import texts
from bot.ui.callbacks import Action, Rows, encode
from bot.ui.language import render_language
from bot.ui.rhythm import open_rhythm_button, rhythm_line
from bot.ui.screens import PressAnswer, ReplyAnswer, Screen
from bot.ui.time_input import babel_locale, format_time_of_day


def format_day(day: date, locale: str | None) -> str:
    """A date as the locale writes it in full ("Thursday, March 5, 2026")."""
    return format_date(day, format="full", locale=babel_locale(locale))


def clock(at: time, locale: str | None) -> str:
    """A time of day for the person."""
    return format_time_of_day(at, locale)


# --- onboarding -------------------------------------------------------------------------------


def ask_timezone(t: Translator) -> str:
    """Onboarding step 2: where are you?"""
    return "\n\n".join(
        (
            t("First, so I write at sensible hours: where are you?"),
            t(
                "Tap “Share my location”, or type your city (like “Berlin”) or time zone "
                "(like “Europe/Berlin”). You can also just tell me what time it is for you "
                "now, like 14:30."
            ),
        )
    )


def share_location_label(t: Translator) -> str:
    """The reply-keyboard button that shares a location."""
    return t("Share my location")


def timezone_set(t: Translator, zone: str, local_now: time, locale: str | None) -> str:
    """Confirmation of the time zone."""
    return t(
        "Got it: {zone}. It's {time} there now.",
        zone=html.escape(zone),
        time=clock(local_now, locale),
    )


def confirm_times(t: Translator, morning: time, evening: time, locale: str | None) -> str:
    """Onboarding step 3: are the default times fine?"""
    return t(
        "I'll write each morning at {morning} with a few ideas, and each evening at "
        "{evening} to ask how the day went. Does that suit you?",
        morning=clock(morning, locale),
        evening=clock(evening, locale),
    )


def confirm_times_rows(t: Translator) -> Rows:
    """Accept the times, or change one."""
    return [
        [(t("Sounds good"), encode(Action.TIMES_OK))],
        [
            (t("Change morning"), encode(Action.SETTINGS, None, Setting.MORNING.value)),
            (t("Change evening"), encode(Action.SETTINGS, None, Setting.EVENING.value)),
        ],
    ]


def all_set(t: Translator) -> str:
    """After onboarding."""
    return t(
        "All set. You can change any of this with /settings. Here are a few ideas for today, "
        "if you'd like to start now."
    )


def zone_not_found(t: Translator) -> str:
    """An unknown city or zone."""
    return t(
        "I couldn't find that place. Try a nearby city (like “Lisbon”), a time zone (like "
        "“Europe/Lisbon”), or tell me what time it is for you now, like 14:30."
    )


def choose_city(t: Translator) -> str:
    """A city name that several places share."""
    return t("A few places have that name. Which one is yours?")


def choose_zone_for_clock(t: Translator, local_now: str) -> str:
    """The fallback: zones whose clocks show the time the person gave."""
    return t(
        "Thanks. These time zones show {time} right now. Which one is yours? If none fits, "
        "type your city.",
        time=local_now,
    )


def city_label(name: str, admin: str | None, country: str) -> str:
    """A button for one city ("Springfield, Illinois, United States")."""
    return ", ".join(part for part in (name, admin, country) if part)


def zone_rows(t: Translator, choices: list[tuple[str, str]]) -> Rows:
    """One button per (label, zone), and "none of these"."""
    rows: list[list[tuple[str, str]]] = [
        [(label, encode(Action.ZONE, None, zone))] for label, zone in choices
    ]
    rows.append([(t("None of these"), encode(Action.ZONE_OTHER))])
    return rows


# --- settings ---------------------------------------------------------------------------------


def overview(
    t: Translator,
    *,
    zone: str,
    morning: time,
    evening: time,
    morning_on: bool,
    evening_on: bool,
    weekdays_only: bool,
    memories_on: bool,
    paused_until: date | None,
    stopped: bool,
    locale: str | None,
    language: str,
    kindness_days: int = 0,
    quiet_evenings: bool = True,
) -> str:
    """/settings: everything at a glance (``language``: the language's own name)."""
    on, off = t("on"), t("off")
    lines = [
        t("Your settings:"),
        "",
        t("Time zone: {zone}", zone=html.escape(zone)),
        t(
            "Morning ideas: {time} ({state})",
            time=clock(morning, locale),
            state=on if morning_on else off,
        ),
        t(
            "Evening check-in: {time} ({state})",
            time=clock(evening, locale),
            state=on if evening_on else off,
        ),
        rhythm_line(t, kindness_days),
    ]
    if kindness_days:
        lines.append(
            # Translators: {state} is "on" or "off". Under kindness days, the evening of the
            # other days asks only what kindness the person received or witnessed.
            t("Other evenings' question: {state}", state=on if quiet_evenings else off)
        )
    else:
        lines.append(t("Days: weekdays only") if weekdays_only else t("Days: every day"))
    lines += [
        # Translators: {state} is "on" or "off". Memories: words the person wrote
        # a month or a year before, shown back in the evening message.
        t("Memories: {state}", state=on if memories_on else off),
        t("Language: {language}", language=html.escape(language)),
    ]
    if stopped:
        lines.append(t("Prompts are stopped. Send /start to switch them back on."))
    elif paused_until is not None:
        lines.append(
            t("Paused until {day}.", day=format_day(paused_until, t.locale)),
        )
    return "\n".join(lines)


def overview_rows(
    t: Translator,
    *,
    morning_on: bool,
    evening_on: bool,
    weekdays_only: bool,
    memories_on: bool,
    paused: bool,
    kindness_days: int = 0,
    quiet_evenings: bool = True,
) -> Rows:
    """The settings menu (the days switch only under "a little most days")."""

    def item(label: str, setting: Setting) -> tuple[str, str]:
        return (label, encode(Action.SETTINGS, None, setting.value))

    pause = Setting.RESUME if paused else Setting.PAUSE
    return [
        [item(t("Time zone"), Setting.ZONE)],
        [item(t("Morning time"), Setting.MORNING), item(t("Evening time"), Setting.EVENING)],
        [
            item(t("Morning off") if morning_on else t("Morning on"), Setting.MORNING_TOGGLE),
            item(t("Evening off") if evening_on else t("Evening on"), Setting.EVENING_TOGGLE),
        ],
        [open_rhythm_button(t)],
        [
            item(t("Other evenings off"), Setting.QUIET_EVENINGS_OFF)
            if quiet_evenings
            else item(t("Other evenings on"), Setting.QUIET_EVENINGS_ON)
        ]
        if kindness_days
        else [item(t("Every day") if weekdays_only else t("Weekdays only"), Setting.DAYS)],
        [
            item(t("Memories off"), Setting.MEMORIES_OFF)
            if memories_on
            else item(t("Memories on"), Setting.MEMORIES_ON)
        ],
        [item(t("Resume") if paused else t("Pause for a week"), pause)],
        [item(t("Language"), Setting.LANGUAGE)],
    ]


def ask_time(t: Translator, slot: Slot) -> str:
    """After "Morning time" / "Evening time": what time?"""
    if slot is Slot.MORNING:
        return t("What time would you like the morning ideas? For example 8:30 or 7am.")
    return t("What time would you like the evening check-in? For example 20:30 or 9pm.")


def ask_zone(t: Translator) -> str:
    """After "Time zone": where are you?"""
    return t("Type your city (like “Berlin”) or time zone (like “Europe/Berlin”).")


def time_set(t: Translator, slot: Slot, at: time, locale: str | None) -> str:
    """A prompt time was changed."""
    if slot is Slot.MORNING:
        return t("Done. Morning ideas will come at {time}.", time=clock(at, locale))
    return t("Done. The evening check-in will come at {time}.", time=clock(at, locale))


def bad_time(t: Translator, slot: Slot, current: time, locale: str | None) -> str:
    """A time that could not be read; the setting is unchanged."""
    return t(
        "I couldn't read that time. Please send it like /{command} 8:30 (or 8am, 20h). "
        "It stays at {time} for now.",
        command=slot.value,
        time=clock(current, locale),
    )


def bad_zone(t: Translator, current: str) -> str:
    """A city or zone that could not be found; the setting is unchanged."""
    return t(
        "I couldn't find that place. Please send it like /timezone Berlin or "
        "/timezone Europe/Berlin. It stays at {zone} for now.",
        zone=html.escape(current),
    )


def paused(t: Translator, until: date) -> str:
    """After /pause."""
    return t(
        "Paused. I'll be back on {day}. Send /resume any time to start sooner.",
        # Dates in the language of the sentence (the catalog's), times in the person's style.
        day=format_day(until, t.locale),
    )


def bad_pause(t: Translator) -> str:
    """/pause with something other than a number of days."""
    return t("Please send the number of days, like /pause 3 (1 to 365). Nothing changed.")


def resumed(t: Translator) -> str:
    """After /resume."""
    return t("Welcome back. Your prompts are on again.")


def not_paused(t: Translator) -> str:
    """/resume when nothing was paused."""
    return t("Your prompts are already on.")


def stopped(t: Translator) -> str:
    """After /stop."""
    return t(
        "Done, no more prompts. Everything you shared is kept. Send /start whenever you'd "
        "like to begin again."
    )


# --- rendering the results of bot.services.preferences -------------------------------------------


def _screen(text: str, rows: Rows = ()) -> Screen:
    return Screen(text=text, buttons=[list(row) for row in rows])


def said(t: Translator, what: Said) -> str:
    """The words of an answer that needs nothing else."""
    if what is Said.ZONE_NOT_FOUND:
        return zone_not_found(t)
    if what is Said.ASK_ZONE:
        return ask_zone(t)
    if what is Said.BAD_PAUSE:
        return bad_pause(t)
    if what is Said.RESUMED:
        return resumed(t)
    if what is Said.NOT_PAUSED:
        return not_paused(t)
    return stopped(t)


def refusal(t: Translator, what: Refusal) -> str:
    """The note answering a button that changes nothing."""
    if what is Refusal.ALREADY_SAVED:
        return daily_ui.already_saved(t)
    return daily_ui.out_of_date(t)


def render_start(t: Translator, start: Start) -> ReplyAnswer:
    """/start: a welcome (or welcome back), then, while onboarding, "where are you?" with the
    "share my location" keyboard.
    """
    if start.created:
        welcome = texts.welcome(t, start.first_name)
    else:
        welcome = texts.welcome_back(t, start.first_name, reactivated=start.reactivated)
    if not start.onboarding:
        return ReplyAnswer(messages=[_screen(welcome)])
    return ReplyAnswer(
        messages=[_screen(welcome), _screen(ask_timezone(t))],
        location_keyboard=share_location_label(t),
    )


def _times(t: Translator, times: Times | None) -> list[Screen]:
    """Onboarding's times question with its buttons, if it comes next."""
    if times is None:
        return []
    text = confirm_times(t, times.morning, times.evening, times.locale)
    return [_screen(text, confirm_times_rows(t))]


def _zone_set(t: Translator, result: ZoneSet) -> list[Screen]:
    confirmation = timezone_set(t, result.zone, result.local_now, result.locale)
    return [_screen(confirmation), *_times(t, result.then)]


def _zone_question(t: Translator, result: CityChoice | ClockChoice | BadZone | Said) -> Screen:
    if isinstance(result, CityChoice):
        cities = [(city_label(c.name, c.admin, c.country), c.zone) for c in result.cities]
        return _screen(choose_city(t), zone_rows(t, cities))
    if isinstance(result, ClockChoice):
        zones = [(zone.replace("_", " "), zone) for zone in result.zones]
        shown = clock(result.local, result.locale)
        return _screen(choose_zone_for_clock(t, shown), zone_rows(t, zones))
    if isinstance(result, BadZone):
        return _screen(bad_zone(t, result.current))
    return _screen(said(t, result))


def render_zone(t: Translator, result: ZoneResult) -> ReplyAnswer:
    """A typed or shared place: the zone set (and the "share my location" keyboard gone), the
    choices, or why nothing changed.
    """
    if isinstance(result, ZoneSet):
        return ReplyAnswer(messages=_zone_set(t, result), remove_keyboard=True)
    return ReplyAnswer(messages=[_zone_question(t, result)])


def render_time(t: Translator, result: TimeResult) -> ReplyAnswer:
    """A typed prompt time: the time set (and while onboarding the times again), or the time
    that stays.
    """
    if isinstance(result, BadTime):
        return ReplyAnswer(
            messages=[_screen(bad_time(t, result.slot, result.current, result.locale))]
        )
    done = _screen(time_set(t, result.slot, result.at, result.locale))
    return ReplyAnswer(messages=[done, *_times(t, result.then)])


def render_step_answer(t: Translator, result: StepResult) -> ReplyAnswer:
    """Free text answering an open preference step (``settings.answer_preference``)."""
    if isinstance(result, TimeSet | BadTime):
        return render_time(t, result)
    if isinstance(result, Unchanged):
        return ReplyAnswer(messages=[_screen(daily_ui.left_as_it_was(t)), *_times(t, result.then)])
    return render_zone(t, result)


def render_change(t: Translator, result: Paused | Said) -> ReplyAnswer:
    """/pause, /resume, /stop."""
    if isinstance(result, Paused):
        return ReplyAnswer(messages=[_screen(paused(t, result.until))])
    return ReplyAnswer(messages=[_screen(said(t, result))])


def render_overview(t: Translator, result: Overview) -> Screen:
    """/settings: everything at a glance, with the menu."""
    text = overview(
        t,
        zone=result.zone,
        morning=result.morning,
        evening=result.evening,
        morning_on=result.morning_on,
        evening_on=result.evening_on,
        weekdays_only=result.weekdays_only,
        memories_on=result.memories_on,
        paused_until=result.paused_until,
        stopped=result.stopped,
        locale=result.locale,
        language=language_name(t.locale),
        kindness_days=result.kindness_days,
        quiet_evenings=result.quiet_evenings,
    )
    rows = overview_rows(
        t,
        morning_on=result.morning_on,
        evening_on=result.evening_on,
        weekdays_only=result.weekdays_only,
        memories_on=result.memories_on,
        paused=result.paused_until is not None,
        kindness_days=result.kindness_days,
        quiet_evenings=result.quiet_evenings,
    )
    return _screen(text, rows)


def render_zone_press(t: Translator, result: ZoneSet | Refusal) -> PressAnswer:
    """A city or zone button: the confirmation in place of the choices, then (onboarding)
    the times question.
    """
    if isinstance(result, Refusal):
        return PressAnswer(note=refusal(t, result))
    first, *rest = _zone_set(t, result)
    return PressAnswer(edit=first, send=rest)


def render_other_zone(t: Translator, result: Said) -> PressAnswer:
    """ "None of these": the question again, in place of the choices."""
    return PressAnswer(edit=_screen(said(t, result)))


def render_all_set(t: Translator, result: AllSet | Refusal) -> PressAnswer:
    """ "Sounds good": "all set" in place of the question, then today's ideas."""
    if isinstance(result, Refusal):
        return PressAnswer(note=refusal(t, result))
    ideas = [] if result.ideas is None else [daily_ui.render_morning(t, result.ideas)]
    # The rhythm is onboarding's last choice, offered without a step of its own: most days
    # is where everyone starts, and kindness days are one tap away.
    rhythm = t(
        "I'll nudge you a little most days. If you'd rather gather kindness into one or two "
        "kindness days a week, tap below."
    )
    done = _screen(
        f"{all_set(t)}\n\n{rhythm}", [[open_rhythm_button(t, t("Kindness days instead"))]]
    )
    return PressAnswer(edit=done, send=ideas)


def render_menu(t: Translator, result: MenuResult) -> PressAnswer:
    """A /settings menu button: the settings updated in place, or the question it opens."""
    if isinstance(result, Refusal):
        return PressAnswer(note=refusal(t, result))
    if isinstance(result, Overview):
        return PressAnswer(edit=render_overview(t, result))
    if isinstance(result, LanguageChoice):
        return PressAnswer(send=[render_language(t, result)])
    if isinstance(result, AskTime):
        return PressAnswer(send=[_screen(ask_time(t, result.slot))])
    return PressAnswer(send=[_screen(said(t, result))])
