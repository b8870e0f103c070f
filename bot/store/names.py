"""Room names and members' display names as last seen, for the offline export."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from bot.store.database import Database


async def remember(
    db: Database, room_id: str, room_name: str | None, members: Mapping[str, str]
) -> None:
    """Keep the room's name and its members' display names (one transaction)."""
    now = datetime.now(UTC).isoformat()
    async with db.transaction():
        if room_name:
            await db.execute(
                "INSERT INTO room_names (room_id, name, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (room_id) DO UPDATE SET name = excluded.name,"
                " updated_at = excluded.updated_at WHERE name != excluded.name",
                (room_id, room_name, now),
            )
        for user_id, display_name in members.items():
            await db.execute(
                "INSERT INTO member_names (room_id, user_id, display_name, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (room_id, user_id) DO UPDATE SET"
                " display_name = excluded.display_name, updated_at = excluded.updated_at"
                " WHERE display_name != excluded.display_name",
                (room_id, user_id, display_name, now),
            )


async def room_name(db: Database, room_id: str) -> str | None:
    row = await db.fetch_one("SELECT name FROM room_names WHERE room_id = ?", (room_id,))
    return str(row["name"]) if row else None


async def display_names(db: Database, room_id: str) -> dict[str, str]:
    rows = await db.fetch_all(
        "SELECT user_id, display_name FROM member_names WHERE room_id = ?", (room_id,)
    )
    return {r["user_id"]: r["display_name"] for r in rows}
