"""Synapse's side of the scale benchmark: many encrypted rooms made fast, rate limits, 429s.

Rooms are made with the plain client API (``createRoom`` with the encryption state and the bot
invited) and the bot is joined through Synapse's admin API (``POST /_synapse/admin/v1/join``),
a few requests at a time: no client has to sync for it, and the bot need not run while its
thousand circles are being set up.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.testing.homeserver import UNLIMITED_RATE_LIMITS

CONCURRENCY = 4
ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}
# The shape of Synapse's default message limit (0.2 a second, burst 10), faster so a run stays
# short: what the fan-out is measured against.
FANOUT_RATE_PER_S = 5.0
FANOUT_BURST = 10
FANOUT_LIMITS: dict[str, Any] = {
    "rc_message": {"per_second": FANOUT_RATE_PER_S, "burst_count": FANOUT_BURST}
}
SET_UP_LIMITS: dict[str, Any] = {"rc_message": UNLIMITED_RATE_LIMITS["rc_message"]}


class SynapseAdmin:
    """Client and admin API calls made with one (admin) user's access token."""

    def __init__(self, base_url: str, access_token: str) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {access_token}"}
        self._http: aiohttp.ClientSession | None = None

    async def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        if self._http is None:
            self._http = aiohttp.ClientSession(headers=self.headers)
        for _ in range(20):
            async with self._http.request(method, self.base_url + path, json=body) as response:
                data = await response.json(content_type=None)
                if response.status == 429:
                    await asyncio.sleep(data.get("retry_after_ms", 500) / 1000)
                    continue
                if response.status >= 400:
                    raise RuntimeError(f"{method} {path} -> {response.status}: {data}")
                return data
        raise RuntimeError(f"{method} {path}: still rate limited")

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def create_room(self, name: str, bot_id: str) -> str:
        """An encrypted private room with ``bot_id`` in it (joined by the admin API)."""
        created = await self.request(
            "POST",
            "/_matrix/client/v3/createRoom",
            {
                "name": name,
                "preset": "private_chat",
                "invite": [bot_id],
                "initial_state": [ENCRYPTION_STATE],
            },
        )
        room_id = str(created["room_id"])
        await self.request("POST", f"/_synapse/admin/v1/join/{quote(room_id)}", {"user_id": bot_id})
        return room_id

    async def create_rooms(self, names: list[str], bot_id: str) -> list[str]:
        """Many rooms, ``CONCURRENCY`` requests at a time, in the order of ``names``."""
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(name: str) -> str:
            async with gate:
                return await self.create_room(name, bot_id)

        return list(await asyncio.gather(*(one(n) for n in names)))

    async def exempt_from_rate_limits(self, user_id: str) -> None:
        """What an operator does for the bot: no message rate limit for its account."""
        await self.request(
            "POST",
            f"/_synapse/admin/v1/users/{quote(user_id)}/override_ratelimit",
            {"messages_per_second": 0, "burst_count": 0},
        )

    async def remove_exemption(self, user_id: str) -> None:
        await self.request(
            "DELETE", f"/_synapse/admin/v1/users/{quote(user_id)}/override_ratelimit"
        )

    async def room_messages(self, room_id: str, since_ms: int) -> list[dict[str, Any]]:
        """The room's events at or after ``since_ms`` (newest first, as Synapse pages them)."""
        events: list[dict[str, Any]] = []
        path = f"/_synapse/admin/v1/rooms/{quote(room_id)}/messages?dir=b&limit=50"
        answer = await self.request("GET", path)
        for event in answer.get("chunk", []):
            if event.get("origin_server_ts", 0) < since_ms:
                break
            events.append(event)
        return events


_SEND_429 = re.compile(r'\s429 "PUT /_matrix/client/[^/]+/rooms/[^/]+/send/')


def count_send_429s(log_path: Path, offset: int) -> int:
    """Synapse's access log lines of a message send answered 429, after byte ``offset``."""
    if not log_path.exists():
        return 0
    with log_path.open("rb") as log:
        log.seek(offset)
        text = log.read().decode(errors="replace")
    return len(_SEND_429.findall(text))


def log_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0
