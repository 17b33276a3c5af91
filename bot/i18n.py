"""The one translation layer: gettext catalogs (Babel .po files) chosen by language code.

Messages are written in English in the code, so English needs no catalog and is always the
fallback. A language is added by dropping ``locales/<lang>/LC_MESSAGES/kindling.po`` in place;
no handler changes. Catalogs are compiled in memory at first use, so there is no build step.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "kindling"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Translator:
    """Translates and fills in one person's messages.

    Call it with the English message and named fields: ``t("Hello, {name}.", name=name)``.
    """

    locale: str
    catalog: gettext.NullTranslations

    def __call__(self, message: str, /, **fields: object) -> str:
        """Translate ``message`` and substitute ``{field}`` placeholders."""
        text = self.catalog.gettext(message)
        return text.format(**fields) if fields else text

    def plural(self, singular: str, plural: str, n: int, /, **fields: object) -> str:
        """Translate a message whose form depends on ``n`` (available as ``{n}``)."""
        return self.catalog.ngettext(singular, plural, n).format(n=n, **fields)


def available_languages() -> list[str]:
    """Languages with a catalog on disk, plus English."""
    found = {FALLBACK_LANGUAGE}
    if LOCALES_DIR.is_dir():
        found.update(p.name for p in LOCALES_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())
    return sorted(found)


def translator_for(language_code: str | None) -> Translator:
    """The translator for a Telegram ``language_code`` such as ``"de"`` or ``"pt-br"``."""
    for candidate in _candidates(language_code):
        translator = _load(candidate)
        if translator is not None:
            return translator
    return _english()


def _candidates(language_code: str | None) -> list[str]:
    if not language_code:
        return []
    try:
        locale = Locale.parse(language_code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return []
    full = str(locale)
    return [full, locale.language] if full != locale.language else [full]


@lru_cache(maxsize=64)
def _load(locale: str) -> Translator | None:
    if locale == FALLBACK_LANGUAGE:
        return _english()
    po_file = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_file.is_file():
        return None
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    return Translator(locale=locale, catalog=translations)


@lru_cache(maxsize=1)
def _english() -> Translator:
    return Translator(locale=FALLBACK_LANGUAGE, catalog=gettext.NullTranslations())
