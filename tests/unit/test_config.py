"""Settings: defaults, parsing, and one clear line for every bad value."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

VALID_TOKEN = "123456:" + "A" * 35

ENV_VARS = [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BASE_URL",
    "DATABASE_URL",
    "LOG_LEVEL",
    "DEFAULT_TIMEZONE",
    "DEFAULT_MORNING_TIME",
    "DEFAULT_EVENING_TIME",
    "SEND_RATE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


def test_defaults_without_token_mean_sandbox() -> None:
    settings = load_settings(None)
    assert settings.sandbox
    assert settings.default_morning_time == time(8, 30)
    assert settings.default_evening_time == time(20, 30)
    assert settings.send_rate == 25
    assert settings.database_url == "sqlite:///data/kindling.sqlite3"
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.webhook_url is None


def test_reads_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"TELEGRAM_BOT_TOKEN={VALID_TOKEN}\nDEFAULT_TIMEZONE=Europe/Berlin\n"
        "DEFAULT_MORNING_TIME=7:05\nLOG_LEVEL=debug\n"
    )
    settings = load_settings(env_file)
    assert not settings.sandbox
    assert settings.token == VALID_TOKEN
    assert settings.default_timezone == "Europe/Berlin"
    assert settings.default_morning_time == time(7, 5)
    assert settings.log_level == "DEBUG"


def test_environment_wins_over_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("SEND_RATE=10\n")
    monkeypatch.setenv("SEND_RATE", "40")
    assert load_settings(env_file).send_rate == 40


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DEFAULT_MORNING_TIME", "25:61", "DEFAULT_MORNING_TIME: expected a time as HH:MM"),
        ("DEFAULT_EVENING_TIME", "evening", "DEFAULT_EVENING_TIME: expected a time as HH:MM"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE: expected an IANA timezone"),
        ("SEND_RATE", "fast", "SEND_RATE: expected a number"),
        ("SEND_RATE", "0", "SEND_RATE: "),
        ("SEND_RATE", "5000", "SEND_RATE: "),
        ("LOG_LEVEL", "loud", "LOG_LEVEL: expected one of DEBUG"),
        ("TELEGRAM_BOT_TOKEN", "'123:abc'", "TELEGRAM_BOT_TOKEN: does not look like"),
        ("TELEGRAM_BASE_URL", "api.telegram.org", "TELEGRAM_BASE_URL: expected an http(s) URL"),
        ("DATABASE_URL", "mysql://db/kindling", "DATABASE_URL: unsupported database URL scheme"),
        ("WEBHOOK_PORT", "70000", "WEBHOOK_PORT: "),
        ("WEBHOOK_URL", "https://example.org/hook", "WEBHOOK_SECRET: required"),
        ("WEBHOOK_SECRET", "has spaces", "WEBHOOK_SECRET: must be"),
    ],
)
def test_bad_values_give_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(None)
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_plain_http_webhook_is_refused_for_real_telegram(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "http://example.org/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret")
    with pytest.raises(ConfigError, match=r"^WEBHOOK_URL: Telegram only calls https"):
        load_settings(None)


def test_secret_values_are_not_echoed_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:not a real secret")
    with pytest.raises(ConfigError) as caught:
        load_settings(None)
    assert "real secret" not in str(caught.value)
    assert VALID_TOKEN not in repr(load_settings(None, telegram_bot_token=VALID_TOKEN))


def test_sqlite_path() -> None:
    assert load_settings(None).sqlite_path() == Path("data/kindling.sqlite3")
    assert load_settings(None, database_url="postgresql://u@h/db").sqlite_path() is None
