"""Database errors that mean "the database failed", for ``except`` clauses.

RECONSTRUCTED FILE: engineer D (issue 10, parts 3-4) overwrote the untracked original of this
file by mistake at 05:51 UTC and could not recover it. Only the name that
``scheduler/delivery.py`` imports is restored here, as a best guess; the lead should check it
against their version. D's own code lives in ``storage/availability.py``.
"""

from __future__ import annotations

import sqlite3
from typing import Final

from sqlalchemy.exc import SQLAlchemyError

# Everything a unit of work can raise when the database (not the caller) is at fault:
# SQLAlchemy's wrapped driver errors, sqlite3's own, and raw socket errors from asyncpg.
DATABASE_ERRORS: Final = (SQLAlchemyError, sqlite3.Error, OSError)
