"""The act catalog: small acts of kindness read from ``bot/content/acts.json`` and validated.

The English text of an act is also its translation key (``t(act.text)``), so a language is
added as a catalog entry per act, without touching the data file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

__all__ = ["Act", "Catalog", "CatalogError", "Category", "default_catalog", "load_catalog"]

DEFAULT_PATH: Final = Path(__file__).resolve().parents[1] / "content" / "acts.json"
MAX_ID_LENGTH: Final = 24  # act ids travel in callback data, which Telegram caps at 64 bytes
_ID: Final = re.compile(r"[a-z0-9_]+")


class Category(StrEnum):
    """Kinds of kindness; suggestions mix them."""

    REACH_OUT = "reach_out"
    COURTESY = "courtesy"
    HELP_AT_HAND = "help_at_hand"
    LISTENING = "listening"
    COMMUNITY = "community"
    GRATITUDE = "gratitude"
    SELF_KINDNESS = "self_kindness"


@dataclass(frozen=True)
class Act:
    """One small act of kindness.

    Attributes:
        id: Stable identifier (lowercase letters, digits, ``_``; at most 24 characters).
        text: The act, in English (also its translation key).
        tip: A short, concrete hint for doing it.
        category: What kind of kindness it is.
        effort: 1 (a minute) to 3 (needs some planning).
    """

    id: str
    text: str
    tip: str
    category: Category
    effort: int


class CatalogError(ValueError):
    """The act file is malformed; the message says which entry and why."""


@dataclass(frozen=True)
class Catalog:
    """All acts, in file order, with lookup by id."""

    acts: tuple[Act, ...]

    def get(self, act_id: str) -> Act | None:
        """Return the act with ``act_id``, or ``None`` if there is none."""
        return self._by_id().get(act_id)

    def in_category(self, category: Category) -> list[Act]:
        """Return the acts of one category, in file order."""
        return [act for act in self.acts if act.category is category]

    def _by_id(self) -> dict[str, Act]:
        return {act.id: act for act in self.acts}


def load_catalog(path: Path = DEFAULT_PATH) -> Catalog:
    """Read and validate an act file.

    Args:
        path: A JSON file ``{"version": 1, "acts": [{"id", "text", "tip", "category",
            "effort"}, ...]}``.

    Returns:
        The catalog.

    Raises:
        CatalogError: The file is not valid JSON, or an entry is missing a field, has an
            unknown category, a bad id or effort, or repeats an id.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CatalogError(f"{path.name}: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("acts"), list):
        raise CatalogError(f"{path.name}: expected an object with a list of 'acts'")
    acts: list[Act] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw["acts"]):
        act = _parse_act(entry, f"{path.name} act #{index}")
        if act.id in seen:
            raise CatalogError(f"{path.name}: act id {act.id!r} appears twice")
        seen.add(act.id)
        acts.append(act)
    if not acts:
        raise CatalogError(f"{path.name}: no acts")
    return Catalog(acts=tuple(acts))


def _parse_act(entry: Any, where: str) -> Act:
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: expected an object")
    for key in ("id", "text", "tip", "category"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise CatalogError(f"{where}: {key!r} must be a non-empty string")
    act_id = entry["id"]
    if len(act_id) > MAX_ID_LENGTH or not _ID.fullmatch(act_id):
        raise CatalogError(f"{where}: id {act_id!r} must be [a-z0-9_], at most 24 characters")
    try:
        category = Category(entry["category"])
    except ValueError:
        raise CatalogError(f"{where}: unknown category {entry['category']!r}") from None
    effort = entry.get("effort")
    if not isinstance(effort, int) or isinstance(effort, bool) or not 1 <= effort <= 3:
        raise CatalogError(f"{where}: effort must be 1, 2 or 3")
    return Act(id=act_id, text=entry["text"], tip=entry["tip"], category=category, effort=effort)


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The catalog shipped with Kindling (read once per process)."""
    return load_catalog()
