"""Texts and buttons for onboarding and settings: time zone, prompt times, days, pause, stop.

Pure functions; times and dates are formatted for the person's locale with Babel.
"""

from __future__ import annotations

import html
from datetime import date, time

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from bot.i18n import Translator
from bot.ui.callbacks import Action, Rows, encode
from bot.ui.time_input import format_time_of_day

# Settings menu buttons (the argument of Action.SETTINGS).
ZONE = "tz"
MORNING = "morning"
EVENING = "evening"
DAYS = "days"
MORNING_TOGGLE = "m_onoff"
EVENING_TOGGLE = "e_onoff"
PAUSE = "pause"
RESUME = "resume"
LANGUAGE = "lang"
MENU_ITEMS = frozenset(
    {ZONE, MORNING, EVENING, DAYS, MORNING_TOGGLE, EVENING_TOGGLE, PAUSE, RESUME, LANGUAGE}
)


def format_day(day: date, locale: str | None) -> str:
    """A date as the locale writes it in full ("Thursday, March 5, 2026")."""
    try:
        babel_locale = Locale.parse((locale or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        babel_locale = Locale.parse("en")
    return format_date(day, format="full", locale=babel_locale)


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
            (t("Change morning"), encode(Action.SETTINGS, None, MORNING)),
            (t("Change evening"), encode(Action.SETTINGS, None, EVENING)),
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
    paused_until: date | None,
    stopped: bool,
    locale: str | None,
    language: str,
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
        t("Days: weekdays only") if weekdays_only else t("Days: every day"),
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
    t: Translator, *, morning_on: bool, evening_on: bool, weekdays_only: bool, paused: bool
) -> Rows:
    """The settings menu."""

    def item(label: str, arg: str) -> tuple[str, str]:
        return (label, encode(Action.SETTINGS, None, arg))

    return [
        [item(t("Time zone"), ZONE)],
        [item(t("Morning time"), MORNING), item(t("Evening time"), EVENING)],
        [
            item(t("Morning off") if morning_on else t("Morning on"), MORNING_TOGGLE),
            item(t("Evening off") if evening_on else t("Evening on"), EVENING_TOGGLE),
        ],
        [item(t("Every day") if weekdays_only else t("Weekdays only"), DAYS)],
        [item(t("Resume") if paused else t("Pause for a week"), RESUME if paused else PAUSE)],
        [item(t("Language"), LANGUAGE)],
    ]


def ask_time(t: Translator, slot: str) -> str:
    """After "Morning time" / "Evening time": what time?"""
    if slot == MORNING:
        return t("What time would you like the morning ideas? For example 8:30 or 7am.")
    return t("What time would you like the evening check-in? For example 20:30 or 9pm.")


def ask_zone(t: Translator) -> str:
    """After "Time zone": where are you?"""
    return t("Type your city (like “Berlin”) or time zone (like “Europe/Berlin”).")


def time_set(t: Translator, slot: str, at: time, locale: str | None) -> str:
    """A prompt time was changed."""
    if slot == MORNING:
        return t("Done. Morning ideas will come at {time}.", time=clock(at, locale))
    return t("Done. The evening check-in will come at {time}.", time=clock(at, locale))


def bad_time(t: Translator, slot: str, current: time, locale: str | None) -> str:
    """A time that could not be read; the setting is unchanged."""
    return t(
        "I couldn't read that time. Please send it like /{command} 8:30 (or 8am, 20h). "
        "It stays at {time} for now.",
        command=slot,
        time=clock(current, locale),
    )


def bad_zone(t: Translator, current: str) -> str:
    """A city or zone that could not be found; the setting is unchanged."""
    return t(
        "I couldn't find that place. Please send it like /timezone Berlin or "
        "/timezone Europe/Berlin. It stays at {zone} for now.",
        zone=html.escape(current),
    )


def paused(t: Translator, until: date, locale: str | None) -> str:
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


def days_set(t: Translator, *, weekdays_only: bool) -> str:
    """After switching days."""
    return t("Prompts on weekdays only.") if weekdays_only else t("Prompts every day.")
