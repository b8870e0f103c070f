"""Which structure (association) each member of a circle declared (``!structure``)."""

from __future__ import annotations

from datetime import datetime

from bot.store.database import Database


async def declared_structures(db: Database, circle_id: str) -> dict[str, str]:
    """user id -> structure, as declared in the room."""
    rows = await db.fetch_all(
        "SELECT user_id, structure FROM memberships WHERE circle_id = ?", (circle_id,)
    )
    return {r["user_id"]: r["structure"] for r in rows}


async def set_structure(
    db: Database, circle_id: str, user_id: str, structure: str, by: str, now: datetime
) -> None:
    await db.execute(
        "INSERT INTO memberships (circle_id, user_id, structure, set_by, set_at)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(circle_id, user_id) DO UPDATE SET structure = excluded.structure,"
        " set_by = excluded.set_by, set_at = excluded.set_at",
        (circle_id, user_id, structure, by, now.isoformat()),
    )
