"""The typed JSON columns of users: one open question and the offer memory, read defensively."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from storage.models import User
from storage.pending import (
    OfferRound,
    PendingStep,
    Step,
    clear_step,
    offer_rounds,
    pending_step,
    set_offer_rounds,
    set_step,
)

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, tzinfo=UTC)


def _person(**fields: Any) -> User:
    return User(
        telegram_user_id=1,
        chat_id=1,
        first_name="Ana",
        morning_time=time(9),
        evening_time=time(20),
        created_at=NOW,
        updated_at=NOW,
        **fields,
    )


@pytest.mark.parametrize(
    "pending",
    [
        PendingStep(Step.OWN_IDEA, day=DAY),
        PendingStep(Step.NOTE, act_id=42),
        PendingStep(Step.SET_MORNING, onboarding=True),
        PendingStep(Step.SET_ZONE),
    ],
)
def test_a_step_reads_back_as_written(pending: PendingStep) -> None:
    person = _person()
    set_step(person, pending)
    assert pending_step(person) == pending


def test_the_stored_shape_is_the_one_older_versions_wrote() -> None:
    person = _person()
    set_step(person, PendingStep(Step.RECEIVED, day=DAY))
    assert (person.pending_step, person.pending_payload) == ("received", {"d": "2026-03-02"})
    set_step(person, PendingStep(Step.SET_EVENING, onboarding=True))
    assert (person.pending_step, person.pending_payload) == ("set_evening", {"onb": True})
    set_step(person, PendingStep(Step.SET_ZONE))
    assert person.pending_payload is None
    clear_step(person)
    assert pending_step(person) is None


@pytest.mark.parametrize(
    ("step", "payload", "expected"),
    [
        ("no_such_step", None, None),
        (None, {"d": "2026-03-02"}, None),
        ("own_idea", {"d": "not a date"}, PendingStep(Step.OWN_IDEA)),
        ("note", {"id": "7"}, PendingStep(Step.NOTE)),
        ("note", {"id": True}, PendingStep(Step.NOTE)),
        ("set_morning", {"onb": "yes"}, PendingStep(Step.SET_MORNING)),
    ],
)
def test_anything_malformed_reads_as_nothing_rather_than_raising(
    step: str | None, payload: dict[str, Any] | None, expected: PendingStep | None
) -> None:
    person = _person(pending_step=step, pending_payload=payload)
    assert pending_step(person) == expected


def test_offer_rounds_round_trip_and_skip_unreadable_entries() -> None:
    person = _person(
        offered_acts=[
            {"d": "2026-03-01", "a": ["a", "b"]},
            {"d": "garbage", "a": ["c"]},
            "not a dict",
            {"d": "2026-03-02", "a": "not a list", "low": True},
        ]
    )
    rounds = offer_rounds(person)
    assert rounds == [
        OfferRound(day=date(2026, 3, 1), acts=("a", "b")),
        OfferRound(day=DAY, acts=(), low_energy=True),
    ]
    set_offer_rounds(person, rounds)
    assert person.offered_acts == [
        {"d": "2026-03-01", "a": ["a", "b"]},
        {"d": "2026-03-02", "a": [], "low": True},
    ]
    assert offer_rounds(person) == rounds
