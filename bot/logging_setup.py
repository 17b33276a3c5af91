"""Logging for operators: one line per event, never the bot token, never what people wrote."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

REDACTED = "[REDACTED]"

# httpx logs every request URL at INFO, and the Bot API URL contains the token; httpcore and
# tornado's access log are just as chatty. Operators get our own one-line events instead.
_NOISY_LOGGERS = {"httpx": logging.WARNING, "httpcore": logging.WARNING}


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes every secret from the final text (tracebacks included)."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        # Longest first so a secret that contains another is removed whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """Format the record and scrub secrets."""
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def configure_logging(level: str, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    """Send logs to ``stream`` (stderr by default) at ``level``, with ``secrets`` redacted.

    Args:
        level: A logging level name such as ``"INFO"``.
        secrets: Strings that must never appear in a log line (the bot token, webhook secret).
        stream: Where to write; tests pass a buffer.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, floor in _NOISY_LOGGERS.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level)))
