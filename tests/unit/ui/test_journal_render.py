"""Rendering /journal's typed results: which days fit, in which order, with which buttons."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.i18n import translator_for
from bot.services.journal import (
    Direction,
    JournalAct,
    JournalDay,
    JournalNote,
    JournalPage,
)
from bot.ui import journal as ui
from bot.ui import texts
from bot.ui.callbacks import Action, parse
from bot.ui.preferences import format_day

T = translator_for("en")
DAY = date(2026, 3, 2)


def _day(offset: int, text: str = "Called Mum") -> JournalDay:
    return JournalDay(day=DAY + timedelta(days=offset), acts=(JournalAct(text=text),))


def _buttons(page: JournalPage) -> dict[str, tuple[date | None, str]]:
    screen = ui.render(T, "en", page)
    found: dict[str, tuple[date | None, str]] = {}
    for row in screen.buttons:
        for label, data in row:
            cb = parse(data)
            assert cb is not None
            assert cb.action is Action.JOURNAL
            found[label] = (cb.local_date, cb.arg)
    return found


def test_a_newer_page_arrives_oldest_first_and_shows_newest_first() -> None:
    page = JournalPage(days=(_day(1), _day(2), _day(3)), latest=DAY + timedelta(5), earliest=DAY)
    text = ui.render(T, "en", page).text
    heads = [text.index(format_day(DAY + timedelta(n), "en")) for n in (3, 2, 1)]
    assert heads == sorted(heads)
    assert _buttons(page) == {
        "◀ Older": (DAY + timedelta(1), Direction.OLDER),
        "Newer ▶": (DAY + timedelta(3), Direction.NEWER),
    }


def test_the_whole_journal_on_one_page_has_no_buttons() -> None:
    page = JournalPage(days=(_day(1), _day(0)), latest=DAY + timedelta(1), earliest=DAY)
    assert _buttons(page) == {}


def test_long_days_leave_the_rest_for_the_next_page() -> None:
    acts = tuple(JournalAct(text="x" * 280, note="y" * 280) for _ in range(2))
    days = tuple(JournalDay(day=DAY - timedelta(n), acts=acts) for n in range(7))
    page = JournalPage(days=days, latest=DAY, earliest=DAY - timedelta(6))
    shown = ui.fitting_days(T, days, "en")
    screen = ui.render(T, "en", page)
    assert 1 <= shown < len(days)
    assert ui.utf16_length(screen.text) <= ui.PAGE_BUDGET
    oldest_shown = DAY - timedelta(shown - 1)
    assert _buttons(page) == {"◀ Older": (oldest_shown, Direction.OLDER)}


@pytest.mark.parametrize(
    ("note", "text"),
    [
        (JournalNote.EMPTY, ui.empty_journal(T)),
        (JournalNote.NOTHING_MORE, ui.nothing_more(T)),
        (JournalNote.OUT_OF_DATE, texts.button_out_of_date(T)),
    ],
)
def test_notes_are_plain_lines(note: JournalNote, text: str) -> None:
    assert ui.render(T, "en", note).text == text


def test_a_malformed_button_answers_with_a_toast_and_edits_nothing() -> None:
    answer = ui.render_press(T, "en", JournalNote.OUT_OF_DATE)
    assert answer.edit is None
    assert answer.note == texts.button_out_of_date(T)
    assert ui.render_press(T, "en", JournalNote.NOTHING_MORE).edit is not None
