"""The language picker: /language and the Language button of /settings. Pure functions."""

from __future__ import annotations

from bot.i18n import Translator


def picker(t: Translator) -> str:
    """Above the language buttons."""
    return t("Which language should I write in? You can change it any time in /settings.")


def language_set(t: Translator, name: str) -> str:
    """After a choice, in the chosen language (``name`` is the language's own name)."""
    return t("From now on I'll write in {language}.", language=name)


def unknown_language(t: Translator) -> str:
    """``/language xx`` for a language Kindling does not have; the buttons follow."""
    return t("I don't know that language yet. These are the ones I can write in:")


def settings_line(t: Translator, name: str) -> str:
    """The language row of the /settings summary."""
    return t("Language: {language}", language=name)


def button(t: Translator) -> str:
    """The /settings button that opens the picker."""
    return t("Language")
