"""The dependency direction of the layers, checked on the source (see conventions.md).

``conversations`` -> ``services`` -> ``storage`` and ``bot.kindness``; ``bot.ui`` renders what
services return; ``scheduler`` knows nothing of the bot. Relative imports count like absolute
ones, and an import inside a function counts like one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, text: str | None = None) -> set[str]:
    """Every module ``path`` imports (or ``text``, as if it were ``path``'s source), relative
    imports resolved against its package."""
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            # `from bot import ui` imports the module bot.ui.
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def sources(*parts: str) -> list[Path]:
    base = ROOT.joinpath(*parts)
    return sorted(base.rglob("*.py")) if base.is_dir() else [base] if base.exists() else []


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


LAYERS = [
    # (the layer, what it must not import, what it may import despite that)
    (("storage",), ("telegram", "bot", "scheduler"), ()),
    (("bot", "kindness"), ("telegram", "storage", "scheduler", "bot"), ("bot.kindness",)),
    (("bot", "ui"), ("storage", "sqlmodel", "sqlalchemy", "scheduler", "telegram.ext"), ()),
    (
        ("bot", "services"),
        ("telegram", "bot.ui", "bot.conversations", "sqlalchemy", "sqlmodel"),
        # The session type, in signatures; queries themselves live in storage.
        ("sqlmodel.ext.asyncio.session",),
    ),
    (("bot", "conversations"), ("storage", "sqlmodel", "sqlalchemy", "scheduler.ledger"), ()),
    (("scheduler",), ("bot",), ()),
    (("scheduler", "timing.py"), ("telegram", "storage", "bot", "scheduler"), ()),
    (("scheduler", "clock.py"), ("telegram", "storage", "bot", "scheduler"), ()),
]


def offenders_of(
    layer: tuple[str, ...], forbidden: tuple[str, ...], allowed: tuple[str, ...]
) -> dict[str, set[str]]:
    """Per source file of ``layer``, the forbidden modules it imports."""
    found: dict[str, set[str]] = {}
    for path in sources(*layer):
        for name in imported_modules(path):
            if any(_matches(name, a) for a in allowed):
                continue
            if any(_matches(name, f) for f in forbidden):
                found.setdefault(str(path.relative_to(ROOT)), set()).add(name)
    return found


@pytest.mark.parametrize(("layer", "forbidden", "allowed"), LAYERS, ids=lambda v: str(v))
def test_layer_does_not_import(
    layer: tuple[str, ...], forbidden: tuple[str, ...], allowed: tuple[str, ...]
) -> None:
    offenders = offenders_of(layer, forbidden, allowed)
    assert offenders == {}


def test_relative_imports_are_seen() -> None:
    """The checker itself: a relative import resolves to the module it names."""
    path = ROOT / "bot" / "services" / "example.py"
    names = imported_modules(path, "from ..ui import daily\nfrom . import unit\n")
    assert {"bot.ui", "bot.ui.daily", "bot.services.unit"} <= names
