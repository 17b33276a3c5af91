"""Suggestion picking and message variants: varied, deterministic, avoiding repeats."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.kindness.catalog import default_catalog
from bot.kindness.phrases import is_done_phrase
from bot.kindness.suggestions import pick_acts, variant_index


def test_three_acts_from_different_categories() -> None:
    acts = pick_acts(default_catalog(), seed=1)
    assert len(acts) == 3
    assert len({act.category for act in acts}) == 3


def test_deterministic_under_a_seed() -> None:
    assert pick_acts(default_catalog(), seed=42) == pick_acts(default_catalog(), seed=42)


@given(st.integers(min_value=0, max_value=2**63))
def test_recent_acts_are_avoided_while_others_remain(seed: int) -> None:
    catalog = default_catalog()
    recent = {act.id for act in catalog.acts[:30]}
    acts = pick_acts(catalog, seed=seed, recent=recent)
    assert len(acts) == 3
    assert not {act.id for act in acts} & recent


def test_recent_acts_come_back_when_nothing_else_is_left() -> None:
    catalog = default_catalog()
    recent = {act.id for act in catalog.acts}
    assert len(pick_acts(catalog, seed=3, recent=recent)) == 3


def test_excluded_acts_never_appear() -> None:
    catalog = default_catalog()
    shown = [act.id for act in pick_acts(catalog, seed=5)]
    again = pick_acts(catalog, seed=5, exclude=shown)
    assert not {act.id for act in again} & set(shown)


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_variants_never_repeat_twice_in_a_row(user_id: int, step: int) -> None:
    for count in (2, 4, 5):
        first = variant_index(count, user_id=user_id, step=step)
        assert first != variant_index(count, user_id=user_id, step=step + 1)
        assert 0 <= first < count


def test_done_phrases() -> None:
    for text in (
        "done",
        "Done!",
        "DONE.",
        "did it",
        "I did it!",
        "all done 🎉",
        "✅",
        "I’ve done it",
    ):
        assert is_done_phrase(text), text
    for text in ("not done", "doing it later", "hello", ""):
        assert not is_done_phrase(text), text
