"""Settings read from the environment and `.env`; a bad value stops the bot with one clear line."""

from __future__ import annotations

import math
import re
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storage.engine import normalize_database_url, sqlite_file_path

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite:///data/kindling.sqlite3"
SANDBOX_DATABASE_URL = "sqlite:///data/sandbox.sqlite3"

# BotFather tokens are "<bot id>:<35 url-safe characters>"; we accept any plausible length so
# self-hosted Bot API servers and test tokens work, but catch pasted quotes and spaces.
_TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,100}$")
# Telegram's rule for webhook secret tokens.
_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_HHMM_PATTERN = re.compile(r"^(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)$")

FREE_SEND_RATE = 30
"""Messages per second Telegram lets a bot broadcast for free (Bots FAQ, broadcasting limits)."""
PAID_SEND_RATE = 1000
"""Messages per second with ``allow_paid_broadcast`` (Bot API ``sendMessage``), 0.1 Stars each
above the free limit."""

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["plain", "json"]


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line meant for the operator."""


def _parse_hhmm(value: object) -> time:
    if isinstance(value, time):
        return value
    text = str(value).strip()
    match = _HHMM_PATTERN.match(text)
    if match is None:
        raise ValueError(f"expected a time as HH:MM (24-hour), e.g. 08:30; got {text!r}")
    return time(int(match["h"]), int(match["m"]))


class Settings(BaseSettings):
    """Everything an operator can configure. Built with :func:`load_settings`, never globally."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        hide_input_in_errors=True,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = TELEGRAM_BASE_URL
    database_url: str = DEFAULT_DATABASE_URL
    log_level: LogLevel = "INFO"
    default_timezone: str = "UTC"
    default_morning_time: time = time(8, 30)
    default_evening_time: time = time(20, 30)
    send_rate: float = 25.0
    paid_broadcast: bool = False
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    log_format: LogFormat = "plain"
    health_port: int | None = Field(default=None, ge=1, le=65535)
    health_listen: str = "127.0.0.1"
    # NoDecode: pydantic-settings would otherwise read a set from the environment as JSON.
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if not _TOKEN_PATTERN.match(text.strip()):
            raise ValueError("does not look like a BotFather token (<digits>:<letters>)")
        return text.strip()

    @field_validator("telegram_base_url")
    @classmethod
    def _base_url_shape(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"expected an http(s) URL like {TELEGRAM_BASE_URL}; got {value!r}")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        normalize_database_url(value)  # raises ValueError with an example of a good URL
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("health_port", mode="before")
    @classmethod
    def _health_port_off(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None  # empty: no health server
        return value

    @field_validator("send_rate")
    @classmethod
    def _send_rate_range(cls, value: float) -> float:
        # Written out rather than Field(gt=, le=) so the line says what a good value looks like.
        if not math.isfinite(value) or value <= 0:
            raise ValueError(
                f"expected a positive number of messages per second, e.g. 25; got {value:g}"
            )
        if value > PAID_SEND_RATE:
            raise ValueError(
                f"at most {PAID_SEND_RATE} messages per second (Telegram's limit with paid "
                f"broadcasts); got {value:g}"
            )
        return value

    @field_validator("paid_broadcast", mode="before")
    @classmethod
    def _paid_broadcast_off(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return False  # empty: the free limit
        return value.strip() if isinstance(value, str) else value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_id_list(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        ids = set()
        for part in value.split(","):
            item = part.strip()
            if not item:
                continue
            if not item.lstrip("-").isdigit():
                raise ValueError(
                    f"expected numeric Telegram user ids separated by commas; got {item!r}"
                )
            ids.add(int(item))
        return frozenset(ids)

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"expected an IANA timezone like Europe/Berlin or UTC; got {value!r}"
            ) from None
        return value

    @field_validator("default_morning_time", mode="before")
    @classmethod
    def _morning(cls, value: object) -> time:
        return _parse_hhmm(value)

    @field_validator("default_evening_time", mode="before")
    @classmethod
    def _evening(cls, value: object) -> time:
        return _parse_hhmm(value)

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parts = urlsplit(str(value).strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"expected the public https URL Telegram should call; got {value!r}")
        return str(value).strip()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value):
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if not _SECRET_PATTERN.match(text):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return text

    @model_validator(mode="after")
    def _rate_within_what_is_paid_for(self) -> Settings:
        # Over the free limit Telegram answers 429 unless each message pays to skip it: an
        # operator must opt in to the cost, never pay it by a typo in SEND_RATE.
        if self.send_rate > FREE_SEND_RATE and not self.paid_broadcast:
            raise ValueError(
                f"SEND_RATE: {self.send_rate:g} is above Telegram's free limit of "
                f"{FREE_SEND_RATE} messages per second; set PAID_BROADCAST=true to pay 0.1 "
                f"Telegram Stars per message over it, or lower SEND_RATE"
            )
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_SECRET: required when WEBHOOK_URL is set, so that only Telegram "
                "can deliver updates"
            )
        if (
            self.webhook_url
            and self.webhook_url.startswith("http://")
            and self.telegram_base_url == TELEGRAM_BASE_URL
        ):
            raise ValueError("WEBHOOK_URL: Telegram only calls https:// webhooks")
        return self

    @property
    def sandbox(self) -> bool:
        """True when no token is configured: run against the local fake Bot API."""
        return self.telegram_bot_token is None

    @property
    def token(self) -> str:
        """The bot token; only valid outside sandbox mode."""
        if self.telegram_bot_token is None:
            raise ConfigError("TELEGRAM_BOT_TOKEN: not set")
        return self.telegram_bot_token.get_secret_value()

    def sqlite_path(self) -> Path | None:
        """The database file for SQLite URLs, None otherwise."""
        return sqlite_file_path(self.database_url)


def load_settings(env_file: str | Path | None = ".env", **overrides: Any) -> Settings:
    """Read the settings, turning the first problem into a one-line :class:`ConfigError`."""
    try:
        return Settings(_env_file=env_file, **overrides)
    except ValidationError as exc:
        raise ConfigError(_first_problem(exc)) from None


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    location = "_".join(str(part) for part in error["loc"]).upper()
    message = str(error["msg"]).removeprefix("Value error, ")
    if ":" in message and message.split(":", 1)[0].isupper():
        return message  # the message already names its variable (cross-field checks)
    if error["type"] == "literal_error" and location == "LOG_LEVEL":
        message = "expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL"
    elif error["type"] == "literal_error" and location == "LOG_FORMAT":
        message = "expected plain or json"
    elif error["type"] in {"float_parsing", "int_parsing"}:
        message = "expected a number"
    elif error["type"] == "bool_parsing":
        message = "expected true or false"
    return f"{location}: {message}" if location else message
