"""Rendering inline mode's typed offer: the question and its one "Yes, log it" button."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import translator_for
from bot.services.inline import ENCOURAGE, THANKS, LogOffer, kind_of
from bot.services.unit import Answer
from bot.ui import inline as ui
from bot.ui.callbacks import Action, parse

T = translator_for("en")
DAY = date(2026, 3, 4)


@pytest.mark.parametrize(
    ("kind", "words"), [(ENCOURAGE, "some encouragement"), (THANKS, "a thank-you note")]
)
def test_the_offer_names_the_note_and_logs_it_for_that_day(kind: str, words: str) -> None:
    screen = ui.render_offer(Answer(LogOffer(chat_id=7, local_date=DAY, kind=kind), "en"))
    assert screen.text == ui.offer_to_log(T, kind)
    assert words in screen.text
    assert "today's act of kindness" in screen.text
    [[(label, data)]] = screen.buttons
    assert label == "Yes, log it"
    cb = parse(data)
    assert cb is not None
    assert (cb.action, cb.local_date, cb.arg) == (Action.INLINE_LOG, DAY, kind)


def test_the_offer_is_rendered_in_the_persons_language() -> None:
    answer = Answer(LogOffer(chat_id=7, local_date=DAY, kind=THANKS), None)
    assert ui.render_offer(answer).text == ui.offer_to_log(translator_for(None), THANKS)


def test_every_note_id_is_one_of_ours() -> None:
    assert all(kind_of(note.result_id) == note.kind for note in ui.notes(T))
    assert ui.kind_of is kind_of  # the name bot.ui.inline always had still works
    assert kind_of("enc:") is None
    assert kind_of("nope:proud") is None
