"""A catalog dropped in place translates the daily loop, buttons and acts included.

Also checks that every message of the conversation layers can be extracted for translators
(all of them are literal ``t("...")`` calls).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract, extract_from_dir

from bot import i18n
from bot.kindness.catalog import default_catalog
from tests.fakes.harness import Harness

ROOT = Path(__file__).resolve().parents[2]

GERMAN = {
    "First, so I write at sensible hours: where are you?": "Zuerst: Wo bist du?",
    "Share my location": "Meinen Standort teilen",
    "Sounds good": "Passt",
    "Other ideas": "Andere Ideen",
}


def _po(entries: dict[str, str]) -> str:
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    body = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in entries.items())
    return header + body


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "kindling.po").write_text(_po(GERMAN), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n._load.cache_clear()
    yield
    i18n._load.cache_clear()


@pytest.mark.usefixtures("german")
async def test_the_daily_loop_speaks_the_catalog(bot: Harness) -> None:
    lena = bot.person("Lena", language_code="de")
    await bot.say(lena, "/start")
    assert "Zuerst: Wo bist du?" in (lena.last_message.text or "")
    assert lena.reply_keyboard == [["Meinen Standort teilen"]]
    await bot.say(lena, "Berlin")
    await bot.press(lena, "Passt")
    assert ["Andere Ideen", "My own idea"] in lena.last_message.buttons


def test_every_message_is_extractable() -> None:
    found = {
        message
        for folder in ("bot/ui", "bot/services", "bot/conversations", "bot/app.py")
        for _, _, message, *_ in _extract(ROOT / folder)
    }
    for needle in ("Sounds good", "Who could you encourage today?", "Already saved."):
        assert needle in found
    assert len(found) > 120


def test_acts_are_translation_keys() -> None:
    # Acts are translated with t(act.text) and t(act.tip): the English text is the key.
    catalog = default_catalog()
    assert len({act.text for act in catalog.acts}) == len(catalog.acts)


def _extract(path: Path) -> Iterator[tuple[object, ...]]:
    if path.is_file():
        with path.open("rb") as source:
            for lineno, message, comments, context in extract(
                "python", source, keywords={"t": None}
            ):
                yield path.name, lineno, message, comments, context
        return
    yield from extract_from_dir(str(path), method_map=[("**.py", "python")], keywords={"t": None})
