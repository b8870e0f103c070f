"""Is the circle's rhythm paused today? Asked before every check-in, reminder and nudge."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.pauses import RhythmKind, should_send
from bot.store import rhythm as store
from bot.store.database import Database


async def may_send(db: Database, circle_id: str, kind: RhythmKind, now: datetime, tz: str) -> bool:
    """False when a pause holds back this kind of message (check-in, reminder, nudge)."""
    pause = await store.get_pause(db, circle_id)
    return should_send(kind, now.astimezone(ZoneInfo(tz)), pause)
