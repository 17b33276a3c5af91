"""The voice: every user-facing string is warm, brief and free of guilt.

Scans every message the code can send (each literal ``t("...")`` in the conversation layers,
extracted as translators would) and every text of the content files (acts and tips).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import extract, extract_from_dir
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import translator_for
from bot.kindness.catalog import default_catalog
from bot.kindness.suggestions import variant_index
from bot.ui import variants

ROOT = Path(__file__).resolve().parents[2]
MESSAGE_BUDGET = 480  # characters of one translatable piece
VARIANT_BUDGET = 110
FORBIDDEN = [
    r"\byou missed\b",
    r"\bmissed\b",
    r"\bstreaks?\b",
    r"\bfail(ed|ure|ing)?\b",
    r"\bshould have\b",
    r"\byou didn'?t\b",
    r"\bbehind\b",
    r"\blazy\b",
    r"\bguilt(y)?\b",
    r"\bashamed\b",
    r"\bdisappoint(ed|ing)?\b",
    r"\bbroke your\b",
    r"\bdon'?t give up\b",
    r"\bno excuses?\b",
    r"\bgot to\b",
    r"\bmust\b",
    r"\bin a row\b",
]


def _messages() -> list[str]:
    found: set[str] = set()
    for folder in ("bot/ui", "bot/services", "bot/conversations"):
        for _, _, message, *_ in extract_from_dir(
            str(ROOT / folder), method_map=[("**.py", "python")], keywords={"t": None}
        ):
            found.add(str(message))
    with (ROOT / "bot" / "app.py").open("rb") as source:
        for _, message, _, _ in extract("python", source, keywords={"t": None}):
            found.add(str(message))
    return sorted(found)


def _content() -> list[str]:
    return [text for act in default_catalog().acts for text in (act.text, act.tip)]


ALL = _messages() + _content()


def _emoji_count(text: str) -> int:
    return sum(1 for c in text if unicodedata.category(c) == "So" and ord(c) > 0x2100)


def test_the_scan_sees_every_layer() -> None:
    assert len(_messages()) > 250
    assert len(_content()) >= 400
    assert "Who could you encourage today?" in ALL
    assert "Give someone a sincere compliment." in ALL


@pytest.mark.parametrize("pattern", FORBIDDEN)
def test_no_streak_failure_or_guilt_language(pattern: str) -> None:
    offenders = [text for text in ALL if re.search(pattern, text, re.IGNORECASE)]
    assert offenders == []


def test_no_exclamation_storms_or_emoji_piles() -> None:
    assert [text for text in ALL if text.count("!") > 1 or "!!" in text] == []
    assert [text for text in ALL if _emoji_count(text) > 1] == []


def test_every_message_fits_its_budget() -> None:
    assert [text for text in _messages() if len(text) > MESSAGE_BUDGET] == []


def test_variants_are_plentiful_short_and_distinct() -> None:
    t = translator_for(None)
    lists = {
        "openers": (variants.openers(t), variants.OPENER_COUNT, 30),
        "evening": (variants.evening_openers(t), variants.EVENING_OPENER_COUNT, 30),
        "celebrations": (variants.celebrations(t), variants.CELEBRATION_COUNT, 20),
        "not today": (variants.not_today_replies(t), variants.NOT_TODAY_COUNT, 15),
        "goodnights": (variants.goodnights(t), variants.GOODNIGHT_COUNT, 15),
        "tiny": (variants.tiny_self_kindness(t), variants.TINY_COUNT, 3),
    }
    for name, (texts, count, minimum) in lists.items():
        assert len(texts) == count >= minimum, name
        assert len(set(texts)) == count, name
        assert all(len(text) <= VARIANT_BUDGET for text in texts), name


@given(
    count=st.integers(min_value=2, max_value=40),
    user_id=st.integers(min_value=1, max_value=2**40),
    step=st.integers(min_value=0, max_value=10**7),
)
def test_a_person_never_sees_the_same_variant_twice_in_a_row(
    count: int, user_id: int, step: int
) -> None:
    first = variant_index(count, user_id=user_id, step=step)
    second = variant_index(count, user_id=user_id, step=step + 1)
    assert first != second
    assert 0 <= first < count
