"""Picking the acts to suggest, and the message variants to use: pure and deterministic."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from bot.kindness.catalog import Act, Catalog, Category, Effort, Place

__all__ = [
    "NO_PREFERENCES",
    "RECENT_DAYS",
    "Preferences",
    "pick_acts",
    "places_for",
    "seed_for",
    "variant_index",
]

RECENT_DAYS = 14
"""Acts offered within this many days are avoided while others remain."""


def seed_for(*parts: object) -> int:
    """A stable seed from some values (``hash()`` is salted per process, so not that)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True)
class Preferences:
    """What suggestions adapt to; all of it optional, all of it gentle.

    Attributes:
        completed: Acts the person logged lately, counted by category: those categories come
            up a little more often.
        passed_over: Categories offered many times lately and never chosen: they come up a
            little less often (never never).
        smaller: Only acts of about fifteen minutes or less (after "not today" or a low mood
            the evening before).
        low_energy: Only one-minute acts, one of them self-kindness ("low energy today").
        places: Where the person is likely to be today (weekday or weekend); acts that fit
            none of them are left out.
    """

    completed: Mapping[Category, int] = field(default_factory=dict)
    passed_over: frozenset[Category] = frozenset()
    smaller: bool = False
    low_energy: bool = False
    places: frozenset[Place] = frozenset(Place)

    def allows(self, act: Act) -> bool:
        """Whether ``act`` fits the hard preferences (size, place)."""
        if self.low_energy and act.effort is not Effort.MINUTE:
            return False
        if self.smaller and act.effort is Effort.HOUR:
            return False
        return bool(act.places & self.places)

    def weight(self, act: Act) -> float:
        """How likely ``act`` is, relative to others (1.0 is neutral)."""
        done = min(self.completed.get(act.category, 0), MAX_COUNTED)
        weight = 1.0 + COMPLETED_BOOST * done
        if act.category in self.passed_over:
            weight *= PASSED_OVER_FACTOR
        if self.smaller and act.effort is Effort.MINUTE:
            weight *= 2.0
        return weight


NO_PREFERENCES: Final = Preferences()
COMPLETED_BOOST: Final = 0.25  # per act logged in the category, up to MAX_COUNTED
MAX_COUNTED: Final = 8  # so a favourite category is at most three times as likely
PASSED_OVER_FACTOR: Final = 0.4
WEEKDAY_PLACES: Final = frozenset(Place)
WEEKEND_PLACES: Final = frozenset({Place.AT_HOME, Place.OUT_AND_ABOUT})


def places_for(day: date) -> frozenset[Place]:
    """Where people usually are on ``day``: work only on weekdays."""
    return WEEKEND_PLACES if day.weekday() >= 5 else WEEKDAY_PLACES


def _first(pair: tuple[float, Act]) -> float:
    return pair[0]


def pick_acts(
    catalog: Catalog,
    *,
    seed: int,
    recent: Iterable[str] = (),
    exclude: Iterable[str] = (),
    count: int = 3,
    preferences: Preferences = NO_PREFERENCES,
) -> list[Act]:
    """Choose ``count`` acts from different categories, preferring ones not offered recently.

    Order of concerns: never an excluded act; acts not offered lately before any repeat;
    then different categories; then acts that fit the preferences; and, among equals, a
    weighted draw that leans towards categories the person completes.

    Args:
        catalog: Where to choose from.
        seed: Makes the choice repeatable (same seed and inputs, same acts).
        recent: Ids offered lately; used only when too few other acts remain.
        exclude: Ids never to pick now (for example the ones on screen).
        count: How many acts.
        preferences: What to adapt to (see :class:`Preferences`).

    Returns:
        Up to ``count`` distinct acts, each from a different category while categories last.
        With ``low_energy``, the first is a self-kindness act whenever one not offered lately
        is available.
    """
    rng = random.Random(seed)
    excluded = set(exclude)
    recent_ids = set(recent)
    prefs = preferences
    # A weighted shuffle (Efraimidis-Spirakis keys u ** (1 / w)): deterministic under the
    # seed. A weight and the fit depend only on an act's category and effort (and places), so
    # each is worked out once per kind of act, not once per act: this runs for every prompt.
    inverse: dict[tuple[Category, Effort], float] = {}
    fits: dict[tuple[Effort, frozenset[Place]], bool] = {}
    keyed: list[tuple[float, Act]] = []
    for act in catalog.acts:
        if act.id in excluded:
            continue
        kind = (act.category, act.effort)
        power = inverse.get(kind)
        if power is None:
            power = inverse[kind] = 1.0 / prefs.weight(act)
        keyed.append((rng.random() ** power, act))
    keyed.sort(key=_first, reverse=True)
    fresh: list[Act] = []
    stale: list[Act] = []
    fitting_fresh: list[Act] = []
    fitting_stale: list[Act] = []
    for _, act in keyed:
        shape = (act.effort, act.places)
        fit = fits.get(shape)
        if fit is None:
            fit = fits[shape] = prefs.allows(act)
        if act.id in recent_ids:
            stale.append(act)
            if fit:
                fitting_stale.append(act)
        else:
            fresh.append(act)
            if fit:
                fitting_fresh.append(act)
    # (pool, categories must differ): no repeats first, then spread, then preferences.
    passes = (
        (fitting_fresh, True),
        (fresh, True),
        (fitting_fresh, False),
        (fresh, False),
        (fitting_stale, True),
        (stale, True),
        (fitting_stale, False),
        (stale, False),
    )
    chosen: list[Act] = []
    used: set[Category] = set()
    if prefs.low_energy:
        for pool in (fitting_fresh, fresh):  # never a repeat just to be gentle
            gentle = next((a for a in pool if a.category is Category.SELF_KINDNESS), None)
            if gentle is not None:
                chosen.append(gentle)
                used.add(gentle.category)
                break
    for pool, distinct in passes:
        for act in pool:
            if len(chosen) == count:
                return chosen
            if act in chosen or (distinct and act.category in used):
                continue
            chosen.append(act)
            used.add(act.category)
    return chosen[:count]


def variant_index(count: int, *, user_id: int, step: int) -> int:
    """Which of ``count`` message variants a person sees, never the same twice in a row.

    ``step`` must grow by one between two messages of the same kind: the local date's
    ordinal for once-a-day messages, a running count for messages that come several times a
    day. The start is offset per person, so two people rarely see the same words together.

    Args:
        count: How many variants there are.
        user_id: The person.
        step: Where this message falls in the person's sequence of this kind.

    Returns:
        An index in ``range(count)``.
    """
    if count <= 1:
        return 0
    offset = seed_for("variants", user_id) % count
    return (offset + step) % count
