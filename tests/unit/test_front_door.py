"""Lone surrogates found and replaced before an update reaches any handler."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bot.front_door import has_lone_surrogates, scrub


def test_finds_a_surrogate_anywhere() -> None:
    assert has_lone_surrogates({"message": {"entities": [{"x": ("ok", "\udc80")}]}})
    assert has_lone_surrogates({"\ud83d": 1})
    assert not has_lone_surrogates({"message": {"text": "👋🏽 שלום", "id": 7, "n": None}})


def test_replaces_each_surrogate_with_the_replacement_character() -> None:
    data = json.loads(
        '{"text": "a\\ud800b\\udfff", "list": ["\\ud83d\\ude00", "\\ud83d"], "n": 3}'
    )
    assert scrub(data) == {"text": "a\ufffdb\ufffd", "list": ["😀", "\ufffd"], "n": 3}


@given(st.recursive(st.text() | st.integers(), lambda inner: st.lists(inner, max_size=3)))
def test_scrubbed_values_encode_and_keep_everything_else(value: object) -> None:
    clean = scrub(value)
    assert not has_lone_surrogates(clean)
    json.dumps(clean, ensure_ascii=False).encode("utf-8")  # raises on any surrogate left
    if not has_lone_surrogates(value):
        assert clean == value
