"""The language picker: /language and the Language button of /settings. Pure functions.

``render_*`` turn a :class:`bot.services.language.LanguageChoice` into what is shown.
"""

from __future__ import annotations

from bot.i18n import Translator, available_languages, resolve_language
from bot.kindness.lexicon import language_name
from bot.services.language import LanguageChoice, Result
from bot.ui import texts
from bot.ui.callbacks import Action, Rows, encode
from bot.ui.screens import PressAnswer, Screen

CURRENT_MARK = "✓ "


def picker(t: Translator) -> str:
    """Above the language buttons."""
    return t("Which language should I write in? You can change it any time in /settings.")


def rows(current: str | None) -> Rows:
    """One button per shipped language, in its own name, two a row; the current one ticked."""
    selected = resolve_language(current) or "en"
    buttons = [
        (f"{CURRENT_MARK if code == selected else ''}{language_name(code)}", code)
        for code in available_languages()
    ]
    buttons.sort(key=lambda item: (item[1] != "en", item[0].removeprefix(CURRENT_MARK)))
    labelled = [(label, encode(Action.LANGUAGE, None, code)) for label, code in buttons]
    return [labelled[i : i + 2] for i in range(0, len(labelled), 2)]


def language_set(t: Translator, name: str) -> str:
    """After a choice, in the chosen language (``name`` is the language's own name)."""
    return t("From now on I'll write in {language}.", language=name)


def unknown_language(t: Translator) -> str:
    """``/language xx`` for a language Kindling does not have; the buttons follow."""
    return t("I don't know that language yet. These are the ones I can write in:")


def render_language(t: Translator, choice: LanguageChoice) -> Screen:
    """/language: the choice confirmed in the new language, or the picker's buttons."""
    if choice.result is Result.SET:
        return Screen(text=language_set(t, language_name(choice.language)))
    text = unknown_language(t) if choice.result is Result.UNKNOWN else picker(t)
    return Screen(text=text, buttons=[list(row) for row in rows(choice.language)])


def render_language_press(t: Translator, choice: LanguageChoice) -> PressAnswer:
    """A language button: the confirmation in place of the picker (a button for a language
    Kindling no longer has changes nothing).
    """
    if choice.result is not Result.SET:
        return PressAnswer(note=texts.button_out_of_date(t))
    return PressAnswer(edit=render_language(t, choice))
