"""The translation layer: catalogs chosen by language code, English as the fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import i18n


def test_english_is_the_fallback() -> None:
    for code in (None, "", "en", "en-GB", "xx", "no-such-thing!"):
        t = i18n.translator_for(code)
        assert t.locale == "en"
        assert t("Hello, {name}.", name="Ana") == "Hello, Ana."


def test_plural_forms_in_english() -> None:
    t = i18n.translator_for("en")
    assert t.plural("{n} kind act", "{n} kind acts", 1) == "1 kind act"
    assert t.plural("{n} kind act", "{n} kind acts", 3) == "3 kind acts"


def test_a_catalog_on_disk_is_used_without_code_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = tmp_path / "de" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "kindling.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Hello, {name}."\nmsgstr "Hallo, {name}."\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n._load.cache_clear()
    try:
        assert i18n.translator_for("de-AT")("Hello, {name}.", name="Jo") == "Hallo, Jo."
        assert i18n.translator_for("de")("Untranslated") == "Untranslated"
        assert "de" in i18n.available_languages()
    finally:
        i18n._load.cache_clear()


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("de", "de"),
        ("DE", "de"),
        ("de-AT", "de"),
        ("pt", "pt_BR"),
        ("pt-br", "pt_BR"),
        ("pt-BR", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("pt-PT", "pt_BR"),
        ("es-419", "es"),
        ("en-GB", "en"),
        ("uk", "uk"),
        ("ar-EG", "ar"),
        ("zh-hant", None),
        ("sr-Latn", None),
        ("ja", None),
        ("xx", None),
        ("", None),
        (None, None),
        ("  ", None),
        ("d" * 500, None),
        ("de; DROP TABLE users", None),
        ("../../etc/passwd", None),
    ],
)
def test_telegram_language_codes_resolve_to_a_shipped_language(
    code: str | None, language: str | None
) -> None:
    assert i18n.resolve_language(code) == language


def test_right_to_left_fields_and_commands_are_isolated() -> None:
    arabic = i18n.translator_for("ar")
    assert arabic.rtl
    assert i18n.is_rtl("ar")
    assert not i18n.is_rtl("de")
    text = arabic("Logged: <i>{act}</i>", act="Call Mum")
    assert "\u2068Call Mum\u2069" in text
    assert text.count("<i>") == text.count("</i>") == 1
    assert i18n.isolate("/done") == "\u2068/done\u2069"
    german = i18n.translator_for("de")
    assert "\u2068" not in german("Logged: <i>{act}</i>", act="Call Mum")
