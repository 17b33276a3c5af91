"""Planning never trips over a person who erased their data while the page was planned."""

from __future__ import annotations

from sqlmodel import col, delete

from scheduler.ledger import PlanCache, insert_planned, plan_users
from storage.models import User
from tests.integration.scheduler.rig import Rig


async def test_rows_of_a_person_deleted_after_planning_are_skipped(any_rig: Rig) -> None:
    staying = await any_rig.add_user()
    leaving = await any_rig.add_user()
    cache = PlanCache(any_rig.clock.now())
    async with any_rig.db.session() as session:
        _, rows = await plan_users(session, cache, after_id=0, limit=100)
    assert {row["user_id"] for row in rows} == {staying, leaving}

    async with any_rig.db.write() as session:  # /delete lands between planning and inserting
        await session.exec(delete(User).where(col(User.id) == leaving))

    async with any_rig.db.write() as session:
        await insert_planned(session, rows)

    assert {row.user_id for row in await any_rig.rows()} == {staying}
