"""The act catalog loads, is varied, and refuses malformed files."""

from __future__ import annotations

import json
from collections import Counter
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
    Recipient,
    Social,
    default_catalog,
    default_recipient,
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
    assert raw["version"] == 3
    keys = {"id", "text", "tip", "category", "effort", "cost", "social", "places", "recipient"}
    for entry in raw["acts"]:
        assert set(entry) == keys, entry["id"]


def test_shipped_catalog_is_for_everyone_and_most_of_all_close_ties() -> None:
    acts = default_catalog().acts
    counts = Counter(a.recipient for a in acts)
    assert set(counts) == set(Recipient)
    assert all(n >= 20 for n in counts.values()), counts
    assert counts.most_common(1)[0][0] is Recipient.CLOSE
    # Self-kindness is for yourself.
    assert all(a.recipient is Recipient.SELF for a in acts if a.category is Category.SELF_KINDNESS)
    # Every recipient has one-minute acts, so low-energy days rotate too.
    minute = {a.recipient for a in acts if a.effort is Effort.MINUTE}
    assert minute == set(Recipient)


def test_remembering_a_kindness_is_a_gentle_act_for_low_energy_days() -> None:
    act = default_catalog().get("remember_kindness")
    assert act == Act(
        id="remember_kindness",
        text="Remember a kindness someone once did for you.",
        tip="Who was it, and how did it feel? A minute of remembering is enough.",
        category=Category.SELF_KINDNESS,  # the category pick_acts offers first when low
        effort=Effort.MINUTE,
        cost=Cost.FREE,
        social=Social.ALONE,
        places=frozenset(Place),
        recipient=Recipient.SELF,
    )


def test_the_default_for_older_files_is_the_usual_recipient_of_shipped_acts() -> None:
    """What ``default_recipient`` guesses for a version 1 or 2 entry is, for each category
    (and, for gratitude, each social), the recipient most shipped acts of it state."""
    groups: dict[tuple[Category, Social], Counter[Recipient]] = {}
    for act in default_catalog().acts:
        social = act.social if act.category is Category.GRATITUDE else Social.REMOTE
        groups.setdefault((act.category, social), Counter())[act.recipient] += 1
    for (category, social), counts in groups.items():
        if category is Category.GRATITUDE and social is not Social.ALONE:
            continue  # in person and remote are one group below
        assert default_recipient(category, social) is counts.most_common(1)[0][0], category
    together = Counter[Recipient]()
    for social in (Social.REMOTE, Social.IN_PERSON):
        together.update(groups.get((Category.GRATITUDE, social), Counter()))
    assert (
        default_recipient(Category.GRATITUDE, Social.IN_PERSON) is (together.most_common(1)[0][0])
    )


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


def _write(tmp_path: Path, acts: Any, version: int = 1) -> Path:
    path = tmp_path / "acts.json"
    path.write_text(json.dumps({"version": version, "acts": acts}), encoding="utf-8")
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
        ([{**GOOD, "recipient": "everyone"}], "unknown recipient"),
        ([{**GOOD, "recipient": 3}], "unknown recipient"),
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


FULL_V2 = {**GOOD, "cost": "free", "social": "alone", "places": ["at_home"]}


def test_version_1_and_2_files_still_load_with_a_derived_recipient(tmp_path: Path) -> None:
    [courtesy] = load_catalog(_write(tmp_path, [GOOD])).acts
    assert courtesy.recipient is Recipient.STRANGER
    acts = [
        {**FULL_V2, "id": "a", "category": "self_kindness"},
        {**FULL_V2, "id": "b", "category": "gratitude"},
        {**FULL_V2, "id": "c", "category": "gratitude", "social": "in_person"},
        {**FULL_V2, "id": "d", "category": "reach_out", "social": "remote"},
        {**FULL_V2, "id": "e", "category": "community"},
        {**FULL_V2, "id": "f", "recipient": "close"},  # stated: kept, even in version 2
    ]
    loaded = load_catalog(_write(tmp_path, acts, version=2))
    assert [a.recipient for a in loaded.acts] == [
        Recipient.SELF,
        Recipient.SELF,
        Recipient.ACQUAINTANCE,
        Recipient.CLOSE,
        Recipient.COMMUNITY,
        Recipient.CLOSE,
    ]


def test_version_3_requires_a_recipient(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="'recipient' is missing"):
        load_catalog(_write(tmp_path, [FULL_V2], version=3))
    with pytest.raises(CatalogError, match="'cost' is missing"):
        load_catalog(_write(tmp_path, [{**GOOD, "recipient": "self"}], version=3))
    [act] = load_catalog(_write(tmp_path, [{**FULL_V2, "recipient": "community"}], 3)).acts
    assert act.recipient is Recipient.COMMUNITY


def test_unknown_versions_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="unknown version 4"):
        load_catalog(_write(tmp_path, [FULL_V2], version=4))


def test_a_catalog_looked_up_in_still_equals_a_fresh_one() -> None:
    """The lookup table is cached on the (frozen) catalog without becoming part of it."""
    catalog = Catalog(acts=default_catalog().acts[:2])
    assert catalog.get(catalog.acts[1].id) is catalog.acts[1]
    assert catalog.get("nope") is None
    assert catalog == Catalog(acts=default_catalog().acts[:2])
    assert hash(catalog) == hash(Catalog(acts=default_catalog().acts[:2]))
