r"""The front door: every update is made safe to store and to echo before any handler runs.

JSON can carry UTF-16 surrogates that pair with nothing (``"\\ud800"``). Python decodes them into
``str`` values that cannot be encoded again: SQLite and PostgreSQL refuse to store them, and
sending one back to Telegram (a name in a greeting, a zone the person typed) fails. Telegram's
own servers never send them, but a proxy or a self-hosted Bot API server might, and one such
update must not stop a person's flow. Each one is replaced by U+FFFD, as a decoder would.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Final

from telegram import Update

from bot.metrics import MeasuredApplication

__all__ = ["FrontDoorApplication", "has_lone_surrogates", "scrub"]

logger = logging.getLogger(__name__)

# Valid pairs were already combined into one code point by the JSON decoder, so any surrogate
# left in a ``str`` is unpaired.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
REPLACEMENT: Final = "\ufffd"


def has_lone_surrogates(value: object) -> bool:
    """Whether any string in ``value`` (nested dicts, lists and tuples) holds a surrogate."""
    if isinstance(value, str):
        return not value.isascii() and _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(has_lone_surrogates(k) or has_lone_surrogates(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_lone_surrogates(item) for item in value)
    return False


def scrub(value: Any) -> Any:
    """``value`` with every surrogate in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub(REPLACEMENT, value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


class FrontDoorApplication(MeasuredApplication):
    """The Application, receiving only updates whose text can be stored and sent back."""

    async def process_update(self, update: object) -> None:
        """Replace lone surrogates in ``update``, then process it as usual."""
        if isinstance(update, Update):
            data = update.to_dict()
            if has_lone_surrogates(data):
                logger.info("update %s: unpaired surrogates replaced", update.update_id)
                update = Update.de_json(scrub(data), self.bot)
        await super().process_update(update)
