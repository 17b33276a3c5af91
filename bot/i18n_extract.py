"""A Babel extractor for the act catalog, so translators see every act and tip (``babel.cfg``)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

__all__ = ["extract_acts"]


def extract_acts(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield each act's text and tip as Babel messages, with the act id as a comment.

    Args:
        fileobj: ``bot/content/acts.json``, opened in binary mode.
        keywords: Unused: every text and tip is a message.
        comment_tags: Unused.
        options: Unused.

    Yields:
        ``(lineno, funcname, message, comments)`` as Babel expects from an extractor.
    """
    del keywords, comment_tags, options
    lines = fileobj.read().decode("utf-8").splitlines()
    data = json.loads("\n".join(lines))
    for act in data["acts"]:
        lineno = next((n for n, line in enumerate(lines, 1) if f'"{act["id"]}"' in line), 0)
        yield lineno, "t", act["text"], [f"act {act['id']}: the act, also a button label"]
        yield lineno, "t", act["tip"], [f"act {act['id']}: a tip shown under the act"]
