"""Rows of the circles the bot serves and the direct chats it accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store.database import Database


@dataclass(frozen=True)
class CircleRow:
    room_id: str
    joined_at_ms: int
    invited_by: str


async def add_circle(db: Database, room_id: str, joined_at_ms: int, invited_by: str) -> None:
    await db.execute(
        "INSERT OR IGNORE INTO circles (room_id, joined_at_ms, invited_by, created_at)"
        " VALUES (?, ?, ?, ?)",
        (room_id, joined_at_ms, invited_by, datetime.now(UTC).isoformat()),
    )


async def remove_circle(db: Database, room_id: str) -> None:
    await db.execute("DELETE FROM circles WHERE room_id = ?", (room_id,))


async def all_circles(db: Database) -> list[CircleRow]:
    rows = await db.fetch_all("SELECT room_id, joined_at_ms, invited_by FROM circles")
    return [CircleRow(r["room_id"], r["joined_at_ms"], r["invited_by"]) for r in rows]


async def add_direct_room(db: Database, room_id: str, user_id: str, joined_at_ms: int) -> None:
    await db.execute(
        "INSERT OR REPLACE INTO direct_rooms (room_id, user_id, joined_at_ms) VALUES (?, ?, ?)",
        (room_id, user_id, joined_at_ms),
    )


async def direct_rooms(db: Database) -> dict[str, tuple[str, int]]:
    rows = await db.fetch_all("SELECT room_id, user_id, joined_at_ms FROM direct_rooms")
    return {r["room_id"]: (r["user_id"], r["joined_at_ms"]) for r in rows}
