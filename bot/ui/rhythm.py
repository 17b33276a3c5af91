"""Texts and buttons of the rhythm screen and of a kindness day's list. Pure functions.

Renders the results of ``bot.services.rhythm`` (and the list of ``bot.services.daily_prompts``).
Weekday names come from Babel in the language of the sentence.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.i18n import Translator
from bot.kindness.rhythm import MOST_DAYS, weekdays_of
from bot.services.daily_prompts import ChecklistPrompt
from bot.services.rhythm import (
    MOST,
    OPEN,
    RhythmPicker,
    RhythmRefusal,
    RhythmSet,
    Ticked,
    save_arg,
    toggle_arg,
)
from bot.ui.callbacks import Action, Rows, encode
from bot.ui.screens import PressAnswer, Screen
from bot.ui.time_input import babel_locale

__all__ = [
    "checklist_rows",
    "checklist_text",
    "day_names",
    "open_rhythm_button",
    "picker_rows",
    "picker_text",
    "render_checklist",
    "render_choose_press",
    "render_tick_press",
    "rhythm_line",
]

TICKED = "✅"
OPEN_BOX = "▫️"


def day_names(t: Translator, weekdays: Sequence[int], *, short: bool = False) -> list[str]:
    """Weekday names (0 Monday) in the translator's language, wide or abbreviated."""
    names = babel_locale(t.locale).days["format"]["abbreviated" if short else "wide"]
    return [str(names[day]) for day in weekdays]


def _joined(t: Translator, mask: int) -> str:
    names = day_names(t, weekdays_of(mask))
    if len(names) == 1:
        return names[0]
    # Translators: two weekdays joined, like "Wednesday and Saturday".
    return t("{first} and {second}", first=names[0], second=names[1])


def rhythm_line(t: Translator, mask: int) -> str:
    """The rhythm in one line, for /settings."""
    if mask == MOST_DAYS:
        return t("Rhythm: a little most days")
    # Translators: {days} is one weekday or two ("Saturday", "Wednesday and Saturday").
    return t("Rhythm: kindness days ({days})", days=html.escape(_joined(t, mask)))


def open_rhythm_button(t: Translator, label: str | None = None) -> tuple[str, str]:
    """The button that opens the rhythm screen."""
    return (label or t("Rhythm"), encode(Action.RHYTHM, None, OPEN))


def picker_text(t: Translator, chosen: int, saved: int) -> str:
    """The rhythm screen: both rhythms, the research behind kindness days, what is chosen."""
    parts = [
        t("<b>Your rhythm</b>"),
        t(
            "<b>A little most days</b>: one small act a day, with ideas each morning and a "
            "check-in each evening. This is how Kindling starts."
        ),
        t(
            "<b>Kindness days</b>: one or two days a week, each with a short list of small "
            "acts to tick off during the day. The other days stay quiet, with at most an "
            "evening question about kindness you received or witnessed."
        ),
        t(
            "In one study, people who did five acts of kindness on one day each week grew "
            "happier over six weeks, more than people who spread the same acts across the "
            "week (Lyubomirsky, Sheldon and Schkade, 2005)."
        ),
    ]
    if saved == MOST_DAYS:
        parts.append(t("Now: a little most days."))
    else:
        parts.append(t("Now: kindness days on {days}.", days=html.escape(_joined(t, saved))))
    if chosen != saved or chosen == MOST_DAYS:
        parts.append(t("For kindness days, tap one or two days, then Save."))
    return "\n\n".join(parts)


def picker_rows(t: Translator, chosen: int, saved: int) -> Rows:
    """Most days; the seven weekdays (ticked when chosen); Save once one or two are chosen."""
    most = t("A little most days")
    rows: list[list[tuple[str, str]]] = [
        [(f"{TICKED} {most}" if saved == MOST_DAYS else most, encode(Action.RHYTHM, None, MOST))]
    ]
    names = day_names(t, range(7), short=True)
    days = [
        (
            f"{TICKED} {name}" if chosen >> day & 1 else name,
            encode(Action.RHYTHM, None, toggle_arg(chosen, day)),
        )
        for day, name in enumerate(names)
    ]
    rows.extend([days[:4], days[4:]])
    if chosen != MOST_DAYS and chosen != saved:
        rows.append([(t("Save kindness days"), encode(Action.RHYTHM, None, save_arg(chosen)))])
    return rows


def rhythm_set_text(t: Translator, result: RhythmSet) -> str:
    """After saving a rhythm."""
    if result.kindness_days == MOST_DAYS:
        return t("A little most days it is: ideas each morning, a check-in each evening.")
    parts = [
        t(
            "Your kindness days: {days}. On those mornings I'll send a short list of small "
            "acts to tick off as you go.",
            days=html.escape(_joined(t, result.kindness_days)),
        )
    ]
    if result.quiet_evenings:
        parts.append(
            t(
                "The other days stay quiet, with only an evening question about kindness you "
                "received or witnessed. You can turn that off in /settings."
            )
        )
    else:
        parts.append(t("The other days stay quiet."))
    if result.today:
        parts.append(t("Today is one of them: send /today for its list."))
    return "\n\n".join(parts)


def refusal_note(t: Translator, what: RhythmRefusal) -> str:
    """The short note answering a rhythm button that changes nothing."""
    if what is RhythmRefusal.TOO_MANY_DAYS:
        return t("One or two days, so each can stand out. Untick one first.")
    if what is RhythmRefusal.NO_DAYS:
        return t("Tap one or two days first.")
    return t("That button is out of date, so nothing changed.")


def render_choose_press(
    t: Translator, result: RhythmPicker | RhythmSet | RhythmRefusal
) -> PressAnswer:
    """A rhythm button: the screen (new when opened, else redrawn), the rhythm saved in its
    place, or a short note.
    """
    if isinstance(result, RhythmRefusal):
        return PressAnswer(note=refusal_note(t, result))
    if isinstance(result, RhythmSet):
        return PressAnswer(edit=Screen(text=rhythm_set_text(t, result)))
    screen = Screen(
        text=picker_text(t, result.chosen, result.saved),
        buttons=[list(row) for row in picker_rows(t, result.chosen, result.saved)],
    )
    return PressAnswer(send=[screen]) if result.opened else PressAnswer(edit=screen)


# --- a kindness day's list ----------------------------------------------------------------------


def checklist_text(t: Translator, prompt: ChecklistPrompt) -> str:
    """The list: a greeting, the acts with their ticks, and how far the day has come."""
    name = html.escape(prompt.first_name)
    if prompt.on_demand:
        greeting = t("Your kindness day, {name}.", name=name)
    else:
        greeting = t("Good morning, {name}. Today is your kindness day.", name=name)
    lines = [
        f"{TICKED if act.id in prompt.ticked else OPEN_BOX} {html.escape(t(act.text))}"
        for act in prompt.acts
    ]
    done = sum(1 for act in prompt.acts if act.id in prompt.ticked)
    if done == len(prompt.acts) and done:
        status = t("All done. What a kind day, and thank you.")
    elif done:
        status = t.plural(
            "{n} of {total} done. Small counts.",
            "{n} of {total} done. Small counts.",
            done,
            total=len(prompt.acts),
        )
    else:
        status = t(
            "Tick them off as you go, in any order. None has to be big, and if the day "
            "changes shape, that's fine too."
        )
    return "\n\n".join((greeting, "\n".join(lines), status))


def checklist_rows(t: Translator, prompt: ChecklistPrompt) -> Rows:
    """One button per act (tap to tick it off, or to take the tick back), and "Not today"."""
    rows: list[list[tuple[str, str]]] = [
        [
            (
                f"{TICKED if act.id in prompt.ticked else OPEN_BOX} {t(act.text)}",
                encode(Action.TICK, prompt.day, act.id),
            )
        ]
        for act in prompt.acts
    ]
    if not prompt.ticked:
        rows.append([(t("Not today"), encode(Action.NOT_TODAY, prompt.day))])
    return rows


def render_checklist(t: Translator, prompt: ChecklistPrompt) -> Screen:
    """A kindness day's list with its buttons."""
    return Screen(
        text=checklist_text(t, prompt),
        buttons=[list(row) for row in checklist_rows(t, prompt)],
    )


def render_tick_press(t: Translator, result: Ticked | RhythmRefusal) -> PressAnswer:
    """A tick: the list redrawn in place, with a short note."""
    if isinstance(result, RhythmRefusal):
        return PressAnswer(note=refusal_note(t, result))
    note = t("Ticked off. Lovely.") if result.done else t("Tick taken back.")
    return PressAnswer(note=note, edit=render_checklist(t, result.checklist))
