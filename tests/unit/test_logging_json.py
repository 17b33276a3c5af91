"""LOG_FORMAT=json: one object per line, ids as fields, no secrets, no exception messages."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import NOT_LOGGED, REDACTED, configure_logging

TOKEN = "123456:" + "J" * 35
SECRET = "webhook-secret_0123"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name in ("httpx", "httpcore", "aiosqlite", "sqlalchemy.engine"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.usefixtures("restore_logging")
def test_one_object_per_line_with_time_level_logger_event_and_ids() -> None:
    stream = io.StringIO()
    configure_logging("INFO", [TOKEN], stream, fmt="json")
    log = logging.getLogger("bot.test")
    log.info("update %s handled", 7, extra={"update_id": 7, "chat_id": 42})
    log.warning("two\nlines in one event")
    log.debug("below the level")
    first, second = lines(stream)
    assert first["level"] == "INFO"
    assert first["logger"] == "bot.test"
    assert first["event"] == "update 7 handled"
    assert (first["update_id"], first["chat_id"]) == (7, 42)
    assert "user_id" not in first
    assert str(first["time"]).endswith("+00:00")
    assert second["event"] == "two\nlines in one event"  # still one line of output
    assert stream.getvalue().count("\n") == 2


@pytest.mark.usefixtures("restore_logging")
def test_token_and_secret_are_redacted_in_json_too() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", [TOKEN, SECRET], stream, fmt="json")
    log = logging.getLogger("bot.test")
    log.info("calling https://api.telegram.org/bot%s/getMe with %s", TOKEN, SECRET)
    try:
        raise RuntimeError(f"failed on {TOKEN}")
    except RuntimeError:
        log.exception("boom %s", TOKEN)
    output = stream.getvalue()
    assert TOKEN not in output
    assert SECRET not in output
    first, second = lines(stream)
    assert (
        first["event"] == f"calling https://api.telegram.org/bot{REDACTED}/getMe with {REDACTED}"
    )
    assert second["event"] == f"boom {REDACTED}"


@pytest.mark.usefixtures("restore_logging")
def test_an_exception_is_its_type_and_locations_never_its_message() -> None:
    stream = io.StringIO()
    configure_logging("INFO", [], stream, fmt="json")
    try:
        int("I feel lonely today")
    except ValueError:
        logging.getLogger("bot.test").exception("parsing failed")
    (entry,) = lines(stream)
    assert entry["error"] == "builtins.ValueError"
    where = entry["where"]
    assert isinstance(where, list)
    assert where[0].startswith("test_logging_json.py:")
    assert "lonely" not in stream.getvalue()


@pytest.mark.usefixtures("restore_logging")
def test_bot_api_payloads_stay_out_of_json_lines() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", [], stream, fmt="json")
    logging.getLogger("telegram.ext.ExtBot").debug(
        "Call to Bot API endpoint `%s` with parameters `%s`", "sendMessage", "words someone wrote"
    )
    (entry,) = lines(stream)
    assert (
        entry["event"] == f"Call to Bot API endpoint `sendMessage` with parameters `{NOT_LOGGED}`"
    )
    assert "someone wrote" not in stream.getvalue()


@pytest.mark.usefixtures("restore_logging")
def test_plain_stays_the_default() -> None:
    stream = io.StringIO()
    configure_logging("INFO", [TOKEN], stream)
    logging.getLogger("bot.test").info("token %s", TOKEN)
    text = stream.getvalue()
    assert text.rstrip().endswith(f"INFO bot.test: token {REDACTED}")
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
