"""Picking the acts to suggest, and the message variants to use: pure and deterministic."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence

from bot.kindness.catalog import Act, Catalog, Category

__all__ = ["RECENT_DAYS", "pick_acts", "seed_for", "variant_index"]

RECENT_DAYS = 14
"""Acts offered within this many days are avoided while others remain."""


def seed_for(*parts: object) -> int:
    """A stable seed from some values (``hash()`` is salted per process, so not that)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def pick_acts(
    catalog: Catalog,
    *,
    seed: int,
    recent: Iterable[str] = (),
    exclude: Iterable[str] = (),
    count: int = 3,
) -> list[Act]:
    """Choose ``count`` acts from different categories, preferring ones not offered recently.

    Args:
        catalog: Where to choose from.
        seed: Makes the choice repeatable (same seed and inputs, same acts).
        recent: Ids offered lately; used only when too few other acts remain.
        exclude: Ids never to pick now (for example the ones on screen).
        count: How many acts.

    Returns:
        Up to ``count`` distinct acts, each from a different category while categories last.
    """
    rng = random.Random(seed)
    excluded = set(exclude)
    recent_ids = set(recent)
    fresh = [a for a in catalog.acts if a.id not in excluded and a.id not in recent_ids]
    stale = [a for a in catalog.acts if a.id not in excluded and a.id in recent_ids]
    rng.shuffle(fresh)
    rng.shuffle(stale)
    chosen: list[Act] = []
    used: set[Category] = set()
    # Acts not offered lately come first, from different categories while they last; recent
    # acts only fill what is left.
    for pool, distinct in ((fresh, True), (fresh, False), (stale, True), (stale, False)):
        for act in pool:
            if len(chosen) == count:
                return chosen
            if act in chosen or (distinct and act.category in used):
                continue
            chosen.append(act)
            used.add(act.category)
    return chosen


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


def pick_one(options: Sequence[Act], *, seed: int) -> Act:
    """One act of ``options`` (non-empty), chosen by ``seed``."""
    return options[seed % len(options)]
