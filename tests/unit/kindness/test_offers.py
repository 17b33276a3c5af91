"""The suggestion policy as pure functions: offer memory, openers, adapting to the person."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.kindness.catalog import Category, Effort, Recipient, default_catalog
from bot.kindness.offers import (
    LOW_FEELING,
    MAX_OFFER_ROUNDS,
    OPENERS_PER_DAY,
    PASSED_OVER_AFTER,
    ROTATION_DAYS,
    Lately,
    Offered,
    OfferedRound,
    acts_for_round,
    low_energy_today,
    opener_step,
    preferences_for,
    recent_offer_list,
    remember,
)
from bot.kindness.suggestions import RECENT_DAYS

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
CATALOG = default_catalog()


def test_the_memory_keeps_two_weeks_and_is_capped() -> None:
    old = Offered(day=DAY - timedelta(days=RECENT_DAYS), acts=("a",))
    kept = remember([old, Offered(day=DAY, acts=("b",))], DAY, ["c"], low_energy=True)
    assert [r.acts for r in kept] == [("b",), ("c",)]
    assert kept[-1].low_energy
    many = [Offered(day=DAY, acts=(str(i),)) for i in range(MAX_OFFER_ROUNDS + 5)]
    assert len(remember(many, DAY, ["x"], low_energy=False)) == MAX_OFFER_ROUNDS


def test_recent_offers_count_repeats_within_the_window_only() -> None:
    offers = [
        Offered(day=DAY - timedelta(days=RECENT_DAYS), acts=("old",)),
        Offered(day=DAY - timedelta(days=1), acts=("a", "b")),
        Offered(day=DAY, acts=("a",)),
    ]
    assert recent_offer_list(offers, DAY) == ["a", "b", "a"]


def test_low_energy_is_remembered_for_the_rest_of_the_day_only() -> None:
    offers = [Offered(day=DAY - timedelta(days=1), acts=(), low_energy=True)]
    assert not low_energy_today(offers, DAY)
    assert low_energy_today([*offers, Offered(day=DAY, acts=(), low_energy=True)], DAY)


@given(
    rounds=st.lists(
        st.integers(min_value=0, max_value=OPENERS_PER_DAY - 2), min_size=2, max_size=30
    )
)
def test_two_messages_in_a_row_never_share_an_opener_step(rounds: list[int]) -> None:
    """Whatever the number of rounds each day (up to the room a day has), the step grows by
    one to OPENERS_PER_DAY from one message to the next."""
    offers: list[Offered] = []
    steps = []
    for index, count in enumerate(rounds):
        day = DAY + timedelta(days=index)
        for _ in range(count + 1):
            steps.append(opener_step(offers, day))
            offers.append(Offered(day=day, acts=()))
    assert all(1 <= b - a <= OPENERS_PER_DAY for a, b in itertools.pairwise(steps))


def test_a_category_offered_often_and_never_chosen_is_passed_over() -> None:
    act = next(a for a in CATALOG.acts if a.category is Category.REACH_OUT)
    offers = [
        Offered(day=DAY - timedelta(days=1), acts=(act.id,)) for _ in range(PASSED_OVER_AFTER)
    ]
    preferences = preferences_for(Lately(offers=offers), CATALOG, DAY, low_energy=False)
    assert preferences.passed_over == frozenset({Category.REACH_OUT})
    chosen = Lately(offers=offers, planned={DAY - timedelta(days=2): act.id})
    assert preferences_for(chosen, CATALOG, DAY, low_energy=False).passed_over == frozenset()


def test_smaller_acts_after_a_pass_or_a_low_evening() -> None:
    yesterday = DAY - timedelta(days=1)
    assert not preferences_for(Lately(), CATALOG, DAY, low_energy=False).smaller
    assert preferences_for(
        Lately(passed=frozenset({yesterday})), CATALOG, DAY, low_energy=False
    ).smaller
    low = Lately(feelings={yesterday: LOW_FEELING})
    assert preferences_for(low, CATALOG, DAY, low_energy=False).smaller
    fine = Lately(feelings={yesterday: LOW_FEELING + 1})
    assert not preferences_for(fine, CATALOG, DAY, low_energy=False).smaller


def test_completed_categories_count_within_the_adapt_window() -> None:
    act = CATALOG.acts[0]
    lately = Lately(done=[(DAY - timedelta(days=1), act.id), (DAY - timedelta(days=400), act.id)])
    assert preferences_for(lately, CATALOG, DAY, low_energy=False).completed == {act.category: 1}


def test_a_round_avoids_recent_offers_and_is_stable_for_a_fixed_clock() -> None:
    preferences = preferences_for(Lately(), CATALOG, DAY, low_energy=False)
    first = acts_for_round(
        CATALOG, person_id=1, day=DAY, now=NOW, offers=(), preferences=preferences
    )
    again = acts_for_round(
        CATALOG, person_id=1, day=DAY, now=NOW, offers=(), preferences=preferences
    )
    assert first == again
    assert len(first) == 3
    offers = [Offered(day=DAY, acts=tuple(a.id for a in first))]
    later = acts_for_round(
        CATALOG, person_id=1, day=DAY, now=NOW, offers=offers, preferences=preferences
    )
    assert not {a.id for a in later} & {a.id for a in first}


def test_low_energy_rounds_offer_one_minute_acts_only() -> None:
    preferences = preferences_for(Lately(), CATALOG, DAY, low_energy=True)
    acts = acts_for_round(
        CATALOG, person_id=7, day=DAY, now=NOW, offers=(), preferences=preferences
    )
    assert acts
    assert all(a.effort is Effort.MINUTE for a in acts)


def _act_for(recipient: Recipient) -> str:
    return next(a.id for a in CATALOG.acts if a.recipient is recipient)


def test_recipients_lately_count_the_weeks_offers_and_logs_from_the_catalog() -> None:
    close, stranger, community = (
        _act_for(r) for r in (Recipient.CLOSE, Recipient.STRANGER, Recipient.COMMUNITY)
    )
    week_ago = DAY - timedelta(days=ROTATION_DAYS)
    offers = [
        Offered(day=week_ago, acts=(community,)),  # just outside the week
        Offered(day=week_ago + timedelta(days=1), acts=(close, stranger, "gone_from_catalog")),
        Offered(day=DAY, acts=(close,)),  # today's earlier round counts too
    ]
    lately = Lately(offers=offers, done=[(DAY - timedelta(days=1), close), (week_ago, stranger)])
    preferences = preferences_for(lately, CATALOG, DAY, low_energy=False)
    assert preferences.recipients_lately == {Recipient.CLOSE: 3, Recipient.STRANGER: 1}
    assert preferences_for(Lately(), CATALOG, DAY, low_energy=False).recipients_lately == {}


def _weeks_of_rounds(person_id: int, days: int) -> list[list[Recipient]]:
    """One round a day through the policy, as the service runs it; the first act is logged."""
    offers: list[OfferedRound] = []
    done: list[tuple[date, str]] = []
    by_day = []
    for n in range(days):
        day = DAY + timedelta(days=n)
        now = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        lately = Lately(offers=offers, done=done)
        preferences = preferences_for(lately, CATALOG, day, low_energy=False)
        acts = acts_for_round(
            CATALOG, person_id=person_id, day=day, now=now, offers=offers, preferences=preferences
        )
        offers = remember(offers, day, [a.id for a in acts], low_energy=False)
        done.append((day, acts[0].id))
        by_day.append([a.recipient for a in acts])
    return by_day


def test_a_week_of_rounds_touches_several_recipients_and_close_ties_most() -> None:
    everyone: Counter[Recipient] = Counter()
    all_five = 0
    people = range(1, 41)
    for person_id in people:
        by_day = _weeks_of_rounds(person_id, 7)
        week = {r for day in by_day for r in day}
        assert len(week) >= 4, person_id
        all_five += len(week) == len(Recipient)
        everyone.update(r for day in by_day for r in day)
    assert all_five >= 0.95 * len(people)
    assert everyone.most_common(1)[0][0] is Recipient.CLOSE
