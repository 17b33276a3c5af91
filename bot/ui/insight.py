"""Texts and buttons of /week and the weekly recap. Pure functions.

Renders the results of ``bot.services.insight``.

Counts that never reset, feelings in plain words, and always "not a diagnosis"; never a
streak, never a miss.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.i18n import Translator
from bot.kindness.insight import FeelingMove, WeekFacts
from bot.services.insight import RecapRefusal, RecapSwitched, WeekRecap, WeekResult
from bot.ui import texts
from bot.ui.callbacks import Action, Rows, encode
from bot.ui.rhythm import day_names
from bot.ui.screens import PressAnswer, Screen

__all__ = [
    "WeekChart",
    "chart_caption",
    "chart_labels",
    "recap_rows",
    "recap_switched",
    "render",
    "render_chart",
    "render_press",
    "render_recap",
    "week_text",
]


@dataclass(frozen=True)
class WeekChart:
    """What the weekly chart draws (see :func:`bot.ui.chart.render_week_chart`), and its caption.

    Attributes:
        days: The local dates, oldest first.
        acts: Acts per day.
        feelings: The feeling (1-5) per day, ``None`` where none was shared.
        labels: The translated axis labels and title.
        locale: The language the labels are in (weekday names follow it).
        caption: The photo's caption.
    """

    days: tuple[date, ...]
    acts: tuple[int, ...]
    feelings: tuple[int | None, ...]
    labels: Mapping[str, str]
    locale: str | None
    caption: str


def _feelings_sentence(t: Translator, facts: WeekFacts) -> str:
    if facts.move is FeelingMove.NOT_ENOUGH or facts.average_with is None:
        return t(
            "Once you've shared how you felt on a few more evenings, with and without an "
            "act, I'll describe how your feelings moved."
        )
    numbers = {
        "with_act": f"{facts.average_with:.1f}",
        "without": f"{facts.average_without or 0:.1f}",
    }
    if facts.move is FeelingMove.BRIGHTER:
        return t(
            "Over the last four weeks, on days with an act you felt a little brighter "
            "(about {with_act} of 5, and {without} on other days).",
            **numbers,
        )
    if facts.move is FeelingMove.LOWER:
        return t(
            "Over the last four weeks, days with an act felt a little heavier "
            "(about {with_act} of 5, and {without} on other days). Go gently: "
            "being kind to yourself counts too.",
            **numbers,
        )
    return t(
        "Over the last four weeks, your feelings were about the same on days with and "
        "without an act (about {with_act} and {without} of 5).",
        **numbers,
    )


def _rhythm_sentence(t: Translator, facts: WeekFacts) -> str:
    """Under kindness days: how this week's went, or when the next one is ("" otherwise)."""
    if facts.kindness_days:
        days = day_names(t, [kindness_day.day.weekday() for kindness_day in facts.kindness_days])
        return " ".join(
            # Translators: {day} is a weekday ("Saturday"); {n} of the {total} acts on the
            # kindness day's list were ticked off (the noun goes with {total}).
            t(
                "Kindness day, {day}: {n} of {total} acts.",
                day=day,
                n=kindness_day.ticked,
                total=kindness_day.listed,
            )
            for day, kindness_day in zip(days, facts.kindness_days, strict=True)
        )
    if facts.next_kindness_day is None:
        return ""
    # Translators: {day} is a weekday ("Saturday").
    return t(
        "Your next kindness day: {day}.",
        day=day_names(t, [facts.next_kindness_day.weekday()])[0],
    )


def week_text(t: Translator, facts: WeekFacts, *, recap: bool = False) -> str:
    """What /week says (``recap``: the Sunday evening version's heading)."""
    heading = t("<b>Your week, gently</b>") if recap else t("<b>Your week in kindness</b>")
    if facts.acts_this_week:
        acts = t.plural(
            "This week you logged {n} act of kindness",
            "This week you logged {n} acts of kindness",
            facts.acts_this_week,
        )
        acts += t(", and {month} this month.", month=facts.acts_this_month)
    else:
        acts = t(
            "This week is still open. One small act is plenty, and /today has ideas "
            "({month} this month so far).",
            month=facts.acts_this_month,
        )
    if facts.received_this_week:
        received = t.plural(
            "You noticed kindness received or witnessed on {n} day this week.",
            "You noticed kindness received or witnessed on {n} days this week.",
            facts.received_this_week,
        )
    else:
        received = t(
            "Kindness from others counts too: the evening reflection is a good place to "
            "keep what you receive or witness."
        )
    rhythm = _rhythm_sentence(t, facts)
    if rhythm:
        acts = f"{acts} {rhythm}"
    kind_days = t.plural(
        "Kind days this year: {n}.",
        "Kind days this year: {n}.",
        facts.kind_days_this_year,
    )
    return "\n\n".join(
        (
            heading,
            acts,
            received,
            kind_days,
            _feelings_sentence(t, facts),
            t("<i>A gentle look back, not a diagnosis.</i>"),
        )
    )


def recap_rows(t: Translator, *, enabled: bool) -> Rows:
    """The switch for the Sunday evening recap."""
    if enabled:
        return [[(t("No weekly recap, thanks"), encode(Action.RECAP, None, 0))]]
    return [[(t("Send me a weekly recap"), encode(Action.RECAP, None, 1))]]


def recap_switched(t: Translator, *, enabled: bool) -> str:
    """The answer to the recap switch."""
    if enabled:
        return t("The weekly recap will come with the Sunday evening message.")
    return t("No weekly recap from now on.")


def chart_caption(t: Translator) -> str:
    """The caption beside the weekly chart."""
    return t("Your last 7 days: acts of kindness (bars) and how you felt (dots, 1 to 5).")


def chart_labels(t: Translator) -> dict[str, str]:
    """The chart's translated axis labels and title."""
    return {
        "title": t("Your last 7 days"),
        "acts": t("Acts of kindness"),
        "feeling": t("Feeling (1-5)"),
        "empty": t("Nothing logged yet. Small acts will show here."),
    }


def _screen(t: Translator, facts: WeekFacts, *, enabled: bool, recap: bool = False) -> Screen:
    rows = recap_rows(t, enabled=enabled)
    return Screen(text=week_text(t, facts, recap=recap), buttons=[list(row) for row in rows])


def render(t: Translator, result: WeekResult) -> Screen:
    """/week's message: the facts, and the recap switch."""
    return _screen(t, result.facts, enabled=result.recap_on)


def render_chart(t: Translator, result: WeekResult) -> WeekChart:
    """/week's chart of the last 7 days, labelled in the person's language."""
    return WeekChart(
        days=result.days,
        acts=result.acts,
        feelings=result.feelings,
        labels=chart_labels(t),
        locale=t.locale,  # weekday names in the language the labels are in
        caption=chart_caption(t),
    )


def render_press(t: Translator, result: RecapSwitched | RecapRefusal) -> PressAnswer:
    """The recap switch's answer: a short note, and /week again with the switch turned over."""
    if isinstance(result, RecapRefusal):
        return PressAnswer(note=texts.button_out_of_date(t))
    return PressAnswer(
        note=recap_switched(t, enabled=result.enabled),
        edit=_screen(t, result.facts, enabled=result.enabled),
    )


def render_recap(t: Translator, result: WeekRecap) -> Screen:
    """The Sunday evening recap (sent on, so its switch offers to turn it off)."""
    return _screen(t, result.facts, enabled=True, recap=True)
