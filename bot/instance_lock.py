"""One bot process per SQLite database: a second one is refused instead of double-sending."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from bot.config import ConfigError
from storage.engine import normalize_database_url, sqlite_file_path

__all__ = ["AlreadyRunning", "InstanceLock"]


class AlreadyRunning(ConfigError):
    """Another Kindling process holds this SQLite database."""


class InstanceLock:
    """An exclusive ``flock`` on ``<database file>.lock``, held while the bot runs.

    The kernel drops the lock when the process ends, however it ends (kill -9 included), so a
    crash never leaves a stale lock behind. PostgreSQL needs no lock: several instances share
    it safely (claims use ``FOR UPDATE SKIP LOCKED``).

    Args:
        database_url: The configured database URL.
    """

    def __init__(self, database_url: str) -> None:
        path = sqlite_file_path(normalize_database_url(database_url))
        self.path: Path | None = None if path is None else path.with_name(path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`AlreadyRunning` if another process has it."""
        if self.path is None or self._fd is not None:
            return
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            database = self.path.with_name(self.path.stem)
            raise AlreadyRunning(
                f"DATABASE_URL: another Kindling is already running on {database} (SQLite "
                "allows one instance; stop it, or use PostgreSQL to run several)"
            ) from None
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (idempotent)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
