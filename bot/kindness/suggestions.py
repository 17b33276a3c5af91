"""Picking the acts to suggest, and the message variants to use: pure and deterministic."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Final

from bot.kindness.catalog import Act, Catalog, Category, Effort, Place, Recipient

__all__ = [
    "NO_PREFERENCES",
    "RECENT_DAYS",
    "RECIPIENT_LEAN",
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
        recipients_lately: Who the acts offered or logged in the past week were for, counted:
            the fewer times a recipient came up, the more likely its acts are, so a week
            touches several of them (varying kindness keeps its effect from fading: Sheldon,
            Boehm & Lyubomirsky 2013). Close ties always weigh a little more.
    """

    completed: Mapping[Category, int] = field(default_factory=dict)
    passed_over: frozenset[Category] = frozenset()
    smaller: bool = False
    low_energy: bool = False
    places: frozenset[Place] = frozenset(Place)
    recipients_lately: Mapping[Recipient, int] = field(default_factory=dict)

    def allows(self, act: Act) -> bool:
        """Whether ``act`` fits the hard preferences (size, place)."""
        return self._allows_effort(act.effort) and self._allows_places(act.places)

    def _allows_effort(self, effort: Effort) -> bool:
        if self.low_energy and effort is not Effort.MINUTE:
            return False
        return not (self.smaller and effort is Effort.HOUR)

    def _allows_places(self, places: frozenset[Place]) -> bool:
        return bool(places & self.places)

    def weight(self, act: Act) -> float:
        """How likely ``act`` is, relative to others (1.0 is neutral)."""
        return self._kind_weight(act.category, act.effort) * self.recipient_weight(act.recipient)

    def recipient_weight(self, recipient: Recipient) -> float:
        """How much acts for ``recipient`` are leaned towards now (1.0 is neutral).

        Args:
            recipient: Who the acts are for.

        Returns:
            The recipient's lean (:data:`RECIPIENT_LEAN`), divided by ``1 +``
            :data:`ROTATION_DAMPING` for each time it came up in the past week (up to
            :data:`MAX_ROTATION_COUNTED` times).
        """
        had = min(self.recipients_lately.get(recipient, 0), MAX_ROTATION_COUNTED)
        return RECIPIENT_LEAN[recipient] / (1.0 + ROTATION_DAMPING * had)

    def _kind_weight(self, category: Category, effort: Effort) -> float:
        done = min(self.completed.get(category, 0), MAX_COUNTED)
        weight = 1.0 + COMPLETED_BOOST * done
        if category in self.passed_over:
            weight *= PASSED_OVER_FACTOR
        if self.smaller and effort is Effort.MINUTE:
            weight *= 2.0
        return weight


NO_PREFERENCES: Final = Preferences()
COMPLETED_BOOST: Final = 0.25  # per act logged in the category, up to MAX_COUNTED
MAX_COUNTED: Final = 8  # so a favourite category is at most three times as likely
PASSED_OVER_FACTOR: Final = 0.4
RECIPIENT_LEAN: Final = {
    Recipient.CLOSE: 1.5,  # close ties lead, without crowding the others out
    Recipient.ACQUAINTANCE: 1.0,
    Recipient.STRANGER: 1.0,
    Recipient.COMMUNITY: 1.0,
    Recipient.SELF: 1.0,
}
"""How much each recipient is leaned towards before the week's rotation."""
# A recipient that came up once in the past week is half as likely, four times or more a
# fifth: strong enough that nearly every week of rounds touches all five, yet never rules
# one out (a gentler 0.25 left one out of about a week in fifteen on some simulated years).
ROTATION_DAMPING: Final = 1.0
MAX_ROTATION_COUNTED: Final = 4
WEEKDAY_PLACES: Final = frozenset(Place)
WEEKEND_PLACES: Final = frozenset({Place.AT_HOME, Place.OUT_AND_ABOUT})


def places_for(day: date) -> frozenset[Place]:
    """Where people usually are on ``day``: work only on weekdays."""
    return WEEKEND_PLACES if day.weekday() >= 5 else WEEKDAY_PLACES


_KEY: Final = itemgetter(0)  # a C-level sort key: sorting runs for every prompt


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
    weighted draw that leans towards categories the person completes and towards recipients
    they have not had lately (close ties a little more than the others).

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
    # seed. This runs for every prompt, so what depends only on a kind of act is worked out
    # once per kind, not once per act: the weight is a factor for the category and effort
    # times one for the recipient, and the fit is one for the effort and one for the places.
    by_kind: dict[tuple[Category, Effort], tuple[float, bool]] = {}
    inverse_lean: dict[Recipient, float] = {}
    places_fit: dict[frozenset[Place], bool] = {}
    # Acts go into the four pools as they are keyed, so the catalog is walked once.
    fitting_fresh: list[tuple[float, Act]] = []
    other_fresh: list[tuple[float, Act]] = []
    fitting_stale: list[tuple[float, Act]] = []
    other_stale: list[tuple[float, Act]] = []
    for act in catalog.acts:
        if act.id in excluded:
            continue
        kind = (act.category, act.effort)
        known = by_kind.get(kind)
        if known is None:
            known = by_kind[kind] = (
                1.0 / prefs._kind_weight(act.category, act.effort),
                prefs._allows_effort(act.effort),
            )
        power, fit = known
        lean = inverse_lean.get(act.recipient)
        if lean is None:
            lean = inverse_lean[act.recipient] = 1.0 / prefs.recipient_weight(act.recipient)
        if fit:
            placed = places_fit.get(act.places)
            if placed is None:
                placed = places_fit[act.places] = prefs._allows_places(act.places)
            fit = placed
        keyed = (rng.random() ** (power * lean), act)
        if act.id in recent_ids:
            (fitting_stale if fit else other_stale).append(keyed)
        else:
            (fitting_fresh if fit else other_fresh).append(keyed)
    for pool in (fitting_fresh, other_fresh, fitting_stale, other_stale):
        pool.sort(key=_KEY, reverse=True)
    # (pool, categories must differ): no repeats first, then spread, then preferences. A pass
    # over the acts that do not fit adds all that a pass over every act would: the fitting
    # ones were just tried under the same rule, so each is already chosen or still ruled out.
    passes = (
        (fitting_fresh, True),
        (other_fresh, True),
        (fitting_fresh, False),
        (other_fresh, False),
        (fitting_stale, True),
        (other_stale, True),
        (fitting_stale, False),
        (other_stale, False),
    )
    chosen: list[Act] = []
    used: set[Category] = set()
    if prefs.low_energy:
        for pool in (fitting_fresh, other_fresh):  # never a repeat just to be gentle
            gentle = next((a for _, a in pool if a.category is Category.SELF_KINDNESS), None)
            if gentle is not None:
                chosen.append(gentle)
                used.add(gentle.category)
                break
    for pool, distinct in passes:
        for _, act in pool:
            if len(chosen) == count:
                return chosen
            if (distinct and act.category in used) or act in chosen:
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
