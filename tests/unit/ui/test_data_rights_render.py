"""Rendering /export's and /delete's typed results: texts, files and buttons."""

from __future__ import annotations

from datetime import date

from bot.i18n import translator_for
from bot.services.data_rights import EraseAsked, Erased, EraseNote, Export, ExportFile
from bot.services.journal import JournalAct, JournalDay
from bot.ui import data_rights as ui
from bot.ui.callbacks import Action, parse

T = translator_for("en")
DAY = date(2026, 3, 2)


def test_export_sends_the_data_files_then_the_journal() -> None:
    data = (ExportFile("kindling-2026-03-02.json", b"{}"), ExportFile("a.csv", b"x"))
    days = (
        JournalDay(day=DAY, acts=(JournalAct(text="Called Mum", note="she laughed"),), feeling=4),
    )
    bundle = ui.render_export(
        T, "en", Export(first_name="Ana", exported_on=DAY, files=data, days=days)
    )
    assert "everything I keep about you" in bundle.intro
    assert bundle.files[:2] == data
    [journal] = bundle.files[2:]
    assert journal.name == "kindling-journal-2026-03-02.md"
    text = journal.data.decode("utf-8")
    assert text.startswith("# My kindness journal\n")
    assert "Kept with Kindling by Ana. Exported on Monday, March 2, 2026." in text
    assert "## Monday, March 2, 2026" in text
    assert "- Called Mum\n\n  > she laughed" in text
    assert "Feeling: 4 of 5" in text


def test_an_empty_export_says_nothing_is_written_yet() -> None:
    bundle = ui.render_export(T, "en", Export("Ana", DAY, files=(), days=()))
    [journal] = bundle.files
    assert "Nothing written yet." in journal.data.decode()


def test_the_question_binds_its_confirmation_to_the_person_and_day() -> None:
    screen = ui.render(T, EraseAsked(asked_on=DAY, person_id=7))
    assert "It can't be undone" in screen.text
    [[(yes, confirm)], [(cancel, keep)]] = screen.buttons
    assert (yes, cancel) == ("Yes, erase everything", "Cancel")
    assert parse(confirm) == parse("dx:20260302:7")
    cb = parse(keep)
    assert cb is not None
    assert cb.action is Action.ERASE_CANCEL


def test_nothing_to_erase_answers_the_command_and_the_button() -> None:
    assert "nothing to erase" in ui.render(T, EraseNote.NOTHING_TO_ERASE).text
    press = ui.render_press(T, EraseNote.NOTHING_TO_ERASE)
    assert press.note is not None
    assert "nothing to erase" in press.note
    assert press.edit is not None
    assert press.edit.text == press.note


def test_erased_lists_counts_in_place_of_the_question() -> None:
    counts = {"users": 1, "acts_done": 2, "prompts": 3, "reflections": 0, "new_table": 1}
    press = ui.render_press(T, Erased(counts=counts))
    assert press.note is None
    assert press.edit is not None
    assert press.edit.buttons == []
    assert press.edit.text.splitlines() == [
        "Done. Everything I kept about you is erased:",
        "• your profile and settings",
        "• acts of kindness: 2",
        "• other records: 1",
        "• scheduled messages: 3",
        "",
        "I won't write to you again. If you ever want to begin afresh, send /start.",
    ]


def test_a_stale_confirmation_is_a_note_and_leaves_the_question() -> None:
    press = ui.render_press(T, EraseNote.STALE)
    assert press.note is not None
    assert "expired" in press.note
    assert press.edit is None
    assert press.send == []


def test_cancel_replaces_the_question() -> None:
    press = ui.render_press(T, EraseNote.CANCELLED)
    assert press.note is None
    assert press.edit is not None
    assert "Nothing was erased" in press.edit.text
    assert press.edit.buttons == []
