"""Sends what the outbox holds, in order, checking every answer.

A rate limit (429) is waited out with the server's ``retry_after_ms``; other
failures are retried on the next flush, and only a refusal that cannot change
(forbidden, unknown room) is given up, with an error in the log.
"""

from __future__ import annotations

import asyncio
import logging

from bot.matrix.adapter import MatrixAdapter, SendFailed
from bot.store import outbox
from bot.store.database import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 50
MAX_RATE_LIMIT_WAIT_S = 60.0


class Sender:
    def __init__(self, db: Database, adapter: MatrixAdapter) -> None:
        self.db = db
        self.adapter = adapter
        self._lock = asyncio.Lock()
        self.sent_count = 0

    async def flush(self) -> int:
        """Send every pending message the bot can send now; returns how many are left."""
        async with self._lock:
            blocked_rooms: set[str] = set()
            for message in await outbox.pending(self.db, limit=200):
                if message.room_id in blocked_rooms:
                    continue  # keep the order within a room
                if not self.adapter.knows_room(message.room_id):
                    blocked_rooms.add(message.room_id)
                    continue
                if not await self._send_one(message):
                    blocked_rooms.add(message.room_id)
            return len(await outbox.pending(self.db, limit=1))

    async def _send_one(self, message: outbox.PendingMessage) -> bool:
        for _ in range(10):
            try:
                event_id = await self.adapter.send(
                    message.room_id, message.event_type, message.content, message.txn_id
                )
            except SendFailed as exc:
                if exc.retry_after_ms is not None:
                    wait = min(MAX_RATE_LIMIT_WAIT_S, exc.retry_after_ms / 1000)
                    log.warning("rate limited in %s; waiting %.1f s", message.room_id, wait)
                    await asyncio.sleep(wait)
                    continue
                give_up = exc.permanent or message.attempts + 1 >= MAX_ATTEMPTS
                if give_up:
                    log.error("giving up a message to %s: %s", message.room_id, exc)
                else:
                    log.warning("send to %s failed (%s); will retry", message.room_id, exc)
                await outbox.mark_failed(self.db, message.id, str(exc), give_up)
                return give_up
            await outbox.mark_sent(self.db, message.id, event_id)
            self.sent_count += 1
            return True
        return False
