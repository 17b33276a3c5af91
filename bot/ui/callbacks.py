"""Callback data: short prefixed strings, encoded and parsed here and nowhere else.

Every button is self-sufficient: it names its action, the person's local date it belongs to
(``-`` when none) and one argument, ``"<action>:<yyyymmdd>:<arg>"``, at most 64 bytes as
Telegram requires. Parsing never raises: anything malformed or forged is ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

__all__ = ["MAX_BYTES", "Action", "Callback", "Rows", "encode", "parse"]

Rows = Sequence[Sequence[tuple[str, str]]]
"""Buttons as rows of ``(label, callback_data)``."""

MAX_BYTES: Final = 64
_ARG: Final = re.compile(r"[A-Za-z0-9_./+\-]{0,48}")
_NO_DATE: Final = "-"


class Action(StrEnum):
    """What a button does; the value is the prefix in the callback data."""

    PICK = "mp"  # arg: act id: show the act with its tip
    COMMIT = "mc"  # arg: act id: make it today's plan
    OTHERS = "mo"  # other ideas
    OWN = "mw"  # my own idea (free text next)
    LATER = "ml"  # snooze the morning prompt
    NOT_TODAY = "mn"  # a kind pass for today
    LOW_ENERGY = "me"  # low energy today: one-minute and self-kindness ideas
    SOMEONE = "mu"  # choose someone to encourage: Telegram's contact picker
    SOMEONE_COMMIT = "mk"  # today's act: a message to the person just chosen
    INLINE_LOG = "il"  # arg: enc / thx: log a note sent in inline mode as the day's act
    DONE = "pd"  # arg: plan id: log the planned act
    NOTE_SKIP = "ns"  # arg: act-done id: no note
    OUTCOME = "eo"  # arg: did / partly / not_today / skipped
    FEELING = "ef"  # arg: 1..5, or 0 to skip
    RECEIVED_SKIP = "er"  # skip "what kindness did you receive?"
    ZONE = "tz"  # arg: an IANA zone name
    ZONE_OTHER = "tx"  # none of these cities: ask again
    TIMES_OK = "ok"  # onboarding: the default times are fine
    SETTINGS = "st"  # arg: which setting (see bot.ui.preferences.render_menu)
    JOURNAL = "jp"  # date: cursor; arg: "o" older than it, "n" newer than it
    RECAP = "wr"  # arg: 1 weekly recap on, 0 off
    ERASE = "dx"  # date: when /delete asked; arg: users.id of who asked
    ERASE_CANCEL = "dn"  # keep everything
    LANGUAGE = "lg"  # arg: a shipped language code ("de", "pt_BR")
    RHYTHM = "rh"  # arg: open / most / d<mask> (days chosen, not saved) / s<mask> (save)
    TICK = "ck"  # date: a kindness day; arg: act id: tick it off the list, or take it back


@dataclass(frozen=True)
class Callback:
    """A parsed button press."""

    action: Action
    local_date: date | None
    arg: str


def encode(action: Action, local_date: date | None = None, arg: str | int = "") -> str:
    """Build callback data for a button.

    Args:
        action: What the button does.
        local_date: The person's local date the button belongs to, if any.
        arg: One short argument (an id, a zone name, a number).

    Returns:
        The data string, at most 64 bytes.

    Raises:
        ValueError: The argument has characters outside ``[A-Za-z0-9_./+-]`` or the data would
            exceed 64 bytes (a programming error, never user input).
    """
    text = str(arg)
    if not _ARG.fullmatch(text):
        raise ValueError(f"callback argument {text!r} is not allowed")
    stamp = local_date.strftime("%Y%m%d") if local_date else _NO_DATE
    data = f"{action.value}:{stamp}:{text}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is longer than {MAX_BYTES} bytes")
    return data


def parse(data: str | None) -> Callback | None:
    """Read callback data built by :func:`encode`; ``None`` for anything else."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) != 3:
        return None
    prefix, stamp, arg = parts
    try:
        action = Action(prefix)
    except ValueError:
        return None
    if not _ARG.fullmatch(arg):
        return None
    if stamp == _NO_DATE:
        return Callback(action=action, local_date=None, arg=arg)
    if len(stamp) != 8 or not stamp.isascii() or not stamp.isdigit():
        return None
    try:
        local_date = date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
    except ValueError:
        return None
    return Callback(action=action, local_date=local_date, arg=arg)
