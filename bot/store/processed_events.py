"""The record of incoming events already handled: nothing is processed twice.

It also remembers which commands were refused (nothing changed), so that an edit of such
a message, the way people fix a typo in Element, can be run as the corrected command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store.database import Database


@dataclass(frozen=True)
class RefusedCommand:
    """A command message that changed nothing: its edit may be run instead."""

    sender: str
    thread_root: str | None


async def claim(
    db: Database,
    event_id: str,
    room_id: str,
    sender: str | None = None,
    thread_root: str | None = None,
) -> bool:
    """Mark ``event_id`` handled; False if it already was (call inside the transaction)."""
    cur = await db.conn.execute(
        "INSERT OR IGNORE INTO processed_events"
        " (event_id, room_id, processed_at, sender, thread_root) VALUES (?, ?, ?, ?, ?)",
        (event_id, room_id, datetime.now(UTC).isoformat(), sender, thread_root),
    )
    return cur.rowcount == 1


async def seen(db: Database, event_id: str) -> bool:
    row = await db.fetch_one("SELECT 1 FROM processed_events WHERE event_id = ?", (event_id,))
    return row is not None


async def set_refused(db: Database, event_id: str, refused: bool) -> None:
    """Whether the command of ``event_id`` was refused (call inside the transaction)."""
    await db.conn.execute(
        "UPDATE processed_events SET refused = ? WHERE event_id = ?", (int(refused), event_id)
    )


async def refused_command(db: Database, event_id: str) -> RefusedCommand | None:
    """The refused command of ``event_id``, or None if it was done, never seen, or no command."""
    row = await db.fetch_one(
        "SELECT sender, thread_root FROM processed_events WHERE event_id = ? AND refused = 1",
        (event_id,),
    )
    if row is None or row["sender"] is None:
        return None
    return RefusedCommand(row["sender"], row["thread_root"])
