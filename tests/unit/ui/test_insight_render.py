"""Rendering /week's typed results: the message, the chart, the recap switch and the recap."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import translator_for
from bot.kindness.insight import FeelingMove, WeekFacts, last_days
from bot.services.insight import RecapRefusal, RecapSwitched, WeekRecap, WeekResult
from bot.ui import insight as ui
from bot.ui import texts
from bot.ui.callbacks import Action, parse

T = translator_for("en")
TODAY = date(2026, 3, 4)
FACTS = WeekFacts(
    acts_this_week=2,
    acts_this_month=5,
    received_this_week=1,
    kind_days_this_year=9,
    move=FeelingMove.BRIGHTER,
    average_with=4.0,
    average_without=3.0,
)
DAYS = tuple(last_days(TODAY))


def _result(*, recap_on: bool) -> WeekResult:
    return WeekResult(
        facts=FACTS,
        days=DAYS,
        acts=(0, 1, 0, 0, 0, 0, 1),
        feelings=(None, 4, None, None, 3, None, 5),
        recap_on=recap_on,
    )


def _switch(buttons: list[list[tuple[str, str]]]) -> tuple[str, str]:
    [[(label, data)]] = buttons
    cb = parse(data)
    assert cb is not None
    assert cb.action is Action.RECAP
    return label, cb.arg


@pytest.mark.parametrize(
    ("recap_on", "label", "arg"),
    [(True, "No weekly recap, thanks", "0"), (False, "Send me a weekly recap", "1")],
)
def test_week_offers_the_switch_the_other_way(recap_on: bool, label: str, arg: str) -> None:
    screen = ui.render(T, _result(recap_on=recap_on))
    assert screen.text == ui.week_text(T, FACTS)
    assert "Your week in kindness" in screen.text
    assert "This week you logged 2 acts of kindness, and 5 this month." in screen.text
    assert _switch(screen.buttons) == (label, arg)


def test_the_chart_carries_the_days_and_labels_in_the_persons_language() -> None:
    result = _result(recap_on=True)
    chart = ui.render_chart(T, result)
    assert (chart.days, chart.acts, chart.feelings) == (DAYS, result.acts, result.feelings)
    assert chart.labels == ui.chart_labels(T)
    assert chart.locale == T.locale
    assert chart.caption == ui.chart_caption(T)
    assert "last 7 days" in chart.caption


@pytest.mark.parametrize(
    ("enabled", "note", "label"),
    [
        (False, "No weekly recap from now on.", "Send me a weekly recap"),
        (
            True,
            "The weekly recap will come with the Sunday evening message.",
            "No weekly recap, thanks",
        ),
    ],
)
def test_the_switch_answers_and_redraws_week(enabled: bool, note: str, label: str) -> None:
    answer = ui.render_press(T, RecapSwitched(enabled=enabled, facts=FACTS))
    assert answer.note == note
    assert answer.edit is not None
    assert answer.edit.text == ui.week_text(T, FACTS)
    assert _switch(answer.edit.buttons)[0] == label
    assert answer.send == []


def test_a_malformed_switch_is_out_of_date() -> None:
    answer = ui.render_press(T, RecapRefusal.OUT_OF_DATE)
    assert answer.note == texts.button_out_of_date(T)
    assert answer.edit is None


def test_the_recap_has_its_own_heading_and_offers_to_stop() -> None:
    screen = ui.render_recap(T, WeekRecap(facts=FACTS))
    assert screen.text.startswith("<b>Your week, gently</b>")
    assert screen.text == ui.week_text(T, FACTS, recap=True)
    assert _switch(screen.buttons) == ("No weekly recap, thanks", "0")
