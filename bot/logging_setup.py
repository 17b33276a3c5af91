"""Logging for operators: one line per event, never the bot token, never what people wrote."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final, TextIO

REDACTED = "[REDACTED]"

# httpx logs every request URL at INFO, and the Bot API URL contains the token; httpcore and
# tornado's access log are just as chatty. Operators get our own one-line events instead.
# aiosqlite (DEBUG) and SQLAlchemy's engine (INFO) log SQL with its parameters, which carry
# acts, notes and feelings people wrote.
_NOISY_LOGGERS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "sqlalchemy.engine": logging.WARNING,
}

# PTB's Bot loggers print every API call's parameters and result at DEBUG; getUpdates results
# and sendMessage parameters carry what people wrote (crisis language included), so only the
# endpoint name is kept.
# The webhook handler (logger "telegram.ext.Updater") prints each received update whole, and
# so does the Application for every update it processes or drops.
_API_LOGGERS = (
    "telegram.Bot",
    "telegram.ext.ExtBot",
    "telegram.ext.Updater",
    "telegram.ext.Application",
)
_WHOLE_PAYLOAD = ("Webhook received data", "Processing update", "Dropping pending update")
NOT_LOGGED = "[payload not logged]"


class PayloadFilter(logging.Filter):
    """Keeps a Bot API call's endpoint in the log and drops its parameters and result, and
    drops the body of every update received by webhook.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace every argument after the endpoint name (all of a webhook body's)."""
        if not isinstance(record.args, tuple) or not record.args:
            return True
        if str(record.msg).startswith(_WHOLE_PAYLOAD):
            record.args = (NOT_LOGGED,) * len(record.args)
        elif len(record.args) >= 2:
            record.args = (record.args[0],) + (NOT_LOGGED,) * (len(record.args) - 1)
        return True


# APScheduler logs two INFO lines ("Running job", "executed successfully") for every run of
# the 2-second scheduler tick: about 86,000 lines a day that bury what an operator needs.
_PER_RUN_LOGGERS = ("apscheduler.executors.default",)


class PerRunFilter(logging.Filter):
    """Demotes APScheduler's per-run INFO lines to DEBUG (kept only when DEBUG is on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Turn INFO into DEBUG; keep the record only if DEBUG is enabled."""
        if record.levelno == logging.INFO:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        return True


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes every secret from the final text (tracebacks included)."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        # Longest first so a secret that contains another is removed whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """Format the record and scrub secrets."""
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced by :data:`REDACTED`."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


ID_FIELDS: Final = ("update_id", "user_id", "chat_id", "prompt_id")
"""Attributes a log call may pass with ``extra=`` that JSON lines carry as fields."""


class JsonFormatter(RedactingFormatter):
    """One JSON object per line: time, level, logger, event, and ids where present.

    The event is the log message as our code wrote it (events and ids, by the logging
    rules of this project). An exception is described by its type and code locations only:
    its message can quote what a person wrote, so it is left out (the plain format keeps
    Python's traceback). Secrets are scrubbed from every value and again from the line.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__("%(message)s", secrets)

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": self.redact(record.getMessage()),
        }
        for name in ID_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, int) and not isinstance(value, bool):
                entry[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error"] = f"{type(error).__module__}.{type(error).__qualname__}"
            entry["where"] = [
                f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(error.__traceback__)[::-1]
            ]
        # The JSON escapes could split a secret only if it held quotes or backslashes (tokens
        # never do); redacting the whole line as well covers every field.
        return self.redact(json.dumps(entry, ensure_ascii=False))


def configure_logging(
    level: str, secrets: Iterable[str], stream: TextIO | None = None, *, fmt: str = "plain"
) -> None:
    """Send logs to ``stream`` (stderr by default) at ``level``, with ``secrets`` redacted.

    Args:
        level: A logging level name such as ``"INFO"``.
        secrets: Strings that must never appear in a log line (the bot token, webhook secret).
        stream: Where to write; tests pass a buffer.
        fmt: ``"plain"`` (one readable line per event) or ``"json"`` (one JSON object per
            line, for log collectors).
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    secrets = list(secrets)
    formatter: logging.Formatter = (
        JsonFormatter(secrets)
        if fmt == "json"
        else RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _API_LOGGERS:
        api_logger = logging.getLogger(name)
        if not any(isinstance(f, PayloadFilter) for f in api_logger.filters):
            api_logger.addFilter(PayloadFilter())
    for name in _PER_RUN_LOGGERS:
        per_run = logging.getLogger(name)
        if not any(isinstance(f, PerRunFilter) for f in per_run.filters):
            per_run.addFilter(PerRunFilter())
    for name, floor in _NOISY_LOGGERS.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level)))
