"""Times of day as people like to read them (typed times are read in ``bot.kindness``)."""

from __future__ import annotations

from datetime import time

from babel import Locale, UnknownLocaleError
from babel.dates import format_time

__all__ = ["babel_locale", "format_time_of_day"]

FALLBACK_LOCALE = "en"


def format_time_of_day(t: time, locale: str | None) -> str:
    """Show a time of day the way the person's locale writes it (CLDR short format).

    Args:
        t: The time; seconds are not shown.
        locale: A Telegram ``language_code`` or POSIX-style locale ("en-US", "pt-br",
            "de", "en_GB"); None or unknown falls back to English.

    Returns:
        For example "8:30 AM" for en-US and "08:30" for de. Babel separates "AM" with a narrow
        no-break space (U+202F), which keeps the time on one line;
        ``bot.kindness.time_of_day.parse_time_of_day`` reads it back.
    """
    return format_time(t, format="short", locale=babel_locale(locale))


def babel_locale(code: str | None) -> Locale:
    """Babel's locale for a Telegram or catalog code ("pt-br", "pt_BR"); English if unknown."""
    if code:
        try:
            return Locale.parse(code.strip().replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            pass
    return Locale.parse(FALLBACK_LOCALE)
