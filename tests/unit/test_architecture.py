"""The dependency direction of the layers, checked on the source (see conventions.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def sources(*parts: str) -> list[Path]:
    base = ROOT.joinpath(*parts)
    return sorted(base.rglob("*.py")) if base.is_dir() else [base] if base.exists() else []


def first_party(name: str) -> bool:
    return name.split(".")[0] in {"bot", "scheduler", "storage"}


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        (("storage",), ("telegram", "bot", "scheduler")),
        (("bot", "kindness"), ("telegram", "storage", "scheduler", "bot")),
        (("bot", "ui"), ("storage", "sqlmodel", "sqlalchemy")),
        (("bot", "services"), ("telegram",)),
        (("scheduler", "timing.py"), ("telegram", "storage", "bot", "scheduler")),
        (("scheduler", "clock.py"), ("telegram", "storage", "bot", "scheduler")),
    ],
)
def test_layer_does_not_import(layer: tuple[str, ...], forbidden: tuple[str, ...]) -> None:
    offenders = []
    for path in sources(*layer):
        for name in imported_modules(path):
            top = name.split(".")[0]
            own = ".".join(layer[:2]).removesuffix(".py")
            if top in forbidden and not name.startswith(own):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_handlers_do_not_touch_storage_directly() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sources("bot", "conversations")
        for name in imported_modules(path)
        if name.split(".")[0] in {"storage", "sqlmodel", "sqlalchemy"}
    ]
    assert offenders == []
