"""A conservative screen for crisis language in free text: pure, no I/O, nothing remembered.

Every free-text message passes through :func:`is_crisis` before any flow sees it. On a match
the bot shows helplines and stops; the text itself is never stored or logged, so nothing here
keeps or returns the words that matched.

The phrase lists are per language (:data:`PHRASES`, read from the language files of
:mod:`bot.kindness.lexicon`); a language is added as one more file. Every list is checked
whatever the person's language setting, because people often write in a language other than
their Telegram interface's. Text and phrases are compared after :func:`normalize`, on whole
words, in any script.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

from bot.kindness.lexicon import lexicons

__all__ = ["IDIOMS", "PHRASES", "is_crisis", "normalize"]


def _phrases() -> Mapping[str, tuple[str, ...]]:
    return {code: lexicon.crisis_phrases for code, lexicon in lexicons().items()}


def _idioms() -> Mapping[str, tuple[str, ...]]:
    return {code: lexicon.crisis_idioms for code, lexicon in lexicons().items()}


PHRASES: Final[Mapping[str, tuple[str, ...]]] = _phrases()
"""Crisis phrases by language (``bot/content/languages/<lang>.json``), matched as whole words
after :func:`normalize`; written naturally, accents and all."""

IDIOMS: Final[Mapping[str, tuple[str, ...]]] = _idioms()
"""Everyday expressions that contain a phrase but are not crisis language; removed first.

Kept short on purpose: when unsure, showing helplines to someone who is fine costs little.
"""

_LEET: Final = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_LEET_SYMBOLS: Final = str.maketrans({"@": "a", "$": "s"})
# Letters people type interchangeably: Turkish dotless i; Arabic taa marbuta, alif maqsura,
# Persian yeh and the tatweel stretch (hamza forms of alif lose their hamza as a mark).
_FOLD: Final = str.maketrans({"ı": "i", "ة": "ه", "ى": "ي", "ی": "ي", "ـ": None})
_APOSTROPHES: Final = re.compile(r"['’‘`´ʼ]")
_NOT_WORD: Final = re.compile(r"[\W_]+")
_LETTER_DIGIT_WORD: Final = re.compile(r"\b(?=\w*[^\W\d])\w+\b")


def normalize(text: str) -> str:
    """Fold ``text`` for matching: lower case, no accents, marks or apostrophes, light
    leetspeak undone inside words ("k1ll" -> "kill"), any other punctuation as a single space.

    Letters of every script are kept ("не хочу жить", "أريد أن أموت").

    Args:
        text: What someone wrote.

    Returns:
        Lower-case words separated by single spaces.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _APOSTROPHES.sub("", plain).translate(_LEET_SYMBOLS).translate(_FOLD)
    spaced = _NOT_WORD.sub(" ", plain).strip()
    # Digits become letters only inside words that also have letters, so "988" stays a number.
    return _LETTER_DIGIT_WORD.sub(lambda m: m.group(0).translate(_LEET), spaced)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    def alternation(lists: Mapping[str, tuple[str, ...]]) -> re.Pattern[str]:
        phrases = sorted(
            {normalize(p) for group in lists.values() for p in group}, key=len, reverse=True
        )
        return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")

    return alternation(PHRASES), alternation(IDIOMS)


def is_crisis(text: str) -> bool:
    """Whether ``text`` contains crisis language (suicide, self-harm, wanting to die, danger).

    Deliberately leans towards a match: a false alarm shows kind words and helplines, a miss
    could leave someone alone. Common figures of speech ("dying to help", "killing it",
    "dead tired") do not match because only whole phrases are listed.

    Args:
        text: A free-text message, in any language with a phrase list.

    Returns:
        True when a crisis phrase appears.
    """
    phrases, idioms = _patterns()
    folded = idioms.sub(" ", normalize(text))
    return phrases.search(folded) is not None
