"""The record of incoming events already handled: nothing is processed twice."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.database import Database


async def claim(db: Database, event_id: str, room_id: str) -> bool:
    """Mark ``event_id`` handled; False if it already was (call inside the transaction)."""
    cur = await db.conn.execute(
        "INSERT OR IGNORE INTO processed_events (event_id, room_id, processed_at) VALUES (?, ?, ?)",
        (event_id, room_id, datetime.now(UTC).isoformat()),
    )
    return cur.rowcount == 1


async def seen(db: Database, event_id: str) -> bool:
    row = await db.fetch_one("SELECT 1 FROM processed_events WHERE event_id = ?", (event_id,))
    return row is not None
