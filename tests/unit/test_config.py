"""Settings: defaults, parsing, and one clear line for every bad value."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot import cli
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
    "PAID_BROADCAST",
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
    assert not settings.paid_broadcast
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
    monkeypatch.setenv("SEND_RATE", "20")
    assert load_settings(env_file).send_rate == 20


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DEFAULT_MORNING_TIME", "25:61", "DEFAULT_MORNING_TIME: expected a time as HH:MM"),
        ("DEFAULT_EVENING_TIME", "evening", "DEFAULT_EVENING_TIME: expected a time as HH:MM"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE: expected an IANA timezone"),
        ("SEND_RATE", "fast", "SEND_RATE: expected a number"),
        ("SEND_RATE", "", "SEND_RATE: expected a number"),
        ("SEND_RATE", "0", "SEND_RATE: expected a positive number of messages per second"),
        ("SEND_RATE", "-5", "SEND_RATE: expected a positive number of messages per second"),
        ("SEND_RATE", "nan", "SEND_RATE: expected a positive number of messages per second"),
        ("SEND_RATE", "5000", "SEND_RATE: at most 1000 messages per second"),
        ("SEND_RATE", "31", "SEND_RATE: 31 is above Telegram's free limit of 30"),
        ("PAID_BROADCAST", "maybe", "PAID_BROADCAST: expected true or false"),
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


@pytest.mark.parametrize("rate", ["0", "-1", "abc", "1000.5", "5000", "inf"])
def test_paid_broadcast_does_not_lift_the_bounds_of_send_rate(
    monkeypatch: pytest.MonkeyPatch, rate: str
) -> None:
    monkeypatch.setenv("PAID_BROADCAST", "true")
    monkeypatch.setenv("SEND_RATE", rate)
    with pytest.raises(ConfigError, match=r"^SEND_RATE: "):
        load_settings(None)


def test_a_rate_above_the_free_limit_names_the_way_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEND_RATE", "200")
    with pytest.raises(ConfigError) as caught:
        load_settings(None)
    assert str(caught.value) == (
        "SEND_RATE: 200 is above Telegram's free limit of 30 messages per second; set "
        "PAID_BROADCAST=true to pay 0.1 Telegram Stars per message over it, or lower SEND_RATE"
    )


@pytest.mark.parametrize(
    ("paid", "rate", "expected"),
    [
        (None, "30", (30.0, False)),  # the free limit itself needs nothing
        ("false", "0.5", (0.5, False)),
        ("", "25", (25.0, False)),  # empty, as in a copy of .env.example: off
        ("true", "200", (200.0, True)),
        ("TRUE", "1000", (1000.0, True)),
        ("1", "30.5", (30.5, True)),
        ("true", "5", (5.0, True)),  # paying is allowed below the free limit too
    ],
)
def test_paid_broadcast_lets_send_rate_go_up_to_1000(
    monkeypatch: pytest.MonkeyPatch, paid: str | None, rate: str, expected: tuple[float, bool]
) -> None:
    if paid is not None:
        monkeypatch.setenv("PAID_BROADCAST", paid)
    monkeypatch.setenv("SEND_RATE", rate)
    settings = load_settings(None)
    assert (settings.send_rate, settings.paid_broadcast) == expected


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


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SEND_RATE": "40"}, "kindling: SEND_RATE: 40 is above Telegram's free limit of 30"),
        ({"SEND_RATE": "0"}, "kindling: SEND_RATE: expected a positive number"),
        ({"SEND_RATE": "-2"}, "kindling: SEND_RATE: expected a positive number"),
        ({"SEND_RATE": "lots"}, "kindling: SEND_RATE: expected a number"),
        (
            {"SEND_RATE": "1200", "PAID_BROADCAST": "true"},
            "kindling: SEND_RATE: at most 1000 messages per second",
        ),
        ({"PAID_BROADCAST": "sometimes"}, "kindling: PAID_BROADCAST: expected true or false"),
    ],
)
def test_start_up_refuses_a_bad_send_rate_with_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", VALID_TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite3'}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["run"]) == cli.EXIT_CONFIG
    out, err = capsys.readouterr()
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith(expected)
    assert not (tmp_path / "k.sqlite3").exists()  # refused before anything started


def test_paid_broadcast_and_its_cost_are_documented() -> None:
    root = Path(__file__).resolve().parents[2]
    example = (root / ".env.example").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "\nPAID_BROADCAST=false\n" in example
    assert load_settings(root / ".env.example").paid_broadcast is False  # a copy works as is
    assert "| `PAID_BROADCAST` | `false` |" in readme
    section = readme.split("### Paid broadcasts", 1)[1].split("\n## ", 1)[0]
    assert "0.1 Telegram Stars per message" in section
    assert "SQLite" in section
