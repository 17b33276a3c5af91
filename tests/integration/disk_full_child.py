"""Run by ``test_db_faults.py`` as a subprocess: a person talks while no file can grow.

``RLIMIT_FSIZE`` applies to the whole process, so this runs apart from pytest. The limit is
set to 0 bytes with SIGXFSZ ignored, so every write to a regular file fails with EFBIG
wherever it lands in the file (SQLite reuses the start of its WAL after a checkpoint, so a
limit at the current size would let some writes through). Prints one JSON object.

Usage: ``python -m tests.integration.disk_full_child <sqlite url>``
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

from storage.availability import DatabaseOutage
from storage.engine import Database, sqlite_file_path
from tests.fakes.harness import running_bot
from tests.flows.helpers import onboarded

ACT = "Helped a neighbour with her shopping"


def table_rows(path: Path) -> dict[str, list[list[str]]]:
    """Every row of every table, as text, read through a connection of its own."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            name: sorted(
                [str(value) for value in row]
                for row in connection.execute(f'SELECT * FROM "{name}"')  # noqa: S608
            )
            for name in names
        }
    finally:
        connection.close()


class Lines(logging.Handler):
    """Keeps every formatted log line."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name} {record.getMessage()}")


async def main(url: str) -> dict[str, Any]:
    path = sqlite_file_path(url)
    assert path is not None
    db = Database(url)
    lines = Lines()
    logging.getLogger().addHandler(lines)
    logging.getLogger().setLevel(logging.INFO)
    try:
        async with running_bot(db) as bot:
            db.outage = DatabaseOutage(lambda: bot.clock.now().timestamp())
            ana = await onboarded(bot)
            await bot.say(ana, "/today")
            await bot.press(ana, ana.last_message.buttons[0][0])  # an idea's details
            detail = ana.last_message.message_id  # the buttons edit this message in place

            def detail_text() -> str | None:
                return next(m.text for m in ana.messages if m.message_id == detail)

            before = table_rows(path)
            detail_before = detail_text()
            answers = len(ana.callback_answers)

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
            try:
                await bot.deliver(await ana.press("Yes, I'll do it", message_id=detail))
                press_reply = ana.last_message.text
                detail_during = detail_text()
                press_answered = len(ana.callback_answers) > answers
                await bot.say(ana, f"/done {ACT}")
                done_reply = ana.last_message.text
            finally:
                resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            during = table_rows(path)

            await bot.deliver(await ana.press("Yes, I'll do it", message_id=detail))
            press_after = detail_text()
            await bot.say(ana, f"/done {ACT}")
            done_after = ana.last_message.text
    finally:
        await db.dispose()
        logging.getLogger().removeHandler(lines)
    return {
        "before": before,
        "during": during,
        "press_reply": press_reply,
        "press_answered": press_answered,
        "detail_before": detail_before,
        "detail_during": detail_during,
        "done_reply": done_reply,
        "press_after": press_after,
        "done_after": done_after,
        "logs": lines.lines,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
