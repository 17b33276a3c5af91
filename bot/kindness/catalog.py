"""The act catalog: small acts of kindness read from ``bot/content/acts.json`` and validated.

The English text of an act is also its translation key (``t(act.text)``), so a language is
added as a catalog entry per act, without touching the data file.

File versions: version 1 entries have ``effort`` 1-3 and nothing else; version 2 adds
``cost``, ``social`` and ``places`` to every entry, and ``effort`` may be written as
``"minute"``, ``"15min"`` or ``"hour"``; version 3 (shipped) adds ``recipient``, who the
kindness is for. Older files still load: version 1 entries get cost ``free``, social
``remote`` and every place; entries of versions 1 and 2 that do not state a recipient get one
derived from their category and social (see :func:`default_recipient`): self-kindness is for
``self``, community acts for the ``community``, reaching out and listening for ``close``
people, help at hand for an ``acquaintance``, courtesy for a ``stranger``, and gratitude for
``self`` when done alone (a list, a jar, a walk), otherwise for an ``acquaintance``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Final, TypeVar

__all__ = [
    "MAX_TEXT",
    "MAX_TIP",
    "Act",
    "Catalog",
    "CatalogError",
    "Category",
    "Cost",
    "Effort",
    "Place",
    "Recipient",
    "Social",
    "default_catalog",
    "default_recipient",
    "load_catalog",
]

DEFAULT_PATH: Final = Path(__file__).resolve().parents[1] / "content" / "acts.json"
MAX_ID_LENGTH: Final = 24  # act ids travel in callback data, which Telegram caps at 64 bytes
MAX_TEXT: Final = 80  # an act is also a button label: short enough to read at a glance
MAX_TIP: Final = 120
_ID: Final = re.compile(r"[a-z0-9_]+")
# What every entry must state, by file version (version 1 gets defaults for all of these).
_REQUIRED_SINCE: Final[dict[int, tuple[str, ...]]] = {
    2: ("cost", "social", "places"),
    3: ("cost", "social", "places", "recipient"),
}
_E = TypeVar("_E", bound=StrEnum)


class Category(StrEnum):
    """Kinds of kindness; suggestions mix them."""

    REACH_OUT = "reach_out"
    COURTESY = "courtesy"
    HELP_AT_HAND = "help_at_hand"
    LISTENING = "listening"
    COMMUNITY = "community"
    GRATITUDE = "gratitude"
    SELF_KINDNESS = "self_kindness"


class Effort(IntEnum):
    """How long an act takes; ordered, so "smaller" is ``<``."""

    MINUTE = 1  # about a minute
    QUARTER = 2  # about fifteen minutes
    HOUR = 3  # an hour or more, or some planning

    @property
    def code(self) -> str:
        """The name used in the data file."""
        return _EFFORT_CODES[self]


_EFFORT_CODES: Final = {Effort.MINUTE: "minute", Effort.QUARTER: "15min", Effort.HOUR: "hour"}
_EFFORT_BY_CODE: Final = {code: effort for effort, code in _EFFORT_CODES.items()}


class Cost(StrEnum):
    """What an act costs in money."""

    FREE = "free"
    LOW = "low"


class Social(StrEnum):
    """Who else an act involves."""

    ALONE = "alone"  # done on your own (a note, litter, rest)
    REMOTE = "remote"  # someone, at a distance (a message, a call)
    IN_PERSON = "in_person"  # someone, face to face


class Recipient(StrEnum):
    """Who the kindness is for; suggestions rotate across them over a week."""

    CLOSE = "close"  # family, a partner, close friends
    ACQUAINTANCE = "acquaintance"  # colleagues, neighbours, people you know a little
    STRANGER = "stranger"  # someone you do not know
    COMMUNITY = "community"  # a group, a place, the public good
    SELF = "self"  # yourself


_RECIPIENT_BY_CATEGORY: Final = {
    Category.REACH_OUT: Recipient.CLOSE,
    Category.COURTESY: Recipient.STRANGER,
    Category.HELP_AT_HAND: Recipient.ACQUAINTANCE,
    Category.LISTENING: Recipient.CLOSE,
    Category.COMMUNITY: Recipient.COMMUNITY,
    Category.GRATITUDE: Recipient.ACQUAINTANCE,  # unless alone: see default_recipient
    Category.SELF_KINDNESS: Recipient.SELF,
}


class Place(StrEnum):
    """Where an act can be done."""

    AT_HOME = "at_home"
    AT_WORK = "at_work"
    OUT_AND_ABOUT = "out_and_about"


@dataclass(frozen=True)
class Act:
    """One small act of kindness.

    Attributes:
        id: Stable identifier (lowercase letters, digits, ``_``; at most 24 characters).
        text: The act, in English (also its translation key).
        tip: A short, concrete hint for doing it.
        category: What kind of kindness it is.
        effort: A minute, about fifteen minutes, or an hour or more.
        cost: Free or low cost.
        social: Alone, with someone remotely, or in person.
        places: Where it can be done (at least one).
        recipient: Who the kindness is for. Acts read from a file always have one (stated, or
            derived by :func:`default_recipient`); ``acquaintance``, the middle ground, is
            only the default for acts built in code.
    """

    id: str
    text: str
    tip: str
    category: Category
    effort: Effort
    cost: Cost = Cost.FREE
    social: Social = Social.REMOTE
    places: frozenset[Place] = frozenset(Place)
    recipient: Recipient = Recipient.ACQUAINTANCE


class CatalogError(ValueError):
    """The act file is malformed; the message says which entry and why."""


@dataclass(frozen=True)
class Catalog:
    """All acts, in file order, with lookup by id."""

    acts: tuple[Act, ...]

    def get(self, act_id: str) -> Act | None:
        """Return the act with ``act_id``, or ``None`` if there is none."""
        return self._by_id.get(act_id)

    def in_category(self, category: Category) -> list[Act]:
        """Return the acts of one category, in file order."""
        return [act for act in self.acts if act.category is category]

    @cached_property
    def _by_id(self) -> dict[str, Act]:
        # Built once per catalog: the suggestion policy looks up every act offered lately.
        return {act.id: act for act in self.acts}


def load_catalog(path: Path = DEFAULT_PATH) -> Catalog:
    """Read and validate an act file.

    Args:
        path: A JSON file ``{"version": 3, "acts": [{"id", "text", "tip", "category",
            "effort", "cost", "social", "places", "recipient"}, ...]}`` (version 2: all but
            the recipient; version 1: the first five).

    Returns:
        The catalog.

    Raises:
        CatalogError: The file is not valid JSON, or an entry is missing a field, has an
            unknown category, a bad id, effort, cost, social, place or recipient, a text or tip
            that is too long, or repeats an id.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CatalogError(f"{path.name}: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("acts"), list):
        raise CatalogError(f"{path.name}: expected an object with a list of 'acts'")
    version = raw.get("version", 1)
    if version not in (1, 2, 3):
        raise CatalogError(f"{path.name}: unknown version {version!r}")
    acts: list[Act] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw["acts"]):
        act = _parse_act(entry, f"{path.name} act #{index}", version=version)
        if act.id in seen:
            raise CatalogError(f"{path.name}: act id {act.id!r} appears twice")
        seen.add(act.id)
        acts.append(act)
    if not acts:
        raise CatalogError(f"{path.name}: no acts")
    return Catalog(acts=tuple(acts))


def _parse_act(entry: Any, where: str, *, version: int) -> Act:
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: expected an object")
    for key in ("id", "text", "tip", "category"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise CatalogError(f"{where}: {key!r} must be a non-empty string")
    act_id = entry["id"]
    if len(act_id) > MAX_ID_LENGTH or not _ID.fullmatch(act_id):
        raise CatalogError(f"{where}: id {act_id!r} must be [a-z0-9_], at most 24 characters")
    if len(entry["text"]) > MAX_TEXT:
        raise CatalogError(f"{where}: text is longer than {MAX_TEXT} characters")
    if len(entry["tip"]) > MAX_TIP:
        raise CatalogError(f"{where}: tip is longer than {MAX_TIP} characters")
    category = _enum(Category, entry.get("category"), where, "category")
    effort = _effort(entry.get("effort"), where)
    for key in _REQUIRED_SINCE.get(version, ()):
        if key not in entry:
            raise CatalogError(f"{where}: {key!r} is missing")
    cost = _enum(Cost, entry.get("cost", Cost.FREE.value), where, "cost")
    social = _enum(Social, entry.get("social", Social.REMOTE.value), where, "social")
    raw_places = entry.get("places", [p.value for p in Place])
    if not isinstance(raw_places, list) or not raw_places:
        raise CatalogError(f"{where}: 'places' must be a non-empty list")
    places = frozenset(_enum(Place, p, where, "place") for p in raw_places)
    if "recipient" in entry:
        recipient = _enum(Recipient, entry["recipient"], where, "recipient")
    else:
        recipient = default_recipient(category, social)
    return Act(
        id=act_id,
        text=entry["text"],
        tip=entry["tip"],
        category=category,
        effort=effort,
        cost=cost,
        social=social,
        places=places,
        recipient=recipient,
    )


def default_recipient(category: Category, social: Social) -> Recipient:
    """Who an act of a file older than version 3 is most likely for.

    The most common recipient of the shipped acts of the same category (and, for gratitude,
    the same social): a best guess, so a file written before recipients existed still loads.

    Args:
        category: The act's category.
        social: Who else the act involves.

    Returns:
        The recipient to assume.
    """
    if category is Category.GRATITUDE:
        return Recipient.SELF if social is Social.ALONE else Recipient.ACQUAINTANCE
    return _RECIPIENT_BY_CATEGORY[category]


def _enum(kind: type[_E], value: Any, where: str, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        raise CatalogError(f"{where}: unknown {what} {value!r}") from None


def _effort(value: Any, where: str) -> Effort:
    if isinstance(value, str) and value in _EFFORT_BY_CODE:
        return _EFFORT_BY_CODE[value]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 3:
        return Effort(value)
    raise CatalogError(f"{where}: effort must be 'minute', '15min' or 'hour' (or 1, 2, 3)")


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The catalog shipped with Kindling (read once per process)."""
    return load_catalog()
