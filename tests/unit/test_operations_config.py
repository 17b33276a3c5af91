"""The operations settings: HEALTH_PORT, HEALTH_LISTEN, ADMIN_IDS and LOG_FORMAT."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

NEW_VARS = ["HEALTH_PORT", "HEALTH_LISTEN", "ADMIN_IDS", "LOG_FORMAT"]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NEW_VARS:
        monkeypatch.delenv(name, raising=False)


def test_defaults_keep_everything_off() -> None:
    settings = load_settings(None)
    assert settings.health_port is None
    assert settings.health_listen == "127.0.0.1"
    assert settings.admin_ids == frozenset()
    assert settings.log_format == "plain"


def test_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTH_PORT", "9464")
    monkeypatch.setenv("HEALTH_LISTEN", "::")
    monkeypatch.setenv("ADMIN_IDS", " 12, 3456789012 ,,")
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    settings = load_settings(None)
    assert settings.health_port == 9464
    assert settings.health_listen == "::"
    assert settings.admin_ids == frozenset({12, 3456789012})
    assert settings.log_format == "json"


def test_an_empty_health_port_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTH_PORT", "")
    monkeypatch.setenv("ADMIN_IDS", "")
    settings = load_settings(None)
    assert settings.health_port is None
    assert settings.admin_ids == frozenset()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "ADMIN_IDS",
            "12,@ana",
            "ADMIN_IDS: expected numeric Telegram user ids separated by commas; got '@ana'",
        ),
        (
            "ADMIN_IDS",
            "1.5",
            "ADMIN_IDS: expected numeric Telegram user ids separated by commas; got '1.5'",
        ),
        ("HEALTH_PORT", "health", "HEALTH_PORT: expected a number"),
        ("HEALTH_PORT", "0", "HEALTH_PORT: Input should be greater than or equal to 1"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: expected plain or json"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        load_settings(None)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)
