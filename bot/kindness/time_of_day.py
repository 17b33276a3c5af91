"""Times of day as people type them, in any of Kindling's languages: pure input parsing.

Services read typed times ("7:30", "8 Uhr abends", "الساعة ٨") with these; showing a time back
is ``bot.ui.time_input.format_time_of_day``.
"""

from __future__ import annotations

import re
from datetime import time
from functools import lru_cache
from typing import Final

from bot.kindness.lexicon import lexicons

__all__ = ["parse_clock", "parse_time_of_day"]

# Hours, then optional minutes after ":", ".", "h" or nothing, then an optional am/pm marker.
_TIME = re.compile(
    r"""
    (?P<hour>[0-9]{1,2})
    (?:
        (?:[:.h](?P<minute>[0-9]{2}))   # 8:30, 08.30, 20h30
      | (?P<h>h)                        # 20h
    )?
    (?:\s*(?P<meridiem>a|p)\.?\s*m\.?)? # am, pm, a.m., p.m.
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
# Digits only, three or four of them: 830, 0830, 2030.
_COMPACT = re.compile(r"(?P<hour>[0-9]{1,2})(?P<minute>[0-9]{2})", re.ASCII)


# Eastern Arabic and Persian digits (٨:٣٠), and the Arabic decimal separator, read as ASCII.
_DIGITS: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")
# Words for "in the morning" / "in the evening" after a 12-hour hour ("8 Uhr abends",
# "8 du soir", "الساعة ٨ مساءً"). Kept here, not in the lexicons: they change the hour, where
# the lexicons' time words only surround it.
_MORNING_WORDS: Final = (
    "du matin", "morgens", "früh", "утра", "ранку", "pagi", "sabah", "del mattino",
    "di mattina", "da manhã", "de manhã", "de la mañana", "صباحا", "صباحًا", "صباحاً", "ص",
)  # fmt: skip
_EVENING_WORDS: Final = (
    "du soir", "de l'après-midi", "abends", "nachmittags", "вечера", "дня", "вечора",
    "sore", "malam", "akşam", "aksam", "della sera", "di sera", "del pomeriggio", "da tarde",
    "da noite", "à noite", "de la tarde", "de la noche", "مساء", "مساءً", "م",
)  # fmt: skip
# A Turkish case ending on the number ("8'de", "20:30'da").
_SUFFIX: Final = re.compile(r"(?<=[0-9])['’](?:de|da|te|ta|e|a)\b", re.IGNORECASE)


_SPACED: Final = re.compile(r"^([0-9]{1,2}) ([0-9]{2})$")


def _words(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    time_words = [w for lexicon in lexicons().values() for w in lexicon.time_words]
    return _words(_MORNING_WORDS), _words(_EVENING_WORDS), _words(time_words)


def parse_time_of_day(text: str) -> time | None:
    """Read a time of day in any of Kindling's languages (see :func:`parse_clock`).

    The words people put around a time are ignored ("um 8 Uhr", "à 20h30", "alle 8",
    "saat 8'de", "jam 20.30", "الساعة ٨"), Arabic-Indic digits are read as digits, and a
    word for the evening after a 12-hour hour moves it to the afternoon ("8 Uhr abends" and
    "jam 8 malam" are 20:00; "8 du matin" is 08:00).
    """
    exact = parse_clock(text.translate(_DIGITS))
    if exact is not None:
        return exact
    morning, evening, surrounding = _patterns()
    cleaned = _SUFFIX.sub("", text.translate(_DIGITS))
    later = evening.search(cleaned) is not None
    earlier = morning.search(cleaned) is not None
    if later and earlier:
        return None
    cleaned = evening.sub(" ", morning.sub(" ", cleaned))
    worded = surrounding.search(cleaned) is not None
    cleaned = " ".join(surrounding.sub(" ", cleaned).split())
    if worded:  # "20 Uhr 30", "8 h 30": the hour word stood between hour and minutes
        cleaned = _SPACED.sub(r"\1:\2", cleaned)
    at = parse_clock(cleaned)
    if at is None or not (later or earlier):
        return at
    if later and 1 <= at.hour <= 11:
        return at.replace(hour=at.hour + 12)
    if earlier and at.hour == 12:
        return at.replace(hour=0)
    if earlier and at.hour > 12:
        return None  # "20 Uhr morgens"
    return at


def parse_clock(text: str) -> time | None:
    """Read a time of day the way people type it.

    Accepted (surrounding spaces ignored, any letter case)::

        "8:30" "08:30" "08.30" "8.30"   -> 08:30   24-hour clock unless am/pm follows
        "20" " 7 "                      -> 20:00, 07:00   a bare hour is a 24-hour hour
        "20h" "20h30" "20H30"           -> 20:00, 20:30
        "2030" "0830" "830"             -> 20:30, 08:30, 08:30   three or four digits: HMM/HHMM
        "8am" "8 am" "8 a.m." "8:30pm"  -> 08:00, 08:00, 08:00, 20:30
        "12am" "12:15am"                -> 00:00, 00:15   midnight hour
        "12pm"                          -> 12:00          noon

    Decisions on the ambiguous ones:

    - A bare "8" is 08:00, not 20:00: no guessing at the morning or evening; the bot shows the
      time back for confirmation anyway.
    - Minutes need two digits: "8:5" is rejected (8:05 or 8:50?).
    - With am/pm the hour must be 1-12 ("13pm", "0am" are rejected); without, 0-23.
    - "24:00" is rejected (use "0:00"); so are seconds, signs ("-5"), words ("noon") and
      anything else that is not a time.

    Args:
        text: What the person typed.

    Returns:
        The time (no tzinfo, seconds 0), or None when ``text`` is not a time of day.
    """
    cleaned = " ".join(text.split())  # also folds the narrow no-break space Babel emits
    if not cleaned:
        return None
    if compact := _COMPACT.fullmatch(cleaned):
        hour, minute, meridiem = int(compact["hour"]), int(compact["minute"]), None
    elif match := _TIME.fullmatch(cleaned):
        hour = int(match["hour"])
        minute = int(match["minute"] or 0)
        meridiem = match["meridiem"]
        if meridiem is not None and match["h"] is not None:
            return None  # "8h pm"
    else:
        return None
    if minute > 59:
        return None
    if meridiem is None:
        return time(hour, minute) if hour <= 23 else None
    if not 1 <= hour <= 12:
        return None
    hour %= 12
    if meridiem.casefold() == "p":
        hour += 12
    return time(hour, minute)
