"""The morning and evening prompts as data: which acts to offer, what the evening asks about.

Used by the scheduled prompts (``bot.services.prompts``), /today, "other ideas", /reflect and
the end of onboarding; ``bot.ui.daily`` renders the results. Composing a morning prompt also
records the round in the person's offer memory, so the next round avoids it; composing an
evening prompt marks the memory it brings back (``bot.services.memories``) as shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.kindness.catalog import Act, Catalog, default_catalog
from bot.kindness.offers import (
    ADAPT_DAYS,
    Lately,
    OfferedRound,
    acts_for_round,
    low_energy_today,
    opener_step,
    preferences_for,
    remember,
)
from bot.kindness.rhythm import CHECKLIST_SIZE, is_kindness_day
from bot.kindness.suggestions import RECENT_DAYS
from bot.services.memories import Memory, recall, wants_memories
from bot.services.unit import Visit
from storage.checklists import ticked_count
from storage.models import Checklist, DailyPlan, PlanStatus, User
from storage.pending import PendingStep, Step, offer_rounds, set_offer_rounds, set_step
from storage.recent import History, load_histories
from storage.repositories import ChecklistRepository, PlanRepository

__all__ = [
    "ChecklistPrompt",
    "EveningPrompt",
    "MorningPrompt",
    "checklist_from",
    "checklist_prompt",
    "evening_from",
    "evening_prompt",
    "load_recent",
    "morning_from",
    "morning_prompt",
    "open_quiet_step",
    "planned_act_text",
]


@dataclass(frozen=True)
class MorningPrompt:
    """Three acts to choose from, and how to greet.

    Attributes:
        day: The person's local date the buttons belong to.
        first_name: Their name, as Telegram gave it.
        acts: The acts offered, in order.
        person_id: ``users.id`` (with ``opener``, the seed of the opener variant).
        opener: Where this message falls in the person's sequence of openers.
        on_demand: Asked for (/today, "other ideas"), not the scheduled morning.
        gentle: Low-energy ideas.
    """

    day: date
    first_name: str
    acts: tuple[Act, ...]
    person_id: int
    opener: int
    on_demand: bool
    gentle: bool


@dataclass(frozen=True)
class ChecklistPrompt:
    """A kindness day's list of small acts to tick off during the day (edited in place).

    Attributes:
        day: The person's local date the list belongs to.
        first_name: Their name.
        acts: The acts, in the order shown; the same all day.
        ticked: Ids of the acts ticked off so far.
        on_demand: Asked for (/today) or redrawn after a tick, not the scheduled morning.
    """

    day: date
    first_name: str
    acts: tuple[Act, ...]
    ticked: frozenset[str]
    on_demand: bool


@dataclass(frozen=True)
class EveningPrompt:
    """The first evening question.

    Attributes:
        day: The person's local date being looked back on.
        first_name: Their name.
        planned: The act chosen that day, if any (``None``: nothing planned, or a pass).
        person_id: ``users.id`` (with the day, the seed of the opener variant).
        on_demand: Asked for with /reflect.
        memory: Words from a month or a year before, shown back this evening, if any.
        checklist: On a kindness day, ``(ticked, listed)``: the evening starts with how the
            person feels (the list already says what happened).
        quiet: A quiet day under kindness days: only "what kindness did you receive or
            witness today?" (its free-text step is open).
    """

    day: date
    first_name: str
    planned: str | None
    person_id: int
    on_demand: bool = False
    memory: Memory | None = None
    checklist: tuple[int, int] | None = None
    quiet: bool = False


async def load_recent(visit: Visit, day: date) -> History:
    """What the person did lately, as :func:`morning_from` reads it for ``day``."""
    histories = await load_histories(
        visit.session, [visit.person_id], first=day, plan_days=RECENT_DAYS, done_days=ADAPT_DAYS
    )
    return histories[visit.person_id]


def morning_from(
    person: User,
    person_id: int,
    history: History,
    day: date,
    now: datetime,
    *,
    on_demand: bool,
    exclude: tuple[str, ...] = (),
    low_energy: bool | None = None,
) -> MorningPrompt:
    """Choose three acts for ``day`` and remember that they were offered.

    Args:
        person: Their row (changed in place: the offer memory).
        person_id: ``users.id``.
        history: Their recent rows (:func:`storage.recent.load_histories`).
        day: Their local date.
        now: The current instant.
        on_demand: True for /today and "other ideas" (a different greeting).
        exclude: Act ids not to offer now (the ones just shown).
        low_energy: One-minute and self-kindness ideas; ``None`` keeps what the person chose
            earlier that day.

    Returns:
        The morning prompt.
    """
    offers = offer_rounds(person)
    if low_energy is None:
        low_energy = low_energy_today(offers, day)
    acts = _choose(
        default_catalog(), person_id, history, offers, day, now, exclude, low_energy=low_energy
    )
    prompt = MorningPrompt(
        day=day,
        first_name=person.first_name,
        acts=tuple(acts),
        person_id=person_id,
        opener=opener_step(offers, day),
        on_demand=on_demand,
        gentle=low_energy,
    )
    set_offer_rounds(person, remember(offers, day, [a.id for a in acts], low_energy=low_energy))
    return prompt


def _choose(
    catalog: Catalog,
    person_id: int,
    history: History,
    offers: Sequence[OfferedRound],
    day: date,
    now: datetime,
    exclude: tuple[str, ...],
    *,
    low_energy: bool,
    count: int = 3,
) -> list[Act]:
    """Acts for ``day``, adapted to what the person did and offered lately."""
    lately = Lately(
        offers=offers,
        planned={d: plan.act_id for d, plan in history.plans.items()},
        passed=frozenset(
            d for d, plan in history.plans.items() if plan.status is PlanStatus.NOT_TODAY
        ),
        feelings={d: r.feeling for d, r in history.reflections.items() if r.feeling is not None},
        done=history.done,
    )
    preferences = preferences_for(lately, catalog, day, low_energy=low_energy)
    return acts_for_round(
        catalog,
        person_id=person_id,
        day=day,
        now=now,
        offers=offers,
        exclude=exclude,
        preferences=preferences,
        count=count,
    )


def checklist_from(
    person: User,
    person_id: int,
    history: History,
    day: date,
    now: datetime,
    existing: Checklist | None,
    *,
    on_demand: bool,
) -> tuple[ChecklistPrompt, Checklist | None]:
    """A kindness day's list: the one already made for ``day``, else a new one.

    A new list is chosen like morning ideas (recorded in the offer memory, so the next days
    avoid them) but with :data:`~bot.kindness.rhythm.CHECKLIST_SIZE` acts.

    Returns:
        The prompt, and the new ``checklists`` row to stage (``None`` when it existed).
    """
    catalog = default_catalog()
    if existing is not None:
        acts = tuple(act for act in map(catalog.get, existing.act_ids) if act is not None)
        ticked = frozenset(existing.ticked)
        return ChecklistPrompt(day, person.first_name, acts, ticked, on_demand), None
    offers = offer_rounds(person)
    chosen = _choose(
        catalog, person_id, history, offers, day, now, (), low_energy=False, count=CHECKLIST_SIZE
    )
    set_offer_rounds(person, remember(offers, day, [a.id for a in chosen], low_energy=False))
    row = Checklist(
        user_id=person_id,
        local_date=day,
        act_ids=[act.id for act in chosen],
        ticked={},
        created_at=now,
        updated_at=now,
    )
    return ChecklistPrompt(day, person.first_name, tuple(chosen), frozenset(), on_demand), row


async def checklist_prompt(visit: Visit, day: date, *, on_demand: bool) -> ChecklistPrompt:
    """:func:`checklist_from` for the visiting person (a new list is staged)."""
    repo = ChecklistRepository(visit.session)
    existing = await repo.get_for_date(visit.person_id, day)
    history = await load_recent(visit, day) if existing is None else History()
    prompt, row = checklist_from(
        visit.person, visit.person_id, history, day, visit.now, existing, on_demand=on_demand
    )
    if row is not None:
        repo.add(row)
    return prompt


async def morning_prompt(
    visit: Visit,
    day: date,
    *,
    on_demand: bool,
    exclude: tuple[str, ...] = (),
    low_energy: bool | None = None,
) -> MorningPrompt:
    """:func:`morning_from` for the visiting person, reading their history first."""
    history = await load_recent(visit, day)
    return morning_from(
        visit.person,
        visit.person_id,
        history,
        day,
        visit.now,
        on_demand=on_demand,
        exclude=exclude,
        low_energy=low_energy,
    )


def open_quiet_step(person: User, prompt: EveningPrompt) -> None:
    """A quiet evening asks one free-text question: the next line the person types answers it."""
    if prompt.quiet:
        set_step(person, PendingStep(Step.RECEIVED, day=prompt.day))


def planned_act_text(plan: DailyPlan | None) -> str | None:
    """The act of a plan that was chosen (planned or done), else ``None``."""
    if plan is None or plan.status is PlanStatus.NOT_TODAY or not plan.act_text:
        return None
    return plan.act_text


def evening_from(
    plan: DailyPlan | None,
    person: User,
    person_id: int,
    day: date,
    *,
    on_demand: bool = False,
    memory: Memory | None = None,
    checklist: Checklist | None = None,
) -> EveningPrompt:
    """The first evening question for ``day``, from the day's plan, list and memory read.

    A day with a kindness-day list looks back on the list; under kindness days, another day
    with nothing planned is a quiet one: only the question about kindness received (whose
    free-text step :func:`open_quiet_step` opens once the prompt is on its way).
    """
    planned = planned_act_text(plan)
    counts = None
    if checklist is not None:
        counts = (ticked_count(checklist), len(checklist.act_ids))
    quiet = (
        counts is None
        and planned is None
        and bool(person.kindness_days)
        and not is_kindness_day(person.kindness_days, day)
    )
    return EveningPrompt(
        day=day,
        first_name=person.first_name,
        planned=planned,
        person_id=person_id,
        on_demand=on_demand,
        memory=memory,
        checklist=counts,
        quiet=quiet,
    )


async def evening_prompt(visit: Visit, day: date, *, on_demand: bool = False) -> EveningPrompt:
    """The first evening question for the visiting person's ``day``, with its memory, if any.

    The memory is marked shown on ``day``; asked for again the same evening (/reflect twice),
    the prompt comes without one (:func:`bot.services.memories.choose`).
    """
    plan = await PlanRepository(visit.session).get_for_date(visit.person_id, day)
    checklist = await ChecklistRepository(visit.session).get_for_date(visit.person_id, day)
    memory = None
    if wants_memories(visit.person, visit.now):
        evening = (visit.person_id, day)
        memory = (await recall(visit.session, [evening], again_tonight=False)).get(evening)
    prompt = evening_from(
        plan,
        visit.person,
        visit.person_id,
        day,
        on_demand=on_demand,
        memory=memory,
        checklist=checklist,
    )
    open_quiet_step(visit.person, prompt)
    return prompt
