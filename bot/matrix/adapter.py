"""The Matrix edge: the sync loop, sending, joining, room facts.

The features never see nio: incoming events are turned into the plain
dataclasses of ``incoming.py`` (by ``translation.py``) and handed to an
``EventSink``; the sync token is saved only after the sink has handled the
whole batch, so a crash replays events (deduplicated by event id) rather than
losing them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    Event,
    InviteMemberEvent,
    JoinError,
    MegolmEvent,
    RoomCreateEvent,
    RoomEncryptionEvent,
    RoomGetStateResponse,
    RoomMemberEvent,
    RoomNameEvent,
    RoomRedactResponse,
    RoomSendResponse,
    SyncError,
    SyncResponse,
    UploadResponse,
)

from bot.matrix.device_trust import DeviceTrust
from bot.matrix.incoming import IncomingInvite
from bot.matrix.translation import EventSink, hand_to

log = logging.getLogger(__name__)

SYNC_FILTER: dict[str, Any] = {
    "room": {
        "timeline": {"limit": 100},
        "state": {"lazy_load_members": False},
    },
    "presence": {"not_types": ["*"]},
}
# After a restart, the rooms that changed while the bot was down get their state one request
# each, so their commands are answered before the full state of every room comes; past this
# many, their events wait for that full state instead.
MAX_ROOM_STATES_FETCHED = 20


class SendFailed(Exception):
    """The homeserver refused a send; ``retry_after_ms`` is set on a rate limit."""

    def __init__(self, message: str, retry_after_ms: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.retry_after_ms = retry_after_ms
        self.permanent = permanent


class MatrixAdapter:
    def __init__(self, client: AsyncClient, only_cross_signed_devices: bool = False) -> None:
        self.client = client
        self.trust = DeviceTrust(client, self.request) if only_cross_signed_devices else None
        self._stopping = asyncio.Event()
        self.synced_once = asyncio.Event()  # every room's state is known
        self.all_rooms_known = False
        self.last_sync_at: datetime | None = None  # the last sync that worked (for !statut)
        self._http: aiohttp.ClientSession | None = None
        # Since room version 12 creators outrank every power level and are not listed in
        # m.room.power_levels (MSC4289); nio does not know, so we remember them.
        self.room_creators: dict[str, set[str]] = {}
        # Rooms whose name or members changed in the last batch (the app keeps the names).
        self.renamed_rooms: set[str] = set()

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    @property
    def device_id(self) -> str:
        return str(self.client.device_id)

    # ---- raw HTTP (cross-signing and the few endpoints nio lacks) ----
    async def request(
        self, method: str, path: str, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        if self._http is None:
            self._http = aiohttp.ClientSession()
        headers = {"Authorization": f"Bearer {self.client.access_token}"}
        async with self._http.request(
            method, self.client.homeserver + path, json=body, headers=headers
        ) as resp:
            try:
                data = await resp.json(content_type=None)
            except ValueError:
                data = {}
            return resp.status, data if isinstance(data, dict) else {}

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
        await self.client.close()

    async def upload_own_keys(self) -> None:
        """Upload the device keys now (cross-signing signs what the server holds)."""
        if self.client.should_upload_keys:
            await self.client.keys_upload()

    # ---- the sync loop ----
    def stop(self) -> None:
        self._stopping.set()

    async def run(
        self,
        sink: EventSink,
        since: str | None,
        on_idle: Callable[[], Awaitable[None]],
        before_first_batch: Awaitable[None] | None = None,
    ) -> None:
        """Sync until ``stop()``; ``on_idle`` runs after each batch (e.g. the outbox).
        ``before_first_batch`` (work started meanwhile) is awaited before the first batch is
        handed to the sink.

        After a restart (a stored ``since``) nio knows no room's state. The first sync asks
        only what happened while the bot was down; the few rooms in it get their state one
        request each, and their events are handled and answered at once. The next sync asks
        the full state of every room (seconds, at a thousand rooms), and sets
        ``all_rooms_known``. When many rooms changed, their events wait for that sync instead.
        """
        first = True
        pending: list[SyncResponse] = []  # handled with the sync that brings every room's state
        failures = 0
        while not self._stopping.is_set():
            catching_up = not self.all_rooms_known
            # The token goes in ``since`` while catching up, not in client.next_batch: nio
            # drops a response whose token equals next_batch, and after a quiet restart that
            # would leave it without any room state.
            response = await self.client.sync(
                timeout=0 if catching_up else 30000,
                sync_filter=SYNC_FILTER,
                since=since if catching_up else None,
                full_state=True if catching_up and not first else None,
            )
            if isinstance(response, SyncError):
                failures += 1
                wait = min(30.0, 0.5 * 2 ** min(failures, 6))
                log.warning("sync failed (%s); retrying in %.1f s", response.status_code, wait)
                await asyncio.sleep(wait)
                continue
            if failures:
                log.info("sync works again after %d failures", failures)
            failures = 0
            assert isinstance(response, SyncResponse)
            self.last_sync_at = datetime.now(UTC)
            if catching_up:
                if since is None or not first:  # an initial sync, or the full-state one
                    self.all_rooms_known = True
                else:
                    first = False
                    since = response.next_batch
                    self.client.next_batch = None  # see above
                    if not await self._fetch_room_states(response):
                        pending.append(response)
                        continue
            if before_first_batch is not None:
                await before_first_batch
                before_first_batch = None
            for batch in (*pending, response):
                await self._dispatch(batch, sink)
            pending.clear()
            # Replies first (a send queries and claims the keys it needs itself), then
            # the key bookkeeping, then the token: a crash replays, never skips.
            await on_idle()
            await self._key_maintenance()
            await sink.after_batch(response.next_batch)
            first = False
            if self.all_rooms_known:
                self.synced_once.set()

    async def _fetch_room_states(self, response: SyncResponse) -> bool:
        """The state of each room in ``response``, one request each, given to nio as a sync
        would; False (nothing to rely on) when they are too many or a request fails."""
        rooms = list(response.rooms.join)
        if len(rooms) > MAX_ROOM_STATES_FETCHED:
            return False
        answers = await asyncio.gather(*(self.client.room_get_state(r) for r in rooms))
        if not all(isinstance(a, RoomGetStateResponse) for a in answers):
            log.info("could not fetch the state of every room; waiting for the full sync")
            return False
        for room_id, answer in zip(rooms, answers, strict=True):
            room = self.client.rooms.get(room_id)
            if room is None:
                return False
            for raw in answer.events:
                event = Event.parse_event(raw)
                if isinstance(event, RoomEncryptionEvent):
                    self.client.encrypted_rooms.add(room_id)
                if isinstance(event, RoomMemberEvent):
                    room.handle_membership(event)
                    continue
                if isinstance(event, RoomCreateEvent):
                    self._note_creators(room_id, event)
                room.handle_event(event)
            self.renamed_rooms.add(room_id)
            if room.encrypted and self.client.olm is not None:
                self.client.olm.update_tracked_users(room)
        return True

    async def _key_maintenance(self) -> None:
        client = self.client
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()

    async def _dispatch(self, response: SyncResponse, sink: EventSink) -> None:
        for room_id, info in response.rooms.invite.items():
            for event in info.invite_state:
                if (
                    isinstance(event, InviteMemberEvent)
                    and event.state_key == self.user_id
                    and event.membership == "invite"
                ):
                    is_direct = bool((event.content or {}).get("is_direct"))
                    await sink.on_invite(IncomingInvite(room_id, event.sender, is_direct))
        for room_id, info in response.rooms.join.items():
            for event in [*info.state, *info.timeline.events]:
                if isinstance(event, RoomCreateEvent):
                    self._note_creators(room_id, event)
                elif isinstance(event, RoomMemberEvent | RoomNameEvent):
                    self.renamed_rooms.add(room_id)
            for event in info.timeline.events:
                try:
                    await self._dispatch_event(room_id, event, sink)
                except Exception:
                    # One bad event must not stop the bot; it is logged with context.
                    log.exception(
                        "failed to handle event %s in %s", getattr(event, "event_id", "?"), room_id
                    )

    def _note_creators(self, room_id: str, event: RoomCreateEvent) -> None:
        content = event.source.get("content", {})
        extra = content.get("additional_creators") or []
        creators = {event.sender, *(u for u in extra if isinstance(u, str))}
        self.room_creators[room_id] = creators

    async def _dispatch_event(self, room_id: str, event: Any, sink: EventSink) -> None:
        sender = getattr(event, "sender", None)
        log.debug(
            "%s %s from %s in %s",
            type(event).__name__,
            getattr(event, "event_id", "?"),
            sender,
            room_id,
        )
        if sender == self.user_id:
            return
        if isinstance(event, MegolmEvent):
            log.warning("could not decrypt %s from %s in %s", event.event_id, sender, room_id)
            return
        if (
            self.trust is not None
            and getattr(event, "decrypted", False)
            and not await self.trust.may_read(event.sender, getattr(event, "sender_key", None))
        ):
            log.info("ignoring %s: %s's device is not cross-signed", event.event_id, sender)
            return
        await hand_to(sink, room_id, event)

    # ---- actions ----
    async def join(self, room_id: str) -> bool:
        response = await self.client.join(room_id)
        if isinstance(response, JoinError):
            log.warning("could not join %s: %s", room_id, response.message)
            return False
        return True

    async def leave(self, room_id: str) -> None:
        await self.client.room_leave(room_id)

    def knows_room(self, room_id: str) -> bool:
        return room_id in self.client.rooms

    async def send(
        self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str
    ) -> str:
        """Send one event (encrypted if the room is); the txn id makes retries idempotent."""
        if self.client.should_query_keys:
            # A member who just joined must have their devices known before the room key
            # is shared, or they could not read this message.
            await self.client.keys_query()
        if event_type == "m.room.redaction":
            redacted = await self.client.room_redact(
                room_id, content["redacts"], content.get("reason"), tx_id=txn_id
            )
            if isinstance(redacted, RoomRedactResponse):
                return str(redacted.event_id)
            response: Any = redacted
        else:
            if self.trust is not None and self.room_encrypted(room_id):
                await self.trust.exclude_unsigned(room_id)
            response = await self.client.room_send(
                room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True
            )
            if isinstance(response, RoomSendResponse):
                return str(response.event_id)
        status = getattr(response, "status_code", None)
        retry = getattr(response, "retry_after_ms", None)
        permanent = status in ("M_FORBIDDEN", "M_NOT_FOUND", "M_TOO_LARGE", "M_BAD_JSON")
        raise SendFailed(f"{status}: {getattr(response, 'message', response)}", retry, permanent)

    async def upload(
        self, data: bytes, content_type: str, filename: str, encrypt: bool
    ) -> tuple[str, dict[str, Any] | None]:
        """Upload a file; returns its mxc URI and, when encrypted, the file keys."""
        response, keys = await self.client.upload(
            lambda *_: data,
            content_type=content_type,
            filename=filename,
            encrypt=encrypt,
            filesize=len(data),
        )
        if not isinstance(response, UploadResponse):
            raise SendFailed(f"upload failed: {getattr(response, 'message', response)}")
        return str(response.content_uri), keys

    def room_encrypted(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return bool(room and room.encrypted)

    def power_level(self, room_id: str, user_id: str) -> int:
        room = self.client.rooms.get(room_id)
        if room is None:
            return 0
        if user_id in self.room_creators.get(room_id, set()) and _creators_privileged(
            room.room_version
        ):
            return CREATOR_POWER_LEVEL
        return int(room.power_levels.get_user_level(user_id))

    def member_ids(self, room_id: str) -> list[str]:
        room = self.client.rooms.get(room_id)
        return list(room.users) if room else []

    def display_name(self, room_id: str, user_id: str) -> str:
        room = self.client.rooms.get(room_id)
        name = room.user_name(user_id) if room else None
        return name or user_id.split(":", 1)[0].lstrip("@")

    def room_name(self, room_id: str) -> str:
        room = self.client.rooms.get(room_id)
        return str(room.display_name) if room else room_id

    def member_names(self, room_id: str) -> dict[str, str]:
        """Every member's display name as Element shows it (disambiguated when two clash)."""
        room = self.client.rooms.get(room_id)
        if room is None:
            return {}
        return {user: self.display_name(room_id, user) for user in room.users}

    def take_renamed_rooms(self) -> set[str]:
        """The rooms whose names may have changed since the last call."""
        rooms, self.renamed_rooms = self.renamed_rooms, set()
        return rooms

    def joined_rooms(self) -> list[str]:
        return list(self.client.rooms)


CREATOR_POWER_LEVEL = 2**53


def _creators_privileged(room_version: str) -> bool:
    """Room versions 1–11 list creators in power levels; later ones make them all-powerful."""
    return not (room_version.isdigit() and int(room_version) < 12)


def now_ms() -> int:
    return int(time.time() * 1000)
