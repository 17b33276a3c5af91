"""Which acts to offer a person on a day: the suggestion policy, pure and deterministic.

It reads what the person did lately (acts offered, chosen, logged, passed on, how the evening
felt) as plain values and decides the three acts of a round, whether a round is low-energy,
where the day's greeting falls in the opener sequence, and what the offer memory keeps.
Nothing here touches the database or Telegram: the services read the rows and store the
memory this module returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Protocol

from bot.kindness.catalog import Act, Catalog, Category, Recipient
from bot.kindness.suggestions import (
    RECENT_DAYS,
    Preferences,
    pick_acts,
    places_for,
    seed_for,
)

__all__ = [
    "ADAPT_DAYS",
    "LOW_FEELING",
    "MAX_OFFER_ROUNDS",
    "OPENERS_PER_DAY",
    "PASSED_OVER_AFTER",
    "ROTATION_DAYS",
    "Lately",
    "Offered",
    "OfferedRound",
    "acts_for_round",
    "low_energy_today",
    "opener_step",
    "preferences_for",
    "recent_offer_list",
    "remember",
]

MAX_OFFER_ROUNDS: Final = 60
"""At most this many suggestion rounds are remembered (about four a day for two weeks)."""

OPENERS_PER_DAY: Final = 8
"""Room in the opener sequence for repeated /today and "other ideas" within one day."""

ADAPT_DAYS: Final = 60
"""Acts logged within this many days shape which categories come up more often."""

PASSED_OVER_AFTER: Final = 6
"""A category offered this often within :data:`RECENT_DAYS`, never chosen, comes up less."""

LOW_FEELING: Final = 2
"""An evening feeling at or below this makes the next morning's ideas smaller."""

ROTATION_DAYS: Final = 7
"""Who the acts offered or logged within this many days (today's included) were for shapes
which recipients come up next, so a week touches several of them."""


class OfferedRound(Protocol):
    """One remembered round of suggestions (``storage.pending.OfferRound`` is one)."""

    @property
    def day(self) -> date:
        """The person's local date of the round."""

    @property
    def acts(self) -> tuple[str, ...]:
        """Catalog act ids, in the order shown."""

    @property
    def low_energy(self) -> bool:
        """Offered as low-energy ideas."""


@dataclass(frozen=True)
class Offered:
    """A round this module adds to the memory (see :func:`remember`)."""

    day: date
    acts: tuple[str, ...]
    low_energy: bool = False


@dataclass(frozen=True)
class Lately:
    """What a person did lately, as far as the suggestions read it.

    Attributes:
        offers: Remembered suggestion rounds, oldest first.
        planned: The act id of each day's plan (``None``: their own idea or a pass).
        passed: Days the person chose "not today".
        feelings: The evening feeling (1 to 5) of each day that has one.
        done: ``(local date, act id)`` of catalog acts logged lately.
    """

    offers: Sequence[OfferedRound] = ()
    planned: Mapping[date, str | None] | None = None
    passed: frozenset[date] = frozenset()
    feelings: Mapping[date, int] | None = None
    done: Sequence[tuple[date, str]] = ()


def opener_step(offers: Sequence[OfferedRound], day: date) -> int:
    """Where ``day``'s next morning message falls in the person's sequence of openers.

    Grows by one with each suggestion round of the day (up to :data:`OPENERS_PER_DAY`), and
    from the last round of one day to the first of the next by at most that much, so two
    messages in a row never share an opener (the opener count is larger).
    """
    rounds = sum(1 for offer in offers if offer.day == day)
    return day.toordinal() * OPENERS_PER_DAY + min(rounds, OPENERS_PER_DAY - 1)


def low_energy_today(offers: Sequence[OfferedRound], day: date) -> bool:
    """Whether the person asked for low-energy ideas earlier on ``day``."""
    return any(offer.day == day and offer.low_energy for offer in offers)


def recent_offer_list(offers: Sequence[OfferedRound], day: date) -> list[str]:
    """Every act offered within :data:`RECENT_DAYS` before ``day``, repeats included."""
    since = day - timedelta(days=RECENT_DAYS)
    return [act for offer in offers if offer.day > since for act in offer.acts]


def preferences_for(
    lately: Lately, catalog: Catalog, day: date, *, low_energy: bool
) -> Preferences:
    """What the suggestions for ``day`` adapt to, from what the person did lately.

    Args:
        lately: The person's recent history.
        catalog: The acts, for their categories.
        day: The day being suggested for.
        low_energy: Whether the person asked for low-energy ideas today.

    Returns:
        Categories completed lately, categories always passed over, smaller acts after "not
        today" or a low feeling the evening before, weekday or weekend places, and who the
        acts of the past :data:`ROTATION_DAYS` were for (an act offered and logged counts
        twice: doing it is more than seeing it).
    """

    def category(act_id: str | None) -> Category | None:
        act = catalog.get(act_id) if act_id else None
        return act.category if act is not None else None

    def recipient(act_id: str) -> Recipient | None:
        # Derived from the catalog, so the stored offer memory needs nothing new; an id
        # that has left the catalog counts for no one.
        act = catalog.get(act_id)
        return act.recipient if act is not None else None

    adapt_since = day - timedelta(days=ADAPT_DAYS)
    completed = Counter(
        c for c in (category(a) for d, a in lately.done if d > adapt_since) if c is not None
    )
    since = day - timedelta(days=RECENT_DAYS)
    chosen = {
        c
        for c in (category(a) for d, a in (lately.planned or {}).items() if d > since)
        if c is not None
    }
    offered = Counter(c for c in map(category, recent_offer_list(lately.offers, day)) if c)
    passed_over = frozenset(
        c
        for c, n in offered.items()
        if n >= PASSED_OVER_AFTER and c not in chosen and c not in completed
    )
    rotation_since = day - timedelta(days=ROTATION_DAYS)
    had = [a for offer in lately.offers if offer.day > rotation_since for a in offer.acts]
    had.extend(a for d, a in lately.done if d > rotation_since)
    recipients_lately = Counter(r for r in map(recipient, had) if r is not None)
    yesterday = day - timedelta(days=1)
    feeling = (lately.feelings or {}).get(yesterday)
    smaller = yesterday in lately.passed or (feeling is not None and feeling <= LOW_FEELING)
    return Preferences(
        completed=completed,
        passed_over=passed_over,
        smaller=smaller,
        low_energy=low_energy,
        places=places_for(day),
        recipients_lately=recipients_lately,
    )


def acts_for_round(
    catalog: Catalog,
    *,
    person_id: int,
    day: date,
    now: datetime,
    offers: Sequence[OfferedRound],
    exclude: tuple[str, ...] = (),
    preferences: Preferences,
    count: int = 3,
) -> list[Act]:
    """``count`` acts for the person, avoiding those offered in the last two weeks if possible.

    The seed includes the instant, so two rounds on one day (/today, then "other ideas")
    differ, while a test with a fixed clock sees the same acts every run.
    """
    recent = set(recent_offer_list(offers, day))
    seed = seed_for(person_id, day.isoformat(), len(exclude), now.isoformat())
    return pick_acts(
        catalog, seed=seed, recent=recent, exclude=exclude, count=count, preferences=preferences
    )


def remember(
    offers: Sequence[OfferedRound], day: date, act_ids: Sequence[str], *, low_energy: bool
) -> list[OfferedRound]:
    """The offer memory after a new round on ``day``: the last :data:`RECENT_DAYS` days only,
    capped at :data:`MAX_OFFER_ROUNDS` so tapping "Other ideas" all day cannot grow it without
    bound.
    """
    since = day - timedelta(days=RECENT_DAYS)
    kept: list[OfferedRound] = [offer for offer in offers if offer.day > since]
    kept.append(Offered(day=day, acts=tuple(act_ids), low_energy=low_energy))
    return kept[-MAX_OFFER_ROUNDS:]
