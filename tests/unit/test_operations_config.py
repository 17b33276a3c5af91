"""The operations settings: HEALTH_PORT, HEALTH_LISTEN, ADMIN_IDS and LOG_FORMAT."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.metrics import Metrics
from scheduler.clock import ManualClock

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


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", NEW_VARS)
def test_every_new_variable_is_documented(name: str) -> None:
    assert f"\n{name}=" in (ROOT / ".env.example").read_text(encoding="utf-8")
    assert f"| `{name}` |" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_example_dashboard_queries_only_metrics_kindling_exports() -> None:
    dashboard = json.loads((ROOT / "docs" / "grafana-dashboard.json").read_text("utf-8"))
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    names = {name for expr in exprs for name in re.findall(r"\b(kindling_[a-z_0-9]+)", expr)}
    registry = Metrics(ManualClock(datetime(2026, 3, 2, tzinfo=UTC))).registry
    exported = {
        sample_name
        for metric in registry.collect()
        for sample_name in (
            metric.name,
            f"{metric.name}_total",
            f"{metric.name}_bucket",
            f"{metric.name}_count",
            f"{metric.name}_sum",
        )
    }
    assert names
    assert names <= exported
