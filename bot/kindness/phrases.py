"""Recognising short replies people type, such as "done" and its natural variants."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["is_done_phrase"]

_DONE: Final = frozenset(
    {
        "done",
        "did it",
        "i did it",
        "i did",
        "did",
        "finished",
        "complete",
        "completed",
        "all done",
        "done it",
        "i've done it",
        "ive done it",
        "just did it",
        "yes done",
        "done already",
        "✅",
        "✔",
        "✔️",
        "☑️",
        "👍 done",
    }
)
_TRAILING: Final = re.compile(r"[\s!.?…🎉🙂😊]+$")


def is_done_phrase(text: str) -> bool:
    """Whether ``text`` means "I did my act" ("done", "Done!", "did it ✅", "all done.")."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold().replace("’", "'")
    if folded in _DONE:
        return True
    folded = _TRAILING.sub("", folded)
    folded = folded.removesuffix(" ✅").strip()
    return folded in _DONE
