"""National crisis lines by country, read from ``bot/content/helplines.json``, and the country
a person most likely lives in, from their time zone (tzdata's ``zone.tab``).

Every entry names the public source it was taken from and the day it was checked against it
(docs/helplines.md). A country is listed only when a source was found; with no entry, the
crisis reply falls back to the worldwide text. Pure: the file is read once, no network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

__all__ = [
    "CHECK_EVERY",
    "CountryHelp",
    "Helpline",
    "HelplineError",
    "StaleEntry",
    "country_of_zone",
    "help_for",
    "helplines",
    "stale_entries",
]

HELPLINES_PATH: Final = Path(__file__).resolve().parents[1] / "content" / "helplines.json"
CHECK_EVERY: Final = timedelta(days=365)  # `kindling status` lists entries checked longer ago
_ZONE_TABLES: Final = ("zone.tab", "zone1970.tab")  # one country per zone first, then shared


class HelplineError(ValueError):
    """The helplines file is malformed; raised at load, so a bad file never reaches a person."""


@dataclass(frozen=True)
class Helpline:
    """One crisis line.

    Attributes:
        name: The service's name, as the service writes it.
        phones: Numbers to call, as dialled inside the country.
        sms: A number to text, if any.
        sms_keyword: The word to text to it, when one is needed ("HOME").
        chat: An https address for online chat, if any.
        always_open: True when the source says it answers day and night.
        source: The public page the entry was taken from.
        checked: When the entry was last compared with its source.
    """

    name: str
    phones: tuple[str, ...]
    sms: str | None
    sms_keyword: str | None
    chat: str | None
    always_open: bool
    source: str
    checked: date


@dataclass(frozen=True)
class CountryHelp:
    """What the crisis reply shows for one country.

    Attributes:
        country: ISO 3166-1 alpha-2 code ("DE").
        emergency: The general emergency number.
        lines: The country's crisis lines, best known first (may be empty).
    """

    country: str
    emergency: str
    lines: tuple[Helpline, ...]


@dataclass(frozen=True)
class StaleEntry:
    """An entry due for a fresh check against its source."""

    country: str
    name: str
    checked: date


def _text(value: Any, where: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise HelplineError(f"{where}: expected a non-empty string")
    return value


def _line(raw: Any, where: str) -> Helpline:
    if not isinstance(raw, dict):
        raise HelplineError(f"{where}: expected an object")
    phones = raw.get("phones")
    if not isinstance(phones, list) or not all(isinstance(p, str) and p for p in phones):
        raise HelplineError(f"{where}: 'phones' must be a list of numbers")
    chat = _text(raw.get("chat"), f"{where}.chat", optional=True)
    if chat is not None and not chat.startswith("https://"):
        raise HelplineError(f"{where}: 'chat' must be an https address")
    source = _text(raw.get("source"), f"{where}.source")
    assert source is not None
    if not source.startswith(("https://", "http://")):
        raise HelplineError(f"{where}: 'source' must be the page's address")
    sms = _text(raw.get("sms"), f"{where}.sms", optional=True)
    if not phones and sms is None and chat is None:
        raise HelplineError(f"{where}: a line needs a phone, a text number or a chat")
    try:
        checked = date.fromisoformat(str(raw.get("checked")))
    except ValueError as error:
        raise HelplineError(f"{where}: 'checked' must be a date") from error
    if not isinstance(raw.get("always_open"), bool):
        raise HelplineError(f"{where}: 'always_open' must be true or false")
    name = _text(raw.get("name"), f"{where}.name")
    assert name is not None
    return Helpline(
        name=name,
        phones=tuple(phones),
        sms=sms,
        sms_keyword=_text(raw.get("sms_keyword"), f"{where}.sms_keyword", optional=True),
        chat=chat,
        always_open=raw["always_open"],
        source=source,
        checked=checked,
    )


def _parse(data: Any) -> dict[str, tuple[CountryHelp, date]]:
    if not isinstance(data, dict) or data.get("version") != 1:
        raise HelplineError("helplines.json: expected version 1")
    countries = data.get("countries")
    if not isinstance(countries, dict):
        raise HelplineError("helplines.json: 'countries' must be an object")
    found: dict[str, tuple[CountryHelp, date]] = {}
    for code, raw in countries.items():
        if not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper()):
            raise HelplineError(f"{code!r}: expected an ISO 3166-1 alpha-2 code")
        emergency = raw.get("emergency") if isinstance(raw, dict) else None
        if not isinstance(emergency, dict):
            raise HelplineError(f"{code}: 'emergency' must be an object")
        number = _text(emergency.get("number"), f"{code}.emergency.number")
        _text(emergency.get("source"), f"{code}.emergency.source")
        assert number is not None
        try:
            checked = date.fromisoformat(str(emergency.get("checked")))
        except ValueError as error:
            raise HelplineError(f"{code}.emergency: 'checked' must be a date") from error
        lines = tuple(_line(line, f"{code}.lines[{i}]") for i, line in enumerate(raw["lines"]))
        found[code] = (CountryHelp(country=code, emergency=number, lines=lines), checked)
    return found


@lru_cache(maxsize=1)
def _loaded() -> dict[str, tuple[CountryHelp, date]]:
    try:
        data = json.loads(HELPLINES_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise HelplineError(f"helplines.json: {error}") from error
    return _parse(data)


def helplines() -> dict[str, CountryHelp]:
    """Every listed country's help by ISO code.

    Raises:
        HelplineError: The data file is malformed.
    """
    return {code: help for code, (help, _) in _loaded().items()}


def help_for(country: str | None) -> CountryHelp | None:
    """The help listed for ``country`` (ISO code), or None when it is not listed."""
    if country is None:
        return None
    entry = _loaded().get(country.upper())
    return entry[0] if entry else None


def stale_entries(today: date, *, max_age: timedelta = CHECK_EVERY) -> list[StaleEntry]:
    """Entries whose last check against their source is older than ``max_age``.

    Args:
        today: The date to measure from (injected, never read from the clock here).
        max_age: How old a check may be.

    Returns:
        The stale entries, by country then name; an emergency number is named "emergency".
    """
    stale = []
    for code, (help, emergency_checked) in sorted(_loaded().items()):
        if today - emergency_checked > max_age:
            stale.append(StaleEntry(code, "emergency", emergency_checked))
        stale += [
            StaleEntry(code, line.name, line.checked)
            for line in help.lines
            if today - line.checked > max_age
        ]
    return stale


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    folder = resources.files("tzdata").joinpath("zoneinfo")
    countries: dict[str, str] = {}
    for table in _ZONE_TABLES:
        path = folder.joinpath(table)
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            codes, _, zone, *_ = line.split("\t")
            countries.setdefault(zone, codes.split(",")[0])
    return countries


def country_of_zone(zone: str) -> str | None:
    """The country a time zone belongs to ("Europe/Berlin" -> "DE"), or None ("UTC").

    ``zone.tab`` names one country per zone; ``zone1970.tab``, consulted second, the first
    of the countries that share a zone.
    """
    return _zone_countries().get(zone)
