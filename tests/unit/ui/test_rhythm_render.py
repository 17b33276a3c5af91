"""The rhythm screen and a kindness day's list render in every language, weekdays included."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import available_languages, translator_for
from bot.kindness.catalog import default_catalog
from bot.kindness.insight import FeelingMove, KindnessDay, WeekFacts
from bot.services.daily_prompts import ChecklistPrompt, EveningPrompt
from bot.services.rhythm import RhythmPicker, RhythmRefusal, RhythmSet, Ticked
from bot.ui import daily as daily_ui
from bot.ui import insight as insight_ui
from bot.ui import rhythm as ui
from bot.ui.callbacks import Action, parse

WEDNESDAY = date(2026, 3, 4)
WED_SAT = 1 << 2 | 1 << 5
ACTS = tuple(default_catalog().acts[:4])


def _filled(text: str) -> bool:
    return "{" not in text and "}" not in text


@pytest.mark.parametrize("code", available_languages())
def test_every_screen_renders_filled_in_every_language(code: str) -> None:
    t = translator_for(code)
    wednesday, saturday = ui.day_names(t, [2, 5])
    picker = ui.render_choose_press(t, RhythmPicker(chosen=WED_SAT, saved=0, opened=True))
    [screen] = picker.send
    assert _filled(screen.text)
    buttons = [label for row in screen.buttons for label, _ in row]
    # What is saved (most days) is ticked, and so are the two days being chosen.
    assert [label.startswith(ui.TICKED) for label in buttons[:8]] == [
        True,
        False,
        False,
        True,
        False,
        False,
        True,
        False,
    ]
    assert buttons[-1] == t("Save kindness days")
    saved = ui.render_choose_press(t, RhythmSet(WED_SAT, quiet_evenings=True, today=True)).edit
    assert saved is not None
    assert wednesday in saved.text
    assert saturday in saved.text
    assert _filled(ui.rhythm_line(t, WED_SAT))
    prompt = ChecklistPrompt(WEDNESDAY, "Ana", ACTS, frozenset({ACTS[0].id}), on_demand=False)
    listed = ui.render_tick_press(t, Ticked(prompt, done=True))
    assert listed.note
    assert listed.edit is not None
    assert _filled(listed.edit.text)
    for row in listed.edit.buttons:
        for _, data in row:
            assert parse(data) is not None
    for refusal in RhythmRefusal:
        assert ui.render_choose_press(t, refusal).note
    for evening in (
        EveningPrompt(WEDNESDAY, "Ana", None, 3, checklist=(1, 4)),
        EveningPrompt(WEDNESDAY, "Ana", None, 3, quiet=True),
    ):
        assert _filled(daily_ui.render_evening(t, evening).text)
    facts = WeekFacts(
        1, 1, 0, 1, FeelingMove.NOT_ENOUGH, kindness_days=(KindnessDay(WEDNESDAY, 1, 4),)
    )
    assert wednesday in insight_ui.week_text(t, facts)


def test_the_list_in_english() -> None:
    t = translator_for("en")
    prompt = ChecklistPrompt(WEDNESDAY, "<Ana>", ACTS, frozenset(), on_demand=False)
    screen = ui.render_checklist(t, prompt)
    assert screen.text.startswith("Good morning, &lt;Ana&gt;. Today is your kindness day.")
    assert [label for row in screen.buttons for label, _ in row][-1] == "Not today"
    assert all(parse(d).action is Action.TICK for row in screen.buttons[:-1] for _, d in row)  # type: ignore[union-attr]
    done = ChecklistPrompt(WEDNESDAY, "Ana", ACTS, frozenset(a.id for a in ACTS), on_demand=True)
    text = ui.checklist_text(t, done)
    assert "All done." in text
    assert text.count(ui.TICKED) == 4
