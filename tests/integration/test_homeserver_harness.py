"""The throwaway Synapse carries an end-to-end encrypted exchange between two nio clients."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinResponse,
    RoomCreateResponse,
    RoomInviteResponse,
    RoomMessageText,
    RoomSendResponse,
)

from bot.testing.homeserver import LocalHomeserver

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"


@pytest.fixture
def homeserver(tmp_path: Path) -> Iterator[LocalHomeserver]:
    with LocalHomeserver(tmp_path / "synapse") as hs:
        yield hs


async def _logged_in(hs: LocalHomeserver, username: str, store: Path) -> AsyncClient:
    user_id = hs.register(username, PASSWORD)
    store.mkdir(parents=True)
    client = AsyncClient(
        hs.base_url,
        user_id,
        store_path=str(store),
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
    )
    await client.login(PASSWORD)
    await client.sync(timeout=0, full_state=True)
    if client.should_upload_keys:
        await client.keys_upload()
    return client


@pytest.fixture
async def two_clients(
    homeserver: LocalHomeserver, tmp_path: Path
) -> AsyncIterator[tuple[AsyncClient, AsyncClient]]:
    alice = await _logged_in(homeserver, "alice", tmp_path / "alice")
    bob = await _logged_in(homeserver, "bob", tmp_path / "bob")
    try:
        yield alice, bob
    finally:
        await alice.close()
        await bob.close()


def test_a_second_homeserver_start_keeps_accounts_and_port(homeserver: LocalHomeserver) -> None:
    user_id = homeserver.register("carol", PASSWORD, admin=True)
    port = homeserver.port

    homeserver.restart()

    assert homeserver.port == port
    token, device_id = homeserver.login_token(user_id, PASSWORD)
    assert user_id == f"@carol:{homeserver.server_name}"
    assert token and device_id


async def test_an_encrypted_message_reaches_the_other_member_decrypted(
    two_clients: tuple[AsyncClient, AsyncClient],
) -> None:
    alice, bob = two_clients
    created = await alice.room_create(
        name="cercle",
        initial_state=[
            {
                "type": "m.room.encryption",
                "state_key": "",
                "content": {"algorithm": "m.megolm.v1.aes-sha2"},
            }
        ],
    )
    assert isinstance(created, RoomCreateResponse)
    room_id = created.room_id
    assert isinstance(await alice.room_invite(room_id, bob.user_id), RoomInviteResponse)
    await bob.sync(timeout=0)
    assert isinstance(await bob.join(room_id), JoinResponse)
    await bob.sync(timeout=0)
    await alice.sync(timeout=0)
    # Alice must see Bob's membership (and then his device) before sharing the room key.
    assert bob.user_id in alice.rooms[room_id].users

    received: asyncio.Queue[RoomMessageText] = asyncio.Queue()

    async def on_text(room: object, event: RoomMessageText) -> None:
        if event.sender == bob.user_id:
            await received.put(event)

    alice.add_event_callback(on_text, RoomMessageText)
    sent = await bob.room_send(
        room_id,
        "m.room.message",
        {"msgtype": "m.text", "body": "bonjour le cercle"},
        ignore_unverified_devices=True,
    )
    assert isinstance(sent, RoomSendResponse)

    async def sync_until_received() -> RoomMessageText:
        while received.empty():
            await alice.sync(timeout=1000)
        return received.get_nowait()

    event = await asyncio.wait_for(sync_until_received(), timeout=20)
    assert event.body == "bonjour le cercle"
    assert event.decrypted
    assert alice.rooms[room_id].encrypted


def test_a_lowered_message_rate_limit_answers_429(tmp_path: Path) -> None:
    limits = {"rc_message": {"per_second": 0.1, "burst_count": 2}}
    with LocalHomeserver(tmp_path / "limited", rc_overrides=limits) as hs:
        user_id = hs.register("dora", PASSWORD)
        token, _ = hs.login_token(user_id, PASSWORD)
        room_id = _client_api(hs, token, "POST", "/createRoom", {})["room_id"]
        statuses = []
        for txn in range(4):
            path = f"/rooms/{room_id}/send/m.room.message/t{txn}"
            try:
                _client_api(hs, token, "PUT", path, {"msgtype": "m.text", "body": "x"})
                statuses.append(200)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

    assert 429 in statuses
    assert statuses[0] == 200


def _client_api(
    hs: LocalHomeserver, token: str, method: str, path: str, body: dict[str, object]
) -> dict[str, str]:
    request = urllib.request.Request(
        f"{hs.base_url}/_matrix/client/v3{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        result: dict[str, str] = json.loads(answer.read())
        return result
