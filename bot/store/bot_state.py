"""Small facts about the bot itself: the sync token, whether the first sync happened."""

from __future__ import annotations

from bot.store.database import Database

SYNC_TOKEN = "sync_token"


async def get(db: Database, key: str) -> str | None:
    row = await db.fetch_one("SELECT value FROM bot_state WHERE key = ?", (key,))
    return str(row["value"]) if row else None


async def put(db: Database, key: str, value: str) -> None:
    await db.execute(
        "INSERT INTO bot_state (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
