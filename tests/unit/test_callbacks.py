"""Callback data: encoded within Telegram's limits, parsed strictly, forged data refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ui.callbacks import MAX_BYTES, Action, Callback, encode, parse

DAY = date(2026, 3, 2)


def test_round_trip() -> None:
    data = encode(Action.PICK, DAY, "thank_message")
    assert data == "mp:20260302:thank_message"
    assert parse(data) == Callback(Action.PICK, DAY, "thank_message")
    assert parse(encode(Action.NOTE_SKIP, None, 17)) == Callback(Action.NOTE_SKIP, None, "17")


def test_longest_zone_fits() -> None:
    data = encode(Action.ZONE, None, "America/Argentina/ComodRivadavia")
    assert len(data.encode()) <= MAX_BYTES


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "zz:20260302:x",
        "mp:20261302:x",
        "mp:2026030:x",
        "mp:２０２６０３０２:x",
        "mp:20260302",
        "mp:20260302:a:b",
        "mp:20260302:<b>",
        "mp:-:" + "a" * 70,
    ],
)
def test_forged_data_is_refused(data: str | None) -> None:
    assert parse(data) is None


def test_encode_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="not allowed"):
        encode(Action.PICK, DAY, "has space")
    with pytest.raises(ValueError, match="not allowed"):
        encode(Action.PICK, DAY, "a" * 49)


@given(st.text(max_size=80))
def test_parse_never_raises(data: str) -> None:
    result = parse(data)
    if result is not None:
        assert encode(result.action, result.local_date, result.arg) == data
