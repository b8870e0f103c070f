"""A scripted pioneer: a real matrix-nio client with E2EE, for tests, demo and benchmarks."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    DownloadResponse,
    JoinedMembersResponse,
    LoginResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomSendResponse,
    SyncResponse,
)
from nio.crypto import decrypt_attachment

from bot.matrix.cross_signing import CrossSigningKeys, ensure_cross_signed


@dataclass(frozen=True)
class SeenEvent:
    room_id: str
    event_id: str
    sender: str
    type: str
    content: dict[str, Any]
    received_at: float  # time.monotonic() when the client saw it

    @property
    def body(self) -> str:
        return str(self.content.get("body", ""))

    @property
    def html(self) -> str:
        return str(self.content.get("formatted_body", ""))

    @property
    def thread_root(self) -> str | None:
        rel = self.content.get("m.relates_to") or {}
        return rel.get("event_id") if rel.get("rel_type") == "m.thread" else None

    @property
    def reply_to(self) -> str | None:
        rel = self.content.get("m.relates_to") or {}
        return (rel.get("m.in_reply_to") or {}).get("event_id")


class Pioneer:
    def __init__(self, homeserver: str, user_id: str, password: str, store_dir: Path) -> None:
        self.user_id = user_id
        self.password = password
        store_dir.mkdir(parents=True, exist_ok=True)
        self.client = AsyncClient(
            homeserver,
            user_id,
            store_path=str(store_dir),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False),
        )
        self.events: list[SeenEvent] = []
        self.undecryptable: list[str] = []
        self._new_event = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def login(self) -> None:
        response = await self.client.login(self.password, device_name="pioneer")
        if not isinstance(response, LoginResponse):
            raise RuntimeError(f"login failed for {self.user_id}: {response}")
        if self.client.should_upload_keys:
            await self.client.keys_upload()

    async def start(self) -> None:
        """Log in, do a first sync, then keep syncing in the background."""
        await self.login()
        await self._sync_once(timeout=0)
        self._task = asyncio.create_task(self._sync_loop())

    async def close(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self.client.close()

    async def _sync_loop(self) -> None:
        while True:
            try:
                await self._sync_once(timeout=30000)
            except asyncio.CancelledError:
                raise
            except Exception:
                await asyncio.sleep(0.5)

    async def _sync_once(self, timeout: int) -> None:
        client = self.client
        response = await client.sync(
            timeout=timeout,
            sync_filter={"room": {"timeline": {"limit": 100}}},
            full_state=True if not client.next_batch else None,
        )
        if isinstance(response, SyncResponse):
            now = time.monotonic()
            for room_id, info in response.rooms.join.items():
                for event in info.timeline.events:
                    if isinstance(event, MegolmEvent):
                        self.undecryptable.append(event.event_id)
                        continue
                    source = getattr(event, "source", {}) or {}
                    content = source.get("content", {})
                    event_type = source.get("type", "")
                    if getattr(event, "decrypted", False) and "type" in source:
                        event_type = source["type"]
                    self.events.append(
                        SeenEvent(room_id, event.event_id, event.sender, event_type, content, now)
                    )
            for room_id in response.rooms.invite:
                await client.join(room_id)
            self._new_event.set()
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())
        await client.send_to_device_messages()
        if not isinstance(response, SyncResponse):
            await asyncio.sleep(0.5)

    # ---- rooms ----
    async def create_room(self, name: str, invite: list[str], encrypted: bool = True) -> str:
        initial_state = []
        if encrypted:
            initial_state.append(
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                }
            )
        response = await self.client.room_create(
            name=name, invite=invite, initial_state=initial_state
        )
        if not isinstance(response, RoomCreateResponse):
            raise RuntimeError(f"room creation failed: {response}")
        await self.wait_until(lambda: response.room_id in self.client.rooms, 20)
        return str(response.room_id)

    async def create_direct_chat(self, with_user: str) -> str:
        response = await self.client.room_create(
            is_direct=True,
            invite=[with_user],
            initial_state=[
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                }
            ],
        )
        if not isinstance(response, RoomCreateResponse):
            raise RuntimeError(f"direct chat creation failed: {response}")
        await self.wait_until(lambda: response.room_id in self.client.rooms, 20)
        return str(response.room_id)

    async def join(self, room_id: str) -> None:
        await self.client.join(room_id)
        await self.wait_until(lambda: room_id in self.client.rooms, 20)

    async def invite(self, room_id: str, user_id: str) -> None:
        await self.client.room_invite(room_id, user_id)

    async def set_power_level(self, room_id: str, user_id: str, level: int) -> None:
        state = await self.client.room_get_state_event(room_id, "m.room.power_levels")
        content = dict(state.content)
        users = dict(content.get("users", {}))
        users[user_id] = level
        content["users"] = users
        await self.client.room_put_state(room_id, "m.room.power_levels", content)

    async def members(self, room_id: str) -> list[str]:
        response = await self.client.joined_members(room_id)
        if isinstance(response, JoinedMembersResponse):
            return [m.user_id for m in response.members]
        return []

    # ---- messages ----
    async def send(
        self,
        room_id: str,
        body: str,
        thread_root: str | None = None,
        reply_to: str | None = None,
        extra: dict[str, Any] | None = None,
        event_type: str = "m.room.message",
        content: dict[str, Any] | None = None,
    ) -> str:
        if content is None:
            content = {"msgtype": "m.text", "body": body, "m.mentions": {}}
            if thread_root:
                content["m.relates_to"] = {
                    "rel_type": "m.thread",
                    "event_id": thread_root,
                    "is_falling_back": reply_to is None,
                    "m.in_reply_to": {"event_id": reply_to or thread_root},
                }
            elif reply_to:
                content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
            content.update(extra or {})
        response = await self.client.room_send(
            room_id, event_type, content, ignore_unverified_devices=True
        )
        if not isinstance(response, RoomSendResponse):
            raise RuntimeError(f"send failed: {response}")
        return str(response.event_id)

    async def cross_sign(self, keys_file: Path) -> None:
        """Cross-sign this device as Element would, so that clients which exclude
        insecure devices show what she sends."""
        client = self.client

        async def request(
            method: str, path: str, body: dict[str, Any]
        ) -> tuple[int, dict[str, Any]]:
            async with aiohttp.ClientSession() as http, http.request(
                method, client.homeserver + path, json=body,
                headers={"Authorization": f"Bearer {client.access_token}"},
            ) as resp:  # fmt: skip
                return resp.status, await resp.json()

        keys = CrossSigningKeys.load_or_create(keys_file)
        await ensure_cross_signed(request, self.user_id, str(client.device_id), keys, self.password)

    async def download(self, event: SeenEvent) -> bytes:
        """The file of an ``m.file``/``m.image`` sent in an encrypted room, decrypted."""
        file = event.content["file"]
        response = await self.client.download(file["url"])
        if not isinstance(response, DownloadResponse):
            raise RuntimeError(f"download failed: {response}")
        return decrypt_attachment(
            response.body, file["key"]["k"], file["hashes"]["sha256"], file["iv"]
        )

    async def answer_poll(self, room_id: str, poll_event_id: str, answer_ids: list[str]) -> str:
        """Answer an Element poll (MSC3381, the unstable names Element sends)."""
        content = {
            "m.relates_to": {"rel_type": "m.reference", "event_id": poll_event_id},
            "org.matrix.msc3381.poll.response": {"answers": answer_ids},
        }
        return await self.send(
            room_id, "", event_type="org.matrix.msc3381.poll.response", content=content
        )

    async def edit(self, room_id: str, event_id: str, new_body: str) -> str:
        """Correct one's message the way Element does (``m.replace`` with ``m.new_content``)."""
        new_content = {"msgtype": "m.text", "body": new_body, "m.mentions": {}}
        content = {
            "msgtype": "m.text",
            "body": f"* {new_body}",
            "m.new_content": new_content,
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
            "m.mentions": {},
        }
        return await self.send(room_id, "", content=content)

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
        response = await self.client.room_send(
            room_id, "m.reaction", content, ignore_unverified_devices=True
        )
        if not isinstance(response, RoomSendResponse):
            raise RuntimeError(f"reaction failed: {response}")
        return str(response.event_id)

    # ---- waiting ----
    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            if self._task is None:
                await self._sync_once(timeout=1000)
            else:
                self._new_event.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_event.wait(), 0.5)

    async def wait_for(
        self,
        predicate: Callable[[SeenEvent], bool],
        timeout: float = 30,
        after: int = 0,
    ) -> SeenEvent:
        """The first event (from index ``after``) matching ``predicate``."""
        found: list[SeenEvent] = []

        def match() -> bool:
            for event in self.events[after:]:
                if predicate(event):
                    found.append(event)
                    return True
            return False

        try:
            await self.wait_until(match, timeout)
        except TimeoutError:
            recent = [(e.sender, e.type, e.body[:80]) for e in self.events[after:]][-10:]
            raise TimeoutError(f"no matching event in {timeout}s; recent: {recent}") from None
        return found[0]

    def mark(self) -> int:
        """A position in the event list, to wait only for what comes after."""
        return len(self.events)

    def messages_from(
        self, sender: str, room_id: str | None = None, after: int = 0
    ) -> list[SeenEvent]:
        return [
            e
            for e in self.events[after:]
            if e.sender == sender
            and e.type == "m.room.message"
            and (room_id is None or e.room_id == room_id)
        ]
