"""The typed shape of the two JSON columns on ``users``, parsed and written here only.

``users.pending_step`` / ``pending_payload`` hold the one free-text question a person has open
(their next message answers it); ``users.offered_acts`` remembers the acts suggested lately.
Both were dictionaries with one-letter keys read in several places; now every reader gets a
:class:`PendingStep` or a list of :class:`OfferRound`, and anything malformed (a row written
by an older version, a hand edit) reads as "nothing open" / "no such round" instead of raising.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from storage.models import User

__all__ = [
    "DAILY_STEPS",
    "PREFERENCE_STEPS",
    "OfferRound",
    "PendingStep",
    "Step",
    "clear_step",
    "offer_rounds",
    "pending_step",
    "set_offer_rounds",
    "set_step",
]


class Step(StrEnum):
    """Every free-text question a person can have open; the value is what is stored."""

    # The daily loop.
    OWN_IDEA = "own_idea"  # their own idea for the day: day
    LOG_ACT = "log_act"  # "what did you do?": day
    NOTE = "note"  # an optional note on a logged act: act_id
    RECEIVED = "received"  # "what kindness did you receive?": day
    # Preferences and onboarding.
    ONBOARDING_ZONE = "onb_zone"  # onboarding: a city, a zone or the local time
    SET_ZONE = "set_zone"
    SET_MORNING = "set_morning"  # onboarding flag while onboarding
    SET_EVENING = "set_evening"


DAILY_STEPS = frozenset({Step.OWN_IDEA, Step.LOG_ACT, Step.NOTE, Step.RECEIVED})
PREFERENCE_STEPS = frozenset(
    {Step.ONBOARDING_ZONE, Step.SET_ZONE, Step.SET_MORNING, Step.SET_EVENING}
)


@dataclass(frozen=True)
class PendingStep:
    """The question a person has open.

    Attributes:
        step: Which question.
        day: The local date it belongs to (daily steps other than the note).
        act_id: ``acts_done.id`` the note is for.
        onboarding: Asked during onboarding (the time steps then lead on to "all set").
    """

    step: Step
    day: date | None = None
    act_id: int | None = None
    onboarding: bool = False


def pending_step(person: User) -> PendingStep | None:
    """The person's open question, or ``None`` (also for anything unreadable)."""
    try:
        step = Step(person.pending_step) if person.pending_step else None
    except ValueError:
        return None
    if step is None:
        return None
    payload: dict[str, Any] = person.pending_payload or {}
    act_id = payload.get("id")
    return PendingStep(
        step=step,
        day=_day(payload.get("d")),
        act_id=act_id if isinstance(act_id, int) and not isinstance(act_id, bool) else None,
        onboarding=payload.get("onb") is True,
    )


def set_step(person: User, pending: PendingStep) -> None:
    """Open ``pending`` for the person, replacing whatever was open."""
    payload: dict[str, Any] = {}
    if pending.day is not None:
        payload["d"] = pending.day.isoformat()
    if pending.act_id is not None:
        payload["id"] = pending.act_id
    if pending.onboarding:
        payload["onb"] = True
    person.pending_step = pending.step.value
    person.pending_payload = payload or None


def clear_step(person: User) -> None:
    """Close whatever question the person had open."""
    person.pending_step = None
    person.pending_payload = None


@dataclass(frozen=True)
class OfferRound:
    """One round of suggestions: the acts shown together on a local day.

    Attributes:
        day: The person's local date.
        acts: Catalog act ids, in the order shown.
        low_energy: Offered as low-energy ideas (later rounds that day stay gentle).
    """

    day: date
    acts: tuple[str, ...]
    low_energy: bool = False


def offer_rounds(person: User) -> list[OfferRound]:
    """The rounds remembered for the person, oldest first; unreadable entries are skipped."""
    rounds = []
    for entry in person.offered_acts or []:
        day = _day(entry.get("d")) if isinstance(entry, dict) else None
        if day is None:
            continue
        acts = entry.get("a", [])
        rounds.append(
            OfferRound(
                day=day,
                acts=tuple(str(a) for a in acts) if isinstance(acts, list) else (),
                low_energy=bool(entry.get("low")),
            )
        )
    return rounds


class _Round(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def acts(self) -> tuple[str, ...]: ...
    @property
    def low_energy(self) -> bool: ...


def set_offer_rounds(person: User, rounds: Sequence[_Round]) -> None:
    """Store ``rounds`` as the person's offer memory (reassigned: JSON is not tracked)."""
    stored: list[dict[str, Any]] = []
    for round_ in rounds:
        entry: dict[str, Any] = {"d": round_.day.isoformat(), "a": list(round_.acts)}
        if round_.low_energy:
            entry["low"] = True
        stored.append(entry)
    person.offered_acts = stored


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None
