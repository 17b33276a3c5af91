"""normalize_database_url: what DATABASE_URL may look like."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.engine import normalize_database_url, sqlite_file_path


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/kindling.db", "sqlite+aiosqlite:///data/kindling.db"),
        ("sqlite:////var/lib/kindling/k.db", "sqlite+aiosqlite:////var/lib/kindling/k.db"),
        ("sqlite+aiosqlite:///k.db", "sqlite+aiosqlite:///k.db"),
        ("sqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
        ("  sqlite:///k.db\n", "sqlite+aiosqlite:///k.db"),
        ("postgresql://u:p@db:5432/kindling", "postgresql+asyncpg://u:p@db:5432/kindling"),
        ("postgres://u:p@db/kindling", "postgresql+asyncpg://u:p@db/kindling"),
        ("postgresql+psycopg://u@db/kindling", "postgresql+asyncpg://u@db/kindling"),
        ("postgresql+asyncpg://u@db/kindling", "postgresql+asyncpg://u@db/kindling"),
        ("postgresql://u:p%40ss@db/kindling", "postgresql+asyncpg://u:p%40ss@db/kindling"),
        (
            "postgresql://u@db/kindling?sslmode=require",
            "postgresql+asyncpg://u@db/kindling?ssl=require",
        ),
    ],
)
def test_normalizes(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("mysql://u:hunter2@db/kindling", "unsupported database URL scheme 'mysql'"),
        ("oracle+cx_oracle://u:hunter2@db/x", "unsupported"),
        ("not a url", "could not be parsed"),
        ("kindling.db", "could not be parsed"),
        ("postgresql://u:hunter2@db", "names no database"),
        ("sqlite://user:hunter2@host/k.db", "no host or user"),
    ],
)
def test_rejects_with_clear_message_without_password(given: str, fragment: str) -> None:
    with pytest.raises(ValueError) as caught:  # noqa: PT011
        normalize_database_url(given)
    message = str(caught.value)
    assert fragment in message
    assert "hunter2" not in message
    assert "sqlite:///" in message or "postgresql://" in message


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/k.db", Path("data/k.db")),
        ("sqlite+aiosqlite:////abs/k.db", Path("/abs/k.db")),
        ("sqlite:///:memory:", None),
        ("sqlite://", None),
        ("sqlite:///file:mem?mode=memory&uri=true", None),
        ("postgresql://u@h/db", None),
    ],
)
def test_sqlite_file_path(given: str, expected: Path | None) -> None:
    assert sqlite_file_path(given) == expected
