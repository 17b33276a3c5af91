"""A conservative screen for crisis language in free text: pure, no I/O, nothing remembered.

Every free-text message passes through :func:`is_crisis` before any flow sees it. On a match
the bot shows helplines and stops; the text itself is never stored or logged, so nothing here
keeps or returns the words that matched.

The phrase lists are per language (:data:`PHRASES`); a language is added as one more entry.
Every list is checked whatever the person's language setting, because people often write in
a language other than their Telegram interface's. Lists are matched on whole words after
:func:`normalize`, so write phrases in that form: lower case, no accents, no apostrophes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

__all__ = ["IDIOMS", "PHRASES", "is_crisis", "normalize"]

PHRASES: Final[Mapping[str, tuple[str, ...]]] = {
    "en": (
        # suicide and wanting to die
        "suicide",
        "suicidal",
        "kill myself",
        "killing myself",
        "kill my self",
        "kms",
        "unalive myself",
        "end my life",
        "ending my life",
        "end my own life",
        "take my life",
        "take my own life",
        "taking my life",
        "end it all",
        "ending it all",
        "want to die",
        "wanna die",
        "wish i was dead",
        "wish i were dead",
        "want to be dead",
        "better off dead",
        "better off without me",
        "ready to die",
        "going to die tonight",
        "dont want to live",
        "do not want to live",
        "dont want to be alive",
        "do not want to be alive",
        "dont want to be here anymore",
        "dont want to exist",
        "dont want to wake up",
        "no reason to live",
        "nothing to live for",
        "not worth living",
        "cant go on",
        "cannot go on",
        "overdose",
        "jump off a bridge",
        # self-harm
        "self harm",
        "selfharm",
        "harm myself",
        "harming myself",
        "hurt myself",
        "hurting myself",
        "cut myself",
        "cutting myself",
        "cutting again",
        "burn myself",
        "starve myself",
        # being in danger
        "im in danger",
        "i am in danger",
        "im not safe",
        "i am not safe",
        "i dont feel safe",
        "i do not feel safe",
        "someone is hurting me",
        "he is hurting me",
        "she is hurting me",
        "they are hurting me",
        "hes hurting me",
        "shes hurting me",
        "he hits me",
        "she hits me",
        "hes going to hurt me",
        "shes going to hurt me",
        "threatening to kill me",
        "threatened to kill me",
        "afraid for my life",
        "scared for my life",
        "fear for my life",
    ),
}
"""Crisis phrases by language code, in :func:`normalize`'d form, matched as whole words."""

IDIOMS: Final[Mapping[str, tuple[str, ...]]] = {
    "en": (
        "kill myself laughing",
        "killing myself laughing",
        "want to die laughing",
        "wanna die laughing",
        "suicide squad",
        "suicide doors",
        "suicide run",
        "suicide runs",
        "cant go on holiday",
        "cant go on vacation",
        "cant go on the trip",
        "cannot go on holiday",
    ),
}
"""Everyday expressions that contain a phrase but are not crisis language; removed first.

Kept short on purpose: when unsure, showing helplines to someone who is fine costs little.
"""

_LEET: Final = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_LEET_SYMBOLS: Final = str.maketrans({"@": "a", "$": "s"})
_APOSTROPHES: Final = re.compile(r"['’‘`´]")
_NOT_WORD: Final = re.compile(r"[^a-z0-9]+")
_LETTER_DIGIT_WORD: Final = re.compile(r"\b(?=[a-z0-9]*[a-z])[a-z0-9]+\b")


def normalize(text: str) -> str:
    """Fold ``text`` for matching: lower case, no accents or apostrophes, light leetspeak
    undone inside words ("k1ll" -> "kill"), any other punctuation as a single space.

    Args:
        text: What someone wrote.

    Returns:
        Lower-case words of ``a-z0-9`` separated by single spaces.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _APOSTROPHES.sub("", plain).translate(_LEET_SYMBOLS)
    spaced = _NOT_WORD.sub(" ", plain).strip()
    # Digits become letters only inside words that also have letters, so "988" stays a number.
    return _LETTER_DIGIT_WORD.sub(lambda m: m.group(0).translate(_LEET), spaced)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    def alternation(lists: Mapping[str, tuple[str, ...]]) -> re.Pattern[str]:
        phrases = sorted({p for group in lists.values() for p in group}, key=len, reverse=True)
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
