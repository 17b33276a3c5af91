"""The crisis screen in every language: each language's true set matches, its false-alarm set
does not, and every list is screened whatever the person's language (so one language's
phrases must not fire on another's everyday sentences)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.kindness.crisis import is_crisis, normalize
from bot.kindness.lexicon import lexicons

SETS = Path(__file__).parent / "crisis_sets"
LANGUAGES = [code for code in lexicons() if code != "en"]


def _set(code: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads((SETS / f"{code}.json").read_text(encoding="utf-8"))
    return data


def _cases(kind: str) -> list[tuple[str, str]]:
    return [
        (path.stem, text) for path in sorted(SETS.glob("*.json")) for text in _set(path.stem)[kind]
    ]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_has_lists_and_sets_of_the_size_the_issue_asks(code: str) -> None:
    lexicon = lexicons()[code]
    assert len(lexicon.crisis_phrases) >= 20
    assert len(lexicon.crisis_idioms) >= 5
    cases = _set(code)
    assert len(cases["crisis"]) >= 20
    assert len(cases["not_crisis"]) >= 10


@pytest.mark.parametrize(("code", "text"), _cases("crisis"))
def test_crisis_language_is_recognised(code: str, text: str) -> None:
    assert is_crisis(text), (code, text)


@pytest.mark.parametrize(("code", "text"), _cases("not_crisis"))
def test_everyday_speech_is_not_crisis(code: str, text: str) -> None:
    assert not is_crisis(text), (code, text)


@pytest.mark.parametrize("code", list(lexicons()))
def test_every_phrase_matches_alone_and_no_idiom_does(code: str) -> None:
    lexicon = lexicons()[code]
    assert [p for p in lexicon.crisis_phrases if not is_crisis(p.upper())] == []
    assert [i for i in lexicon.crisis_idioms if is_crisis(i)] == []
    assert [p for p in lexicon.crisis_phrases if not normalize(p)] == []


@pytest.mark.parametrize(
    "text",
    [
        "Ich will nicht mehr leben",
        "ya no quiero vivir",
        "não quero mais viver",
        "je veux mourir",
    ],
)
def test_the_sentences_of_the_issue_are_recognised(text: str) -> None:
    assert is_crisis(text)
