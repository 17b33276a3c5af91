"""The one translation layer: gettext catalogs (Babel .po files) chosen by language code.

Messages are written in English in the code, so English needs no catalog and is always the
fallback. A language is a compiled catalog in ``locales/<lang>/LC_MESSAGES/kindling.mo``
(``make i18n`` writes it from the translators' ``.po``; both ship in the package) plus its
lexicon in ``bot/content/languages/`` (docs/translating.md). A ``.po`` without its ``.mo`` is
compiled in memory, so a catalog dropped in place works before any build step.

Right-to-left languages: every inserted field and every ``/command`` is wrapped in Unicode
first-strong isolates (U+2068 ... U+2069), so a time, a number or a quoted act name keeps its
own direction without reordering the sentence around it.
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "kindling"
FALLBACK_LANGUAGE = "en"
MAX_CODE_LENGTH: Final = 35  # the users.language_code column; Telegram's are far shorter
ISOLATE_START: Final = "\u2068"  # FIRST STRONG ISOLATE
ISOLATE_END: Final = "\u2069"  # POP DIRECTIONAL ISOLATE
_COMMAND: Final = re.compile(r"(?<![\w/<])/[a-z_]+")


@dataclass(frozen=True)
class Translator:
    """Translates and fills in one person's messages.

    Call it with the English message and named fields: ``t("Hello, {name}.", name=name)``.
    """

    locale: str
    catalog: gettext.NullTranslations
    rtl: bool = False

    def __call__(self, message: str, /, **fields: object) -> str:
        """Translate ``message`` and substitute ``{field}`` placeholders."""
        return self._fill(self.catalog.gettext(message), fields)

    def plural(self, singular: str, plural: str, n: int, /, **fields: object) -> str:
        """Translate a message whose form depends on ``n`` (available as ``{n}``)."""
        return self._fill(self.catalog.ngettext(singular, plural, n), {"n": n, **fields})

    def _fill(self, text: str, fields: dict[str, object]) -> str:
        if not self.rtl:
            return text.format(**fields) if fields else text
        text = _COMMAND.sub(lambda m: isolate(m.group(0)), text)
        return text.format(**{key: isolate(str(value)) for key, value in fields.items()})


def isolate(text: str) -> str:
    """``text`` as a direction isolate, for left-to-right insertions in right-to-left text."""
    return f"{ISOLATE_START}{text}{ISOLATE_END}"


def available_languages() -> list[str]:
    """Languages with a catalog on disk, plus English."""
    return list(_available(LOCALES_DIR))


@lru_cache(maxsize=4)
def _available(folder: Path) -> tuple[str, ...]:
    found = {FALLBACK_LANGUAGE}
    if folder.is_dir():
        found.update(p.name for p in folder.iterdir() if (p / "LC_MESSAGES").is_dir())
    return tuple(sorted(found))


# A BCP 47 / POSIX-looking tag ("de", "pt-BR", "zh_Hant_TW"); anything else names no language.
_LANGUAGE_TAG: Final = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def resolve_language(code: str | None) -> str | None:
    """The shipped language for a Telegram ``language_code`` or a person's choice.

    Regional and script variants fall back to the language (``"es-419"`` -> ``"es"``), and a
    language shipped only with a region answers for all of it (``"pt"``, ``"pt-br"``,
    ``"pt-PT"`` -> ``"pt_BR"``).

    Args:
        code: ``"de"``, ``"pt-br"``, ``"pt_BR"``, ``"zh-hant"``, anything a person typed.

    Returns:
        One of :func:`available_languages`, or None when ``code`` names none of them.
    """
    if not code or len(code) > MAX_CODE_LENGTH or not _LANGUAGE_TAG.fullmatch(code.strip()):
        return None
    return _resolve(code, LOCALES_DIR)


@lru_cache(maxsize=256)  # per prompt and reply: Locale.parse is the costly part
def _resolve(code: str, folder: Path) -> str | None:
    try:
        locale = Locale.parse(code.strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    shipped = _available(folder)
    for candidate in (str(locale), locale.language):
        if candidate in shipped:
            return candidate
    regional = [lang for lang in shipped if lang.split("_")[0] == locale.language]
    return regional[0] if regional else None


def translator_for(language_code: str | None) -> Translator:
    """The translator for a Telegram ``language_code`` such as ``"de"`` or ``"pt-br"``."""
    language = resolve_language(language_code)
    if language is None or language == FALLBACK_LANGUAGE:
        return _english()
    return _load(language) or _english()


def is_rtl(language: str) -> bool:
    """Whether ``language`` (a shipped code) is written right to left."""
    try:
        return bool(Locale.parse(language).character_order == "right-to-left")
    except (ValueError, UnknownLocaleError):
        return False


@lru_cache(maxsize=64)
def _load(locale: str) -> Translator | None:
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    mo_file = folder / f"{DOMAIN}.mo"
    po_file = folder / f"{DOMAIN}.po"
    if mo_file.is_file():
        with mo_file.open("rb") as source:
            translations = gettext.GNUTranslations(source)
    elif po_file.is_file():
        with po_file.open("rb") as source:
            catalog = read_po(source, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        translations = gettext.GNUTranslations(buffer)
    else:
        return None
    return Translator(locale=locale, catalog=translations, rtl=is_rtl(locale))


@lru_cache(maxsize=1)
def _english() -> Translator:
    return Translator(locale=FALLBACK_LANGUAGE, catalog=gettext.NullTranslations())
