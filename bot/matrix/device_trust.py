"""Optional: treat pioneers' devices like Element does (MSC4153 "exclude insecure devices").

With ``only_cross_signed_devices: true`` the bot ignores messages sent from a
device its owner has not cross-signed, and does not share room keys with such
devices (nio's blacklist). Off by default: most circles have someone on an
older client, and the bot must not be the one that silences them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from nio import AsyncClient

from bot.matrix.cross_signing import verify

log = logging.getLogger(__name__)

Request = Callable[[str, str, dict[str, Any]], Awaitable[tuple[int, dict[str, Any]]]]
CACHE_SECONDS = 60.0
RECHECK_UNKNOWN_SECONDS = 5.0  # a device not (yet) signed is looked up again soon


def signed_devices(user_id: str, query: dict[str, Any]) -> set[str]:
    """Device ids of ``user_id`` signed by its self-signing key, itself signed by its master key."""
    master = query.get("master_keys", {}).get(user_id)
    ssk = query.get("self_signing_keys", {}).get(user_id)
    if not master or not ssk:
        return set()
    (master_pub,) = list(master.get("keys", {}).values())[:1] or [None]
    (ssk_pub,) = list(ssk.get("keys", {}).values())[:1] or [None]
    if not master_pub or not ssk_pub:
        return set()
    ssk_sig = ssk.get("signatures", {}).get(user_id, {}).get(f"ed25519:{master_pub}")
    if not ssk_sig or not verify(master_pub, ssk, ssk_sig):
        return set()
    signed = set()
    for device_id, device in query.get("device_keys", {}).get(user_id, {}).items():
        sig = device.get("signatures", {}).get(user_id, {}).get(f"ed25519:{ssk_pub}")
        if sig and verify(ssk_pub, device, sig):
            signed.add(device_id)
    return signed


class DeviceTrust:
    def __init__(self, client: AsyncClient, request: Request) -> None:
        self.client = client
        self.request = request
        self._cache: dict[str, tuple[float, set[str]]] = {}

    async def cross_signed(self, user_id: str, device_id: str | None = None) -> set[str]:
        cached = self._cache.get(user_id)
        if cached:
            age = time.monotonic() - cached[0]
            known = device_id is None or device_id in cached[1]
            if age < (CACHE_SECONDS if known else RECHECK_UNKNOWN_SECONDS):
                return cached[1]
        status, body = await self.request(
            "POST", "/_matrix/client/v3/keys/query", {"device_keys": {user_id: []}}
        )
        devices = signed_devices(user_id, body) if status == 200 else set()
        self._cache[user_id] = (time.monotonic(), devices)
        return devices

    def device_of(self, user_id: str, sender_key: str | None) -> str | None:
        if not sender_key:
            return None
        for device in self.client.device_store.active_user_devices(user_id):
            if device.curve25519 == sender_key:
                return str(device.id)
        return None

    async def may_read(self, user_id: str, sender_key: str | None) -> bool:
        device = self.device_of(user_id, sender_key)
        return device is not None and device in await self.cross_signed(user_id, device)

    async def exclude_unsigned(self, room_id: str) -> None:
        """Share room keys only with cross-signed devices of the room's members.

        When a device changes side (newly cross-signed, or not), the room's outbound
        session is dropped so that the next message starts a new one, shared with
        exactly the trusted devices.
        """
        room = self.client.rooms.get(room_id)
        if room is None:
            return
        changed = False
        for user_id in room.users:
            if user_id == self.client.user_id:
                continue
            trusted = await self.cross_signed(user_id)
            for device in self.client.device_store.active_user_devices(user_id):
                if device.id not in trusted and not device.blacklisted:
                    log.info(
                        "not sharing keys with %s's device %s (not cross-signed)",
                        user_id,
                        device.id,
                    )
                    self.client.blacklist_device(device)
                    changed = True
                elif device.id in trusted and device.blacklisted:
                    log.info("%s's device %s is cross-signed now", user_id, device.id)
                    self.client.unblacklist_device(device)
                    changed = True
        if changed and self.client.olm is not None:
            self.client.olm.outbound_group_sessions.pop(room_id, None)
