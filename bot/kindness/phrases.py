"""Recognising short replies people type, such as "done" and its natural variants, "skip" and
"cancel", in every language of :mod:`bot.kindness.lexicon`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from bot.kindness.lexicon import lexicons

__all__ = ["is_cancel_phrase", "is_done_phrase", "is_skip_phrase"]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold().replace("’", "'")


@lru_cache(maxsize=1)
def _done() -> frozenset[str]:
    # Every language's replies, whatever the person's interface language.
    return frozenset(_fold(word) for lexicon in lexicons().values() for word in lexicon.done)


@lru_cache(maxsize=1)
def _skip() -> frozenset[str]:
    return frozenset(_fold(word) for lexicon in lexicons().values() for word in lexicon.skip)


@lru_cache(maxsize=1)
def _cancel() -> frozenset[str]:
    return frozenset(_fold(word) for lexicon in lexicons().values() for word in lexicon.cancel)


_TRAILING: Final = re.compile(r"[\s!.?…。！؟🎉🙂😊]+$")


def is_done_phrase(text: str) -> bool:
    """Whether ``text`` means "I did my act" ("done", "Done!", "did it ✅", "all done.")."""
    done = _done()
    folded = _fold(text)
    if folded in done:
        return True
    folded = _TRAILING.sub("", folded)
    folded = folded.removesuffix(" ✅").strip()
    return folded in done


def _whole_reply(text: str, words: frozenset[str]) -> bool:
    folded = _fold(text)
    return folded in words or _TRAILING.sub("", folded) in words


def is_skip_phrase(text: str) -> bool:
    """Whether the whole of ``text`` skips an optional question ("skip", "nada", "weiter")."""
    return _whole_reply(text, _skip())


def is_cancel_phrase(text: str) -> bool:
    """Whether the whole of ``text`` leaves an open step unchanged ("cancel", "abbrechen")."""
    return _whole_reply(text, _cancel())
