"""The words Kindling understands in each language, read from ``bot/content/languages/*.json``.

One file per language (``en.json``, ``de.json``, ``pt_BR.json``, ...) holds what a person may
type rather than what Kindling writes (that lives in the gettext catalogs): the "done" replies,
the skip and cancel words, the words around a typed time, the crisis phrases and the everyday
idioms that only sound alarming, and the phrases the tone check bans. Every list of every
language is used whatever the person's interface language, because people often write in a
language other than their Telegram's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

__all__ = ["LANGUAGES_DIR", "Lexicon", "LexiconError", "language_name", "lexicons"]

LANGUAGES_DIR: Final = Path(__file__).resolve().parents[1] / "content" / "languages"
_LISTS: Final = (
    "done",
    "skip",
    "cancel",
    "time_words",
    "crisis_phrases",
    "crisis_idioms",
    "tone_banned",
)


class LexiconError(ValueError):
    """A language file is malformed; raised at load, so a bad file never reaches a person."""


@dataclass(frozen=True)
class Lexicon:
    """What people may type in one language.

    Attributes:
        language: The catalog's locale code (``"de"``, ``"pt_BR"``).
        name: The language's own name, as the language picker shows it ("Deutsch").
        done: Short replies meaning "I did my act" ("fertig", "hecho").
        skip: Replies that skip an optional step ("weiter", "nada").
        cancel: Replies that leave an open step ("abbrechen").
        time_words: Words around a typed time that carry no time ("Uhr", "um").
        crisis_phrases: Crisis language, matched as whole words after normalising.
        crisis_idioms: Everyday expressions that contain a crisis phrase but are not one.
        tone_banned: Guilt, streak and "you missed" language that no message may use.
    """

    language: str
    name: str
    done: tuple[str, ...]
    skip: tuple[str, ...]
    cancel: tuple[str, ...]
    time_words: tuple[str, ...]
    crisis_phrases: tuple[str, ...]
    crisis_idioms: tuple[str, ...]
    tone_banned: tuple[str, ...]


def _parse(path: Path) -> Lexicon:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LexiconError(f"{path.name}: {error}") from error
    if not isinstance(data, dict) or data.get("language") != path.stem:
        raise LexiconError(f"{path.name}: 'language' must be {path.stem!r}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise LexiconError(f"{path.name}: 'name' must be the language's own name")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LISTS:
        value = data.get(key)
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            raise LexiconError(f"{path.name}: {key!r} must be a list of non-empty strings")
        lists[key] = tuple(value)
    return Lexicon(language=path.stem, name=name, **lists)


@lru_cache(maxsize=1)
def lexicons() -> Mapping[str, Lexicon]:
    """Every language's lexicon by locale code, English first.

    Raises:
        LexiconError: A file is malformed.
    """
    found = {path.stem: _parse(path) for path in sorted(LANGUAGES_DIR.glob("*.json"))}
    return dict(sorted(found.items(), key=lambda item: (item[0] != "en", item[0])))


def language_name(language: str) -> str:
    """The language's own name ("Deutsch") for a shipped code; the code itself if unknown."""
    lexicon = lexicons().get(language)
    return lexicon.name if lexicon is not None else language
