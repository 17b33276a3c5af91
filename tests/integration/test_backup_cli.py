"""`kindling backup FILE` and `kindling restore FILE`: one line each, exit 2 when refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bot.cli import main
from bot.instance_lock import InstanceLock
from storage.backup import backup, restore
from storage.engine import Database
from storage.migrate import alembic_config


@pytest.fixture
def database(sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated SQLite database as DATABASE_URL, run from a folder without a .env."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url.replace("+aiosqlite", ""))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return Path(sqlite_db.url.split("///", 1)[1])


def test_backup_prints_one_line_and_exits_0(database: Path, tmp_path: Path, capsys) -> None:
    assert main(["backup", str(tmp_path / "b.db")]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    head = ScriptDirectory.from_config(alembic_config("sqlite:///:memory:")).get_current_head()
    assert out.startswith(f"kindling: backed up to {tmp_path / 'b.db'} (schema revision {head},")
    assert out.count("\n") == 1


def test_restore_is_refused_while_a_bot_holds_the_database(
    database: Path, tmp_path: Path, capsys
) -> None:
    backup(f"sqlite:///{database}", tmp_path / "b.db")
    before = database.read_bytes()
    running = InstanceLock(f"sqlite:///{database}")
    running.acquire()  # what a running bot holds
    try:
        assert main(["restore", str(tmp_path / "b.db")]) == 2
    finally:
        running.release()
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "kindling: a running Kindling holds this database; stop it, then restore; "
        "nothing was changed\n"
    )
    assert database.read_bytes() == before
    # Once it has stopped, the same restore goes through.
    assert main(["restore", str(tmp_path / "b.db")]) == 0
    assert "kindling: restored" in capsys.readouterr().out


def test_restore_holds_the_lock_so_no_bot_starts_meanwhile(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup(f"sqlite:///{database}", tmp_path / "b.db")
    seen: list[bool] = []

    def restore_while_watching(url: str, source: Path):
        bot = InstanceLock(url)
        try:
            bot.acquire()
        except Exception:
            seen.append(True)
        else:
            bot.release()
            seen.append(False)
        return restore(url, source)

    monkeypatch.setattr("bot.cli.restore", restore_while_watching)
    assert main(["restore", str(tmp_path / "b.db")]) == 0
    assert seen == [True]


@pytest.mark.parametrize(
    "argv",
    [["restore", "{tmp}/notes.txt"], ["backup", "{tmp}/nowhere/b.db"], ["restore", "{tmp}"]],
)
def test_bad_input_is_one_line_and_exit_2(
    database: Path, tmp_path: Path, capsys, argv: list[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not a database")
    before = database.read_bytes()
    assert main([a.format(tmp=tmp_path) for a in argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("kindling: ")
    assert err.endswith("; nothing was changed\n")
    assert err.count("\n") == 1
    assert database.read_bytes() == before


def test_backup_and_restore_need_a_file(database: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["backup"])
    assert exited.value.code == 2
    assert "FILE goes with backup and restore only" in capsys.readouterr().err


def test_postgres_backup_without_pg_dump_says_how_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://kindling:s3cret@db.example:5432/kindling")
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump here
    assert main(["backup", str(tmp_path / "k.dump")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("kindling: pg_dump is not on PATH; run it where")
    assert "pg_dump --format=custom --file=" in err
    assert "postgresql://kindling@db.example:5432/kindling" in err
    assert "s3cret" not in err
    assert list(tmp_path.iterdir()) == []


def test_the_installed_command_exits_2_without_a_traceback(database: Path, tmp_path: Path):
    kindling = shutil.which("kindling", path=str(Path(sys.executable).parent))
    assert kindling is not None
    (tmp_path / "future.txt").write_text("SQLite? no")
    done = subprocess.run(
        [kindling, "restore", str(tmp_path / "future.txt")],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
