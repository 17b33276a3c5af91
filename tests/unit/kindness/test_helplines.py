"""The crisis-line data: well formed, sourced, dated, and found from a person's time zone."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest

from bot.kindness import helplines
from bot.kindness.helplines import (
    CHECK_EVERY,
    HELPLINES_PATH,
    HelplineError,
    country_of_zone,
    help_for,
    stale_entries,
)

# The countries of the ten languages and the English-speaking ones the issue names. SA is left
# out on purpose: no public source could be found for a crisis line (docs/helplines.md).
REQUIRED = {
    "DE", "AT", "CH", "ES", "MX", "AR", "FR", "BE", "IT", "BR", "PT", "RU", "UA", "TR", "EG",
    "AE", "ID", "US", "GB", "IE", "CA", "AU", "NZ", "IN",
}  # fmt: skip
_DIALLABLE = re.compile(r"^\+?[0-9(][0-9 ()./-]*[0-9]$")


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(HELPLINES_PATH.read_text(encoding="utf-8"))
    return data


def test_every_required_country_is_listed() -> None:
    assert set(helplines.helplines()) >= REQUIRED
    assert help_for("SA") is None


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_every_entry_names_a_source_and_a_check_date(code: str) -> None:
    raw = _raw()["countries"][code]
    assert raw["emergency"]["source"].startswith(("https://", "http://"))
    for line in raw["lines"]:
        assert line["source"].startswith(("https://", "http://"))
        assert line["evidence"].strip(), "the words on the source page that back the entry"
        assert date.fromisoformat(line["checked"]) >= date(2026, 1, 1)
        numbers = line["phones"] + ([line["sms"]] if line["sms"] else [])
        assert all(_DIALLABLE.match(number) for number in numbers), numbers


def test_numbers_of_the_issue_and_well_known_lines() -> None:
    de, es, fr, br = (help_for(c) for c in ("DE", "ES", "FR", "BR"))
    assert de is not None
    assert es is not None
    assert fr is not None
    assert br is not None
    assert de.emergency == es.emergency == fr.emergency == "112"
    assert "0800 1110111" in de.lines[0].phones
    assert es.lines[0].phones == ("024",)
    assert fr.lines[0].phones == ("3114",)
    assert br.lines[0].phones == ("188",)
    us = help_for("us")  # codes in any case
    assert us is not None
    assert us.lines[0].phones[0] == "988"


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/Berlin", "DE"),
        ("Europe/Madrid", "ES"),
        ("Europe/Paris", "FR"),
        ("America/Sao_Paulo", "BR"),
        ("Europe/Zurich", "CH"),
        ("America/Argentina/Buenos_Aires", "AR"),
        ("Asia/Jakarta", "ID"),
        ("Europe/Kyiv", "UA"),
        ("Africa/Cairo", "EG"),
        ("UTC", None),
        ("Not/A_Zone", None),
    ],
)
def test_the_country_comes_from_the_time_zone(zone: str, country: str | None) -> None:
    assert country_of_zone(zone) == country


def test_stale_entries_are_measured_from_the_injected_day() -> None:
    checked = min(line.checked for h in helplines.helplines().values() for line in h.lines)
    assert stale_entries(checked) == []
    assert stale_entries(checked + CHECK_EVERY) == []
    later = stale_entries(checked + CHECK_EVERY + timedelta(days=1))
    assert {"DE", "ES", "FR", "BR"} <= {entry.country for entry in later}
    assert any(entry.name == "emergency" for entry in later)
    assert later == sorted(later, key=lambda e: e.country)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=2), "version 1"),
        (lambda d: d["countries"].update(de=d["countries"]["DE"]), "alpha-2"),
        (lambda d: d["countries"]["DE"]["lines"][0].update(phones="112"), "phones"),
        (lambda d: d["countries"]["DE"]["lines"][0].update(chat="http://x.example"), "https"),
        (lambda d: d["countries"]["DE"]["lines"][0].update(source="a friend"), "source"),
        (lambda d: d["countries"]["DE"]["lines"][0].update(checked="soon"), "date"),
        (lambda d: d["countries"]["DE"]["emergency"].update(number=""), "non-empty"),
        (
            lambda d: d["countries"]["DE"]["lines"][0].update(phones=[], sms=None, chat=None),
            "a phone",
        ),
    ],
)
def test_a_malformed_file_is_refused_at_load(change: Any, message: str) -> None:
    data = copy.deepcopy(_raw())
    change(data)
    with pytest.raises(HelplineError, match=message):
        helplines._parse(data)
