"""Every shipped catalog is complete, faithful to its source and within Telegram's limits.

A catalog fails here when an entry is untranslated, fuzzy or obsolete; when a translation's
placeholders or HTML tags differ from the English; when it would make a button or message
too long; when it uses a phrase the tone rules ban in that language; or when its compiled
``.mo`` (what ships) disagrees with the ``.po`` (what translators edit).
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot import i18n
from bot.kindness.catalog import MAX_TEXT, MAX_TIP, default_catalog
from bot.kindness.lexicon import lexicons
from bot.ui import variants

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = [code for code in i18n.available_languages() if code != i18n.FALLBACK_LANGUAGE]
MAX_ENTRY = 560  # characters of one translated piece; a message holds several, Telegram 4096
MAX_VARIANT = 130
SHORT_SOURCE = 30  # sources this short are labels and buttons...
MAX_SHORT = 40  # ...and stay short enough to read on a phone's button
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TAG = re.compile(r"</?[a-z]+(?:\s[^>]*)?>")


@cache
def _catalog(code: str) -> Catalog:
    path = i18n.LOCALES_DIR / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as source:
        return read_po(source, locale=code)


def _entries(code: str) -> Iterator[tuple[Message, str, list[str]]]:
    for message in _catalog(code):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[-1]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        yield message, source, [str(form) for form in forms]


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords={"t": None, "plural": (1, 2)},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _variant_sources() -> set[str]:
    t = i18n.translator_for(None)
    lists = (
        variants.openers,
        variants.evening_openers,
        variants.celebrations,
        variants.not_today_replies,
        variants.goodnights,
        variants.tiny_self_kindness,
    )
    return {text for make in lists for text in make(t)}


def _emoji(text: str) -> int:
    return sum(1 for c in text if ord(c) >= 0x1F000 or 0x2600 <= ord(c) < 0x2800)


def test_ten_languages_ship_besides_english() -> None:
    assert set(LANGUAGES) == {"ar", "de", "es", "fr", "id", "it", "pt_BR", "ru", "tr", "uk"}
    assert set(lexicons()) == {*LANGUAGES, "en"}


def test_the_template_holds_every_message_of_the_code() -> None:
    with (i18n.LOCALES_DIR / "kindling.pot").open("rb") as source:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}
    assert _extracted() == template, "run `make i18n`"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_entry_is_translated_and_current(code: str) -> None:
    with (i18n.LOCALES_DIR / "kindling.pot").open("rb") as source:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}
    catalog = _catalog(code)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert ids == template, "run `make i18n`"
    assert [m.id for m in catalog.obsolete.values()] == []
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    untranslated = [source for _, source, forms in _entries(code) if not all(forms)]
    assert untranslated == []
    nplurals = catalog.num_plurals
    wrong_forms = [
        m.id for m in catalog if m.id and m.pluralizable and len(m.string or ()) != nplurals
    ]
    assert wrong_forms == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_placeholders_and_tags_match_the_source(code: str) -> None:
    wrong = []
    for message, source, forms in _entries(code):
        wanted = set(_PLACEHOLDER.findall(source))
        tags = Counter(_TAG.findall(source))
        for form in forms:
            found = set(_PLACEHOLDER.findall(form))
            # A plural form may leave out the number ("one day" in words), nothing else.
            missing = wanted - found - ({"n"} if message.pluralizable else set())
            if missing or found - wanted or Counter(_TAG.findall(form)) != tags:
                wrong.append((source, form))
    assert wrong == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_fit_buttons_and_messages(code: str) -> None:
    acts = default_catalog().acts
    texts = {act.text for act in acts}
    tips = {act.tip for act in acts}
    lines = _variant_sources()
    too_long = []
    for _, source, forms in _entries(code):
        limit = MAX_ENTRY
        if source in texts:
            limit = MAX_TEXT
        elif source in tips:
            limit = MAX_TIP
        elif source in lines:
            limit = MAX_VARIANT
        elif len(source) <= SHORT_SOURCE:
            limit = MAX_SHORT
        too_long += [(source, form) for form in forms if len(form) > limit]
    assert too_long == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_exclamation_storms_or_emoji_piles(code: str) -> None:
    piles = [
        form
        for _, source, forms in _entries(code)
        for form in forms
        if "!!" in form or _emoji(form) > max(1, _emoji(source))
    ]
    assert piles == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_tone_rules_hold_in_every_language(code: str) -> None:
    banned = lexicons()[code].tone_banned
    assert len(banned) >= 8
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, banned)) + r")(?!\w)")
    offenders = [
        form for _, _, forms in _entries(code) for form in forms if pattern.search(form.casefold())
    ]
    assert offenders == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_catalog_is_what_the_po_says(code: str) -> None:
    mo = i18n.LOCALES_DIR / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    with mo.open("rb") as source:
        compiled = gettext.GNUTranslations(source)
    stale = []
    for message, _, forms in _entries(code):
        if message.pluralizable:
            got = [compiled.ngettext(message.id[0], message.id[1], n) for n in range(12)]
            if not set(got) <= set(forms):
                stale.append(message.id[0])
        elif compiled.gettext(str(message.id)) != forms[0]:
            stale.append(str(message.id))
    assert stale == [], "run `make i18n`"
