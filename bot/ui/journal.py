"""Texts and buttons of /journal: days of acts and reflections, newest first, paged.

Renders the results of ``bot.services.journal``; pure functions. Entries are shortened on the
page (the export keeps everything) and a page never exceeds :data:`PAGE_BUDGET`, measured in
UTF-16 code units of the HTML source (which is at least as long as what Telegram counts), so
it always fits one 4096-character message.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Final

from bot.i18n import Translator
from bot.services.journal import (
    DAYS_PER_PAGE,
    Direction,
    JournalAct,
    JournalDay,
    JournalNote,
    JournalPage,
    Result,
)
from bot.ui import texts
from bot.ui.callbacks import Action, Rows, encode
from bot.ui.preferences import format_day
from bot.ui.screens import PressAnswer, Screen
from bot.ui.texts import shorten

__all__ = [
    "ENTRY_LIMIT",
    "PAGE_BUDGET",
    "JournalAct",
    "JournalDay",
    "day_block",
    "empty_journal",
    "fitting_days",
    "nothing_more",
    "page_rows",
    "page_text",
    "render",
    "render_press",
    "shorten",
    "utf16_length",
]

ENTRY_LIMIT: Final = 280
"""Characters of one act, note or reflection shown on a page; longer ones end in "…"."""
PAGE_BUDGET: Final = 3900
"""Room for the days on one page; Telegram allows 4096 and the header and footer need some."""


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _quoted(text: str) -> str:
    return html.escape(shorten(text, ENTRY_LIMIT)).replace("\n", " ")


def day_block(t: Translator, entry: JournalDay, locale: str | None) -> str:
    """One day: its heading, the acts with their notes, then the evening reflection."""
    lines = [f"<b>{html.escape(format_day(entry.day, locale))}</b>"]
    if entry.kindness_day is not None:
        ticked, listed = entry.kindness_day
        # Translators: a journal day that was a kindness day; {n} of {total} acts on its
        # list were ticked off (each is listed below).
        lines.append(
            t.plural(
                "Kindness day: {n} of {total} ticked off",
                "Kindness day: {n} of {total} ticked off",
                ticked,
                total=listed,
            )
        )
    for act in entry.acts:
        lines.append(f"• {_quoted(act.text)}")
        if act.note:
            lines.append(f"   <i>{_quoted(act.note)}</i>")
    if entry.feeling is not None:
        lines.append(t("Feeling: {n} of 5", n=entry.feeling))
    if entry.received:
        lines.append(t("Kindness received or witnessed: {text}", text=_quoted(entry.received)))
    return "\n".join(lines)


def _clip_block(t: Translator, block: str, budget: int) -> str:
    """Drop whole lines from the end of a day too long for one page (tags stay balanced)."""
    more = t("… more of this day is in /export")
    lines = block.split("\n")
    while len(lines) > 1 and utf16_length("\n".join([*lines, more])) > budget:
        lines.pop()
    return "\n".join([*lines, more])


def page_text(t: Translator, blocks: Sequence[str]) -> str:
    """A page of day blocks under a heading; at most :data:`PAGE_BUDGET` long."""
    heading = t("<b>Your kindness journal</b>")
    budget = PAGE_BUDGET - utf16_length(heading) - 2
    shown: list[str] = []
    used = 0
    for block in blocks:
        cost = utf16_length(block) + 2
        if used + cost > budget:
            if not shown:
                shown.append(_clip_block(t, block, budget))
            break
        shown.append(block)
        used += cost
    return "\n\n".join([heading, *shown])


def fitting_days(t: Translator, days: Sequence[JournalDay], locale: str | None) -> int:
    """How many of ``days`` (in page order) fit on one page; at least one."""
    heading = utf16_length(t("<b>Your kindness journal</b>")) + 2
    used = heading
    count = 0
    for entry in days[:DAYS_PER_PAGE]:
        cost = utf16_length(day_block(t, entry, locale)) + 2
        if count and used + cost > PAGE_BUDGET:
            break
        used += cost
        count += 1
    return count


def page_rows(
    t: Translator, newest: date, oldest: date, *, has_newer: bool, has_older: bool
) -> Rows:
    """◀ older / newer ▶ buttons, each carrying the date it continues from."""
    row: list[tuple[str, str]] = []
    if has_older:
        row.append((t("◀ Older"), encode(Action.JOURNAL, oldest, Direction.OLDER)))
    if has_newer:
        row.append((t("Newer ▶"), encode(Action.JOURNAL, newest, Direction.NEWER)))
    return [row] if row else []


def empty_journal(t: Translator) -> str:
    """/journal before anything was logged: how to start."""
    return t(
        "Your journal is still a blank page, and that's a fine place to begin. "
        "When you do something kind, even something small for yourself, send /done "
        "with a few words, and it will appear here."
    )


def nothing_more(t: Translator) -> str:
    """A journal button whose page is now empty (entries erased, or a forged date)."""
    return t("Nothing more to show there. Send /journal to start from the newest day.")


def _page(t: Translator, locale: str | None, page: JournalPage) -> Screen:
    """As many of the page's days as fit, newest first, with buttons to the rest."""
    shown = sorted(page.days[: fitting_days(t, page.days, locale)], key=lambda d: d.day)
    shown.reverse()
    newest, oldest = shown[0].day, shown[-1].day
    text = page_text(t, [day_block(t, entry, locale) for entry in shown])
    rows = page_rows(
        t, newest, oldest, has_newer=page.latest > newest, has_older=page.earliest < oldest
    )
    return Screen(text=text, buttons=[list(row) for row in rows])


def render(t: Translator, locale: str | None, result: Result) -> Screen:
    """/journal's answer: a page, or a line on how to start."""
    if isinstance(result, JournalPage):
        return _page(t, locale, result)
    if result is JournalNote.EMPTY:
        return Screen(text=empty_journal(t))
    if result is JournalNote.NOTHING_MORE:
        return Screen(text=nothing_more(t))
    return Screen(text=texts.button_out_of_date(t))


def render_press(t: Translator, locale: str | None, result: Result) -> PressAnswer:
    """A page button's answer: the page in place; a short note for a malformed button."""
    if result is JournalNote.OUT_OF_DATE:
        return PressAnswer(note=texts.button_out_of_date(t))
    return PressAnswer(edit=render(t, locale, result))
