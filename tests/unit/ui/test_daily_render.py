"""Rendering the daily loop's typed results: which message, edited or sent, in which words."""

from __future__ import annotations

import typing
from datetime import date, time

import pytest

from bot.i18n import ISOLATE_END, ISOLATE_START, available_languages, translator_for
from bot.kindness.catalog import default_catalog
from bot.services import daily
from bot.services.daily_prompts import ChecklistPrompt, EveningPrompt, MorningPrompt
from bot.services.memories import AGES, MONTH, YEAR, Memory
from bot.ui import daily as ui
from bot.ui import inline as inline_ui
from bot.ui import variants
from bot.ui.callbacks import Action, parse
from bot.ui.screens import PressAnswer

T = translator_for("en")
DAY = date(2026, 3, 2)
ACT = default_catalog().acts[0]
LOGGED = daily.Logged(act_done_id=9, act_text="Called <Mum>", person_id=3, count=4)

EXAMPLES: list[daily.Result] = [
    daily.ActDetail(day=DAY, act=ACT),
    daily.PlanShown(day=DAY, plan_id=5, act_text="Called <Mum>"),
    daily.Asked(daily.Said.FEELING_QUESTION, DAY),
    daily.Asked(daily.Said.RECEIVED_QUESTION, DAY),
    daily.Snoozed(at=time(10, 30)),
    daily.Passed(person_id=3, day=DAY),
    LOGGED,
    daily.InlineLogged(kind="thx", logged=LOGGED),
    daily.Goodnight(person_id=3, day=DAY),
    MorningPrompt(
        day=DAY,
        first_name="Ana",
        acts=tuple(default_catalog().acts[:3]),
        person_id=3,
        opener=1,
        on_demand=True,
        gentle=False,
    ),
    EveningPrompt(day=DAY, first_name="Ana", planned=None, person_id=3),
    EveningPrompt(
        day=DAY,
        first_name="Ana",
        planned="Call Mum",
        person_id=3,
        on_demand=True,
        memory=Memory(words="a <kind> word", noticed=True, days_ago=YEAR),
    ),
    EveningPrompt(day=DAY, first_name="Ana", planned=None, person_id=3, checklist=(2, 4)),
    EveningPrompt(day=DAY, first_name="Ana", planned=None, person_id=3, quiet=True),
    ChecklistPrompt(
        day=DAY,
        first_name="Ana",
        acts=tuple(default_catalog().acts[:4]),
        ticked=frozenset({default_catalog().acts[1].id}),
        on_demand=True,
    ),
    *daily.Said,
    *daily.Refusal,
]


def test_the_examples_cover_every_kind_of_result() -> None:
    kinds = set(typing.get_args(daily.Result))
    assert {type(example) for example in EXAMPLES} == kinds


@pytest.mark.parametrize("result", EXAMPLES, ids=repr)
def test_every_result_renders_as_a_note_an_edit_or_messages(result: daily.Result) -> None:
    answer = ui.render_press(T, "en", result)
    shown = [answer.edit, *answer.send]
    assert answer.note is not None or any(shown)
    for screen in filter(None, shown):
        assert screen.text.strip()
        for row in screen.buttons:
            for _, data in row:
                assert parse(data) is not None


def test_refusals_are_short_notes_and_change_no_message() -> None:
    assert ui.render_press(T, "en", daily.Refusal.OUT_OF_DATE) == PressAnswer(
        note=ui.out_of_date(T)
    )
    assert ui.render_press(T, "en", daily.Refusal.ALREADY_SAVED) == PressAnswer(
        note=ui.already_saved(T)
    )


@pytest.mark.parametrize(
    "result",
    [daily.ActDetail(day=DAY, act=ACT), daily.Asked(daily.Said.FEELING_QUESTION, DAY)],
    ids=repr,
)
def test_choosing_and_the_evening_questions_replace_the_pressed_message(
    result: daily.Result,
) -> None:
    answer = ui.render_press(T, "en", result)
    assert answer.edit is not None
    assert answer.send == []


def test_a_logged_inline_note_takes_the_button_off_its_offer_and_celebrates() -> None:
    answer = ui.render_press(T, "en", daily.InlineLogged(kind="thx", logged=LOGGED))
    assert answer.edit is not None
    assert answer.edit.text == inline_ui.offer_to_log(T, "thx")
    assert answer.edit.buttons == []
    [celebration] = answer.send
    assert "Called &lt;Mum&gt;" in celebration.text
    [[(_, data)]] = celebration.buttons
    cb = parse(data)
    assert cb is not None
    assert (cb.action, cb.arg) == (Action.NOTE_SKIP, "9")


def test_a_pass_is_met_with_one_of_the_kind_replies() -> None:
    text = ui.render(T, "en", daily.Passed(person_id=3, day=DAY)).text
    assert any(reply in text for reply in variants.not_today_replies(T))
    assert "I'll still check in this evening." in text


def test_the_snooze_names_the_time_in_the_person_s_locale() -> None:
    assert "10:30" in ui.render(T, "en_GB", daily.Snoozed(at=time(10, 30))).text


def test_the_evening_question_follows_the_plan() -> None:
    planned = EveningPrompt(day=DAY, first_name="Ana", planned="Call <Mum>", person_id=3)
    screen = ui.render_evening(T, planned)
    assert "Call &lt;Mum&gt;" in screen.text
    assert screen.buttons[0][0][0] == "I did it"
    unplanned = ui.render_evening(
        T, EveningPrompt(day=DAY, first_name="Ana", planned=None, person_id=3)
    )
    assert unplanned.buttons[0][0][0] == "Yes"


# --- memories ---------------------------------------------------------------------------------

MEMORY_LEADS = {
    (YEAR, True): "A year ago you noticed: ",
    (YEAR, False): "A year ago you did this: ",
    (MONTH, True): "A month ago you noticed: ",
    (MONTH, False): "A month ago you did this: ",
}


@pytest.mark.parametrize(("days_ago", "noticed"), list(MEMORY_LEADS), ids=repr)
def test_a_memory_says_how_long_ago_and_quotes_the_person_s_words(
    days_ago: int, noticed: bool
) -> None:
    memory = Memory(words="my <b>neighbour</b> & me", noticed=noticed, days_ago=days_ago)
    prompt = EveningPrompt(day=DAY, first_name="Ana", planned=None, person_id=3, memory=memory)
    text = ui.render_evening(T, prompt).text
    line = f"{MEMORY_LEADS[(days_ago, noticed)]}<i>my &lt;b&gt;neighbour&lt;/b&gt; &amp; me</i>"
    # Between the greeting and the question, a paragraph of its own.
    greeting, shown, question = text.split("\n\n")
    assert greeting.startswith("Good evening, Ana.")
    assert shown == line
    assert question.startswith("Nothing was planned today")
    assert "today" not in shown  # 365 days back is not always the same date


def test_without_a_memory_the_evening_is_as_before() -> None:
    prompt = EveningPrompt(day=DAY, first_name="Ana", planned=None, person_id=3)
    text = ui.render_evening(T, prompt).text
    assert len(text.split("\n\n")) == 2
    assert " ago " not in text


def test_a_long_memory_is_shortened_to_one_line() -> None:
    words = "kind " * 200 + "\nsecond line"
    line = ui.memory_text(T, Memory(words=words, noticed=True, days_ago=MONTH))
    assert "\n" not in line
    assert line.endswith("…</i>")
    quoted = line.removeprefix("A month ago you noticed: <i>").removesuffix("</i>")
    assert len(quoted) == ui.MEMORY_LIMIT
    short = ui.memory_text(T, Memory(words="  a  hug\n\tfrom Bo ", noticed=True, days_ago=YEAR))
    assert short == "A year ago you noticed: <i>a hug from Bo</i>"


@pytest.mark.parametrize("code", available_languages())
def test_every_language_has_each_memory_with_the_words_in_it(code: str) -> None:
    t = translator_for(code)
    lines = {
        ui.memory_text(t, Memory(words="Bo <3", noticed=noticed, days_ago=age))
        for age in AGES
        for noticed in (True, False)
    }
    assert len(lines) == 4
    for line in lines:
        assert "<i>" in line
        assert "Bo &lt;3" in line
        if t.rtl:  # the person's words keep their own direction
            assert f"{ISOLATE_START}Bo &lt;3{ISOLATE_END}" in line
