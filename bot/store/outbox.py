"""Replies waiting to be sent; written in the same transaction as what caused them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.store.database import Database


@dataclass(frozen=True)
class PendingMessage:
    id: int
    room_id: str
    event_type: str
    content: dict[str, Any]
    txn_id: str
    purpose: str | None
    attempts: int


async def enqueue(
    db: Database, room_id: str, event_type: str, content: dict[str, Any], purpose: str | None = None
) -> str:
    txn_id = f"cb-{uuid.uuid4().hex}"
    await db.execute(
        "INSERT INTO outbox (room_id, event_type, content_json, txn_id, purpose, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (room_id, event_type, json.dumps(content), txn_id, purpose, datetime.now(UTC).isoformat()),
    )
    return txn_id


async def replace_pending(
    db: Database, room_id: str, event_type: str, content: dict[str, Any], purpose: str
) -> str:
    """Queue a message that supersedes any unsent one with the same ``purpose`` (edits)."""
    await db.execute("DELETE FROM outbox WHERE purpose = ? AND sent_event_id IS NULL", (purpose,))
    return await enqueue(db, room_id, event_type, content, purpose)


async def waiting(db: Database) -> int:
    """How many queued messages the homeserver has not accepted yet."""
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM outbox WHERE sent_event_id IS NULL")
    return int(row["n"]) if row is not None else 0


async def pending(db: Database, limit: int = 50) -> list[PendingMessage]:
    rows = await db.fetch_all(
        "SELECT id, room_id, event_type, content_json, txn_id, purpose, attempts FROM outbox"
        " WHERE sent_event_id IS NULL ORDER BY id LIMIT ?",
        (limit,),
    )
    return [
        PendingMessage(
            r["id"],
            r["room_id"],
            r["event_type"],
            json.loads(r["content_json"]),
            r["txn_id"],
            r["purpose"],
            r["attempts"],
        )
        for r in rows
    ]


async def mark_sent(db: Database, message_id: int, event_id: str) -> None:
    """Sent: keep its event id and purpose, not its text (the room holds what was said)."""
    await db.execute(
        "UPDATE outbox SET sent_event_id = ?, content_json = '{}' WHERE id = ?",
        (event_id, message_id),
    )


async def mark_failed(db: Database, message_id: int, error: str, give_up: bool) -> None:
    """A failed send; given up, its text is dropped like a sent one's (the error stays)."""
    if give_up:
        await db.execute(
            "UPDATE outbox SET sent_event_id = '!failed', content_json = '{}', last_error = ?,"
            " attempts = attempts + 1 WHERE id = ?",
            (error[:500], message_id),
        )
    else:
        await db.execute(
            "UPDATE outbox SET last_error = ?, attempts = attempts + 1 WHERE id = ?",
            (error[:500], message_id),
        )


async def sent_event_for(db: Database, purpose: str) -> str | None:
    """The event id of the latest sent message with this ``purpose`` (e.g. a status to edit)."""
    row = await db.fetch_one(
        "SELECT sent_event_id FROM outbox WHERE purpose = ? AND sent_event_id LIKE '$%'"
        " ORDER BY id DESC LIMIT 1",
        (purpose,),
    )
    return str(row["sent_event_id"]) if row else None


async def purpose_of_sent(db: Database, event_id: str) -> str | None:
    """The purpose recorded for a message the bot sent, by its event id."""
    row = await db.fetch_one("SELECT purpose FROM outbox WHERE sent_event_id = ?", (event_id,))
    return str(row["purpose"]) if row and row["purpose"] else None
