"""What "Choose someone" shows: the contact picker, then ideas for a message to that person.

The chosen person's name appears only in the message that shows it (Telegram keeps that
message; Kindling does not keep the name, see ``bot.services.someone``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.i18n import Translator
from bot.kindness.catalog import Act
from bot.services.someone import Ideas
from bot.ui.callbacks import Action, encode
from bot.ui.daily import act_label
from bot.ui.screens import Draft, Screen
from bot.ui.texts import shorten

__all__ = ["Picker", "ideas_screen", "picker"]

MAX_NAME: Final = 64
"""Characters of the chosen person's name shown (Telegram allows first names up to 64)."""


@dataclass(frozen=True)
class Picker:
    """The message with the contact picker: its text and the reply keyboard button's label."""

    text: str
    button: str
    placeholder: str


def picker(t: Translator) -> Picker:
    """Who to encourage, with the button that opens Telegram's contact picker."""
    return Picker(
        text="\n\n".join(
            (
                t("Who could you encourage today? Tap the button below to choose someone."),
                t(
                    "Kindling keeps neither their name nor their account: only that you chose "
                    "someone."
                ),
            )
        ),
        button=t("Choose from my contacts"),
        placeholder=t("Choose someone to encourage"),
    )


def ideas_screen(t: Translator, ideas: Ideas, name: str | None) -> Screen:
    """A few ways to encourage the person just chosen (``name``: None when not shared)."""
    if name and name.strip():
        shown = html.escape(shorten(name.strip(), MAX_NAME))
        heading = t("Ideas for a message to <b>{name}</b>:", name=shown)
    else:
        heading = t("Ideas for a message to them:")
    lines = [
        f"{number}. {html.escape(act_label(t, act))}" for number, act in enumerate(ideas.acts, 1)
    ]
    text = "\n\n".join(
        (
            heading,
            "\n".join(lines),
            t("Pick one, or open a ready note and send it yourself, as it is or in your words."),
        )
    )
    return Screen(
        text=text,
        buttons=[
            *_rows(t, ideas.day, ideas.acts),
            [(t("I'll write to them today"), encode(Action.SOMEONE_COMMIT, ideas.day))],
        ],
        draft=Draft(label=t("Open a ready note"), query=t("encourage")),
    )


def _rows(t: Translator, day: date, acts: tuple[Act, ...]) -> list[list[tuple[str, str]]]:
    return [
        [(f"{number}. {act_label(t, act)}", encode(Action.PICK, day, act.id))]
        for number, act in enumerate(acts, 1)
    ]
