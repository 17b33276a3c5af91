"""Every variant the code can produce passes the matching the flow and e2e tests use.

The e2e tests wait for "a goodnight" with :func:`tests.fakes.wording.shows_one_of`; the local
date picks which one. Walking every variant (and every person's offset) here means the e2e
tests pass on any date, and a variant added later is covered at once.
"""

from __future__ import annotations

import pytest

from bot.i18n import translator_for
from bot.kindness.suggestions import variant_index
from bot.ui import daily, variants
from tests.fakes.wording import CELEBRATIONS, GOODNIGHTS, NOT_TODAY, OPENERS, shows_one_of

T = translator_for("en")


def test_the_lists_are_every_variant() -> None:
    assert len(set(GOODNIGHTS)) == variants.GOODNIGHT_COUNT
    assert len(set(CELEBRATIONS)) == variants.CELEBRATION_COUNT
    assert len(set(NOT_TODAY)) == variants.NOT_TODAY_COUNT
    assert len(set(OPENERS)) == variants.OPENER_COUNT


@pytest.mark.parametrize("user_id", [1, 2, 3, 50_000, 2**31])
def test_every_goodnight_a_person_can_get_is_recognised(user_id: int) -> None:
    # One year of local dates covers every step of the rotation for this person.
    for step in range(738_000, 738_000 + 366):
        index = variant_index(variants.GOODNIGHT_COUNT, user_id=user_id, step=step)
        assert shows_one_of(daily.goodnight(T, variant=index), GOODNIGHTS)


def test_every_celebration_and_not_today_is_recognised() -> None:
    for index in range(variants.CELEBRATION_COUNT):
        assert shows_one_of(daily.celebration_text(T, "an act", variant=index), CELEBRATIONS)
    for index in range(variants.NOT_TODAY_COUNT):
        for tiny in (None, *range(variants.TINY_COUNT)):
            text = daily.not_today_text(T, variant=index, tiny=tiny)
            assert shows_one_of(text, NOT_TODAY)


def test_other_messages_are_not_mistaken_for_a_goodnight() -> None:
    for text in (*variants.evening_openers(T), *OPENERS, *CELEBRATIONS, None, ""):
        assert not shows_one_of(text, GOODNIGHTS)
