"""The act catalog loads, is varied, and refuses malformed files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.kindness.catalog import (
    DEFAULT_PATH,
    MAX_TEXT,
    MAX_TIP,
    Act,
    Catalog,
    CatalogError,
    Category,
    Cost,
    Effort,
    Place,
    Social,
    default_catalog,
    load_catalog,
)
from bot.ui.callbacks import MAX_BYTES, Action, encode
from bot.ui.daily import ACT_ACTIONS, check_act_buttons


def test_shipped_catalog_is_varied_and_valid() -> None:
    catalog = default_catalog()
    assert len(catalog.acts) >= 200
    assert {act.category for act in catalog.acts} == set(Category)
    assert catalog.get("thank_message") is not None
    assert catalog.get("nope") is None
    for category in Category:
        assert len(catalog.in_category(category)) >= 20, category


def test_shipped_catalog_covers_every_attribute() -> None:
    acts = default_catalog().acts
    assert {a.effort for a in acts} == set(Effort)
    assert {a.cost for a in acts} == set(Cost)
    assert {a.social for a in acts} == set(Social)
    assert set().union(*(a.places for a in acts)) == set(Place)
    # Enough one-minute and self-kindness acts for low-energy days, in every place.
    for place in Place:
        small = [a for a in acts if a.effort is Effort.MINUTE and place in a.places]
        assert len(small) >= 30, place
    assert len([a for a in acts if a.effort is Effort.MINUTE and a.cost is Cost.FREE]) >= 100


def test_shipped_file_states_every_attribute_of_every_act() -> None:
    raw = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert raw["version"] == 2
    keys = {"id", "text", "tip", "category", "effort", "cost", "social", "places"}
    for entry in raw["acts"]:
        assert set(entry) == keys, entry["id"]


def test_self_kindness_and_saying_no_kindly_are_real_acts() -> None:
    catalog = default_catalog()
    saying_no = [
        a
        for a in catalog.in_category(Category.SELF_KINDNESS)
        if any(w in a.text.lower() for w in ("say no", "decline", "cancel", "let me think"))
    ]
    assert len(saying_no) >= 3
    assert catalog.get("say_no_kindly") is not None


def test_texts_are_short_concrete_and_distinct() -> None:
    acts = default_catalog().acts
    assert len({a.text.lower() for a in acts}) == len(acts)
    for act in acts:
        assert len(act.text) <= MAX_TEXT
        assert len(act.tip) <= MAX_TIP
        assert act.text[0].isupper(), act.id
        assert act.text.endswith((".", "?")), act.id
        assert "!" not in act.text, act.id


def test_every_act_button_fits_telegrams_64_bytes() -> None:
    check_act_buttons(default_catalog())
    for act in default_catalog().acts:
        for action in ACT_ACTIONS:
            assert len(encode(action, date.max, act.id).encode()) <= MAX_BYTES


def test_startup_refuses_an_act_whose_button_would_not_fit() -> None:
    too_long = Act(id="x" * 60, text="T.", tip="t", category=Category.COURTESY, effort=Effort(1))
    with pytest.raises(ValueError, match=r"not allowed|64 bytes"):
        check_act_buttons(Catalog(acts=(too_long,)))
    assert Action.PICK in ACT_ACTIONS


def _write(tmp_path: Path, acts: Any) -> Path:
    path = tmp_path / "acts.json"
    path.write_text(json.dumps({"version": 1, "acts": acts}), encoding="utf-8")
    return path


GOOD = {"id": "a", "text": "T", "tip": "Tip", "category": "courtesy", "effort": 1}


@pytest.mark.parametrize(
    ("acts", "message"),
    [
        ([], "no acts"),
        ([{**GOOD, "category": "magic"}], "unknown category"),
        ([{**GOOD, "id": "Bad Id"}], "id"),
        ([{**GOOD, "effort": 7}], "effort"),
        ([{**GOOD, "effort": "day"}], "effort"),
        ([{**GOOD, "cost": "pricey"}], "unknown cost"),
        ([{**GOOD, "social": "crowd"}], "unknown social"),
        ([{**GOOD, "places": ["moon"]}], "unknown place"),
        ([{**GOOD, "places": []}], "places"),
        ([{**GOOD, "text": "x" * (MAX_TEXT + 1)}], "text is longer"),
        ([{**GOOD, "tip": "x" * (MAX_TIP + 1)}], "tip is longer"),
        ([{**GOOD, "tip": ""}], "tip"),
        ([GOOD, GOOD], "twice"),
        (["x"], "object"),
    ],
)
def test_malformed_catalogs_are_refused(tmp_path: Path, acts: Any, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        load_catalog(_write(tmp_path, acts))


def test_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "acts.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(path)


def test_version_1_files_still_load_with_defaults(tmp_path: Path) -> None:
    [act] = load_catalog(_write(tmp_path, [GOOD])).acts
    assert act.effort is Effort.MINUTE
    assert act.cost is Cost.FREE
    assert act.places == frozenset(Place)


def test_version_2_requires_every_attribute(tmp_path: Path) -> None:
    path = tmp_path / "acts.json"
    path.write_text(json.dumps({"version": 2, "acts": [GOOD]}), encoding="utf-8")
    with pytest.raises(CatalogError, match="'cost' is missing"):
        load_catalog(path)
    full = {**GOOD, "effort": "15min", "cost": "low", "social": "alone", "places": ["at_work"]}
    path.write_text(json.dumps({"version": 2, "acts": [full]}), encoding="utf-8")
    [act] = load_catalog(path).acts
    assert (act.effort, act.cost, act.social, act.places) == (
        Effort.QUARTER,
        Cost.LOW,
        Social.ALONE,
        frozenset({Place.AT_WORK}),
    )
