"""Texts and buttons of /privacy, /export and /delete, and the Markdown kindness journal.

Renders the results of ``bot.services.data_rights``; pure functions. The Markdown file is
plain text (not Telegram HTML), so nothing is escaped there; in messages, anything a person
typed is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.i18n import Translator
from bot.services.data_rights import (
    EraseAsked,
    Erased,
    EraseNote,
    EraseResult,
    Export,
    ExportFile,
)
from bot.services.journal import JournalDay
from bot.ui.callbacks import Action, Rows, encode
from bot.ui.preferences import format_day
from bot.ui.screens import PressAnswer, Screen

__all__ = [
    "ExportBundle",
    "erase_cancelled",
    "erase_done",
    "erase_question",
    "erase_rows",
    "erase_stale",
    "export_intro",
    "markdown_journal",
    "nothing_to_erase",
    "privacy_text",
    "render",
    "render_export",
    "render_press",
]


@dataclass(frozen=True)
class ExportBundle:
    """What /export sends: an introduction, then the files in order."""

    intro: str
    files: tuple[ExportFile, ...]


def privacy_text(t: Translator) -> str:
    """/privacy: what is stored, why, where, what is never logged, and the person's rights."""
    return "\n\n".join(
        (
            t("<b>Your data and Kindling</b>"),
            t(
                "<b>What I keep:</b> your first name, language and chat id; your time zone, "
                "prompt times and pauses; the acts you chose and did, with your notes; your "
                "evening reflections (how you felt, kindness you received or witnessed); and "
                "when each prompt was sent."
            ),
            t(
                "<b>Why:</b> to write to you at your times, suggest acts you haven't had "
                "lately, and show your journal and your week. Nothing else: no ads, no "
                "profiling, nothing shared."
            ),
            t(
                "<b>Memories:</b> some evenings I show you something you wrote a month or a "
                "year before, each thing once. They are only your own words, seen only by "
                "you, and I keep just the date they came back. Switch them off in /settings."
            ),
            t(
                "<b>People you choose:</b> when you pick someone to encourage from your "
                "contacts, I keep neither their name nor their account, only that today's act "
                "is a message to someone you chose."
            ),
            t(
                "<b>Where:</b> in the database of whoever runs this Kindling bot, on their own "
                "server. Telegram carries the messages."
            ),
            t(
                "<b>Never logged:</b> what you write. Logs hold ids and event names only. "
                "Messages that mention a crisis are not stored at all; I only note until "
                "midnight that today is a day to be gentle, so no evening question comes."
            ),
            t(
                "<b>Your choice, any time:</b> /export sends you everything I keep, as files. "
                "/delete erases all of it for good."
            ),
        )
    )


def export_intro(t: Translator) -> str:
    """The message before the export files."""
    return t(
        "Here is everything I keep about you: a complete JSON file, CSV tables of your acts "
        "and reflections, and your kindness journal to read."
    )


def erase_question(t: Translator) -> str:
    """/delete: what erasing means, before the confirmation button."""
    return t(
        "This erases everything I keep about you: your settings, acts, notes, reflections "
        "and scheduled messages. It can't be undone. If you'd like a copy first, send "
        "/export."
    )


def erase_rows(t: Translator, asked_on: date, user_id: int) -> Rows:
    """Confirm (bound to who asked and when) or keep everything."""
    return [
        [(t("Yes, erase everything"), encode(Action.ERASE, asked_on, user_id))],
        [(t("Cancel"), encode(Action.ERASE_CANCEL))],
    ]


def erase_cancelled(t: Translator) -> str:
    """The cancel button on /delete."""
    return t("Nothing was erased. Everything stays as it was.")


def erase_stale(t: Translator) -> str:
    """A confirmation button that is old, or not this person's."""
    return t("That button has expired, so nothing was erased. Send /delete to start again.")


def nothing_to_erase(t: Translator) -> str:
    """/delete or its button from someone Kindling keeps nothing about."""
    return t("I don't keep anything about you, so there is nothing to erase.")


def _table_label(t: Translator, table: str) -> str:
    labels = {
        "acts_done": t("acts of kindness"),
        "reflections": t("reflections"),
        "daily_plans": t("daily plans"),
        "prompts": t("scheduled messages"),
    }
    return labels.get(table, t("other records"))


def erase_done(t: Translator, counts: Mapping[str, int]) -> str:
    """What was erased, with counts; the last message Kindling sends."""
    lines = [t("Done. Everything I kept about you is erased:")]
    lines.append("• " + t("your profile and settings"))
    for table, count in sorted(counts.items()):
        if table != "users" and count:
            lines.append(f"• {_table_label(t, table)}: {count}")
    lines.append("")
    lines.append(t("I won't write to you again. If you ever want to begin afresh, send /start."))
    return "\n".join(lines)


def _quote(text: str, prefix: str) -> list[str]:
    return [f"{prefix}{line}".rstrip() for line in text.strip().splitlines()] or [prefix]


def markdown_journal(
    t: Translator,
    first_name: str,
    exported_on: date,
    days: Sequence[JournalDay],
    locale: str | None,
) -> str:
    """The readable kindness journal: every act, note and reflection, newest day first."""
    lines = [
        "# " + t("My kindness journal"),
        "",
        t(
            "Kept with Kindling by {name}. Exported on {day}.",
            name=first_name,
            day=format_day(exported_on, locale),
        ),
    ]
    if not days:
        lines += ["", t("Nothing written yet.")]
    for entry in days:
        lines += ["", "## " + format_day(entry.day, locale), ""]
        for act in entry.acts:
            text_lines = act.text.strip().splitlines() or [""]
            lines.append(f"- {text_lines[0]}")
            lines += [f"  {line}" for line in text_lines[1:]]
            if act.note:
                lines.append("")
                lines += _quote(act.note, "  > ")
        if entry.acts and (entry.feeling is not None or entry.received):
            lines.append("")
        if entry.feeling is not None:
            lines.append(t("Feeling: {n} of 5", n=entry.feeling))
        if entry.received:
            if entry.feeling is not None:
                lines.append("")
            lines.append(t("Kindness received or witnessed:"))
            lines.append("")
            lines += _quote(entry.received, "> ")
    return "\n".join(lines) + "\n"


def render_export(t: Translator, locale: str | None, result: Export) -> ExportBundle:
    """/export's answer: the introduction, the data files, then the readable journal."""
    markdown = markdown_journal(t, result.first_name, result.exported_on, result.days, locale)
    journal = ExportFile(
        f"kindling-journal-{result.exported_on.isoformat()}.md", markdown.encode("utf-8")
    )
    return ExportBundle(intro=export_intro(t), files=(*result.files, journal))


def render(t: Translator, result: EraseResult) -> Screen:
    """/delete's answer (the question and its buttons), or what a button left in its place."""
    if isinstance(result, EraseAsked):
        rows = erase_rows(t, result.asked_on, result.person_id)
        return Screen(text=erase_question(t), buttons=[list(row) for row in rows])
    if isinstance(result, Erased):
        return Screen(text=erase_done(t, result.counts))
    if result is EraseNote.CANCELLED:
        return Screen(text=erase_cancelled(t))
    if result is EraseNote.STALE:
        return Screen(text=erase_stale(t))
    return Screen(text=nothing_to_erase(t))


def render_press(t: Translator, result: EraseResult) -> PressAnswer:
    """A /delete button's answer: the outcome in place of the question, or a short note."""
    if result is EraseNote.STALE:
        return PressAnswer(note=erase_stale(t))  # the question stays, to cancel or ask again
    if result is EraseNote.NOTHING_TO_ERASE:
        return PressAnswer(note=nothing_to_erase(t), edit=render(t, result))
    return PressAnswer(edit=render(t, result))
