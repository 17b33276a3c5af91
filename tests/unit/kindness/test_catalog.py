"""The act catalog loads, is varied, and refuses malformed files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.kindness.catalog import CatalogError, Category, default_catalog, load_catalog


def test_shipped_catalog_is_varied_and_valid() -> None:
    catalog = default_catalog()
    assert len(catalog.acts) >= 40
    assert {act.category for act in catalog.acts} == set(Category)
    assert catalog.get("thank_message") is not None
    assert catalog.get("nope") is None
    assert len(catalog.in_category(Category.SELF_KINDNESS)) >= 3


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
