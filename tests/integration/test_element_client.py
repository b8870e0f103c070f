"""The Element-grade js client reads cross-signed devices and refuses devices that are not.

Two js-sdk clients (each cross-signing its own device) talk in an encrypted room; a matrix-nio
client that does not cross-sign is treated as Element treats it since MSC4153: its messages fail
with UNSIGNED_SENDER_DEVICE and it is not given the room key.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from nio import (
    AsyncClient,
    AsyncClientConfig,
    MegolmEvent,
    RoomCreateResponse,
    RoomSendResponse,
)

from bot.testing.homeserver import LocalHomeserver
from tests.element_client import ElementClientProcess, node_available, run_element_client

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not node_available(), reason="node and npm are needed for the js client"),
]

PASSWORD = "correct horse battery staple"
ENCRYPTED = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


@pytest.fixture
def homeserver(tmp_path: Path) -> Iterator[LocalHomeserver]:
    with LocalHomeserver(tmp_path / "synapse") as hs:
        yield hs


def _encrypted_room(hs: LocalHomeserver, owner: str, invited: list[str]) -> str:
    token, _ = hs.login_token(owner, PASSWORD)
    request = urllib.request.Request(
        hs.base_url + "/_matrix/client/v3/createRoom",
        data=json.dumps({"invite": invited, "initial_state": [ENCRYPTED]}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        room_id: str = json.loads(answer.read())["room_id"]
        return room_id


def _spec(hs: LocalHomeserver, user_id: str, room_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "homeserver": hs.base_url,
        "userId": user_id,
        "password": PASSWORD,
        "roomId": room_id,
        **extra,
    }


@pytest.fixture
async def robot(homeserver: LocalHomeserver, tmp_path: Path) -> AsyncIterator[AsyncClient]:
    """A nio client that never cross-signs its device, like a bot written without care."""
    user_id = homeserver.register("robot", PASSWORD)
    store = tmp_path / "robot-store"
    store.mkdir()
    client = AsyncClient(
        homeserver.base_url,
        user_id,
        store_path=str(store),
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
    )
    await client.login(PASSWORD)
    await client.sync(timeout=0, full_state=True)
    if client.should_upload_keys:
        await client.keys_upload()
    try:
        yield client
    finally:
        await client.close()


async def _robot_room(robot: AsyncClient, invited: str) -> str:
    created = await robot.room_create(invite=[invited], initial_state=[ENCRYPTED])
    assert isinstance(created, RoomCreateResponse)
    await robot.sync(timeout=0)
    return created.room_id


async def _sync_until(client: AsyncClient, done: Any, timeout: float) -> None:
    async def loop() -> None:
        while not done():
            await client.sync(timeout=500)

    await asyncio.wait_for(loop(), timeout=timeout)


async def test_two_cross_signed_js_clients_read_each_other(homeserver: LocalHomeserver) -> None:
    anne = homeserver.register("anne", PASSWORD)
    bruno = homeserver.register("bruno", PASSWORD)
    owner = homeserver.register("owner", PASSWORD)
    room_id = _encrypted_room(homeserver, owner, [anne, bruno])
    anne_spec = _spec(
        homeserver,
        anne,
        room_id,
        actions=[
            {"waitForJoin": bruno},
            {"send": "salut de anne"},
            {"expect": {"sender": bruno, "bodyContains": "bruno"}},
        ],
    )
    bruno_spec = _spec(
        homeserver,
        bruno,
        room_id,
        actions=[
            {"expect": {"sender": anne, "bodyContains": "anne"}},
            {"send": "salut de bruno"},
        ],
    )

    anne_run, bruno_run = await asyncio.gather(
        asyncio.to_thread(run_element_client, anne_spec, 60),
        asyncio.to_thread(run_element_client, bruno_spec, 60),
    )

    assert anne_run.ok, anne_run.stderr
    assert bruno_run.ok, bruno_run.stderr
    [from_bruno] = anne_run.from_sender(bruno)
    assert from_bruno["body"] == "salut de bruno"
    assert from_bruno["encrypted"] and not from_bruno["decryptionFailure"]
    assert from_bruno["senderDeviceCrossSigned"] is True
    assert from_bruno["shieldColour"] == "NONE"
    [from_anne] = bruno_run.from_sender(anne)
    assert from_anne["body"] == "salut de anne"


async def test_an_uncross_signed_nio_device_is_refused_both_ways(
    homeserver: LocalHomeserver, robot: AsyncClient
) -> None:
    anne = homeserver.register("anne", PASSWORD)
    room_id = await _robot_room(robot, anne)
    client = await ElementClientProcess.start(
        _spec(
            homeserver,
            anne,
            room_id,
            utdGraceMs=1500,
            actions=[
                {"send": "ping de anne"},
                {
                    "expect": {
                        "sender": robot.user_id,
                        "decryptionFailure": True,
                        "failureReason": "UNSIGNED_SENDER_DEVICE",
                        "timeoutMs": 20000,
                    }
                },
            ],
        ),
        timeout=60,
    )
    try:
        await client.wait_for("ready")
        undecryptable: list[MegolmEvent] = []

        async def on_megolm(room: object, event: MegolmEvent) -> None:
            if event.sender == anne:
                undecryptable.append(event)

        robot.add_event_callback(on_megolm, MegolmEvent)
        # Anne's ping arrives without its key: Anne withheld it from the unsigned device.
        await _sync_until(robot, lambda: undecryptable, timeout=20)
        sent = await robot.room_send(
            room_id,
            "m.room.message",
            {"msgtype": "m.text", "body": "pong du robot"},
            ignore_unverified_devices=True,
        )
        assert isinstance(sent, RoomSendResponse)
        run = await client.finish()
    finally:
        await client.kill()

    assert run.ok, run.stderr
    [from_robot] = run.from_sender(robot.user_id)
    assert from_robot["decryptionFailure"] is True
    assert from_robot["failureReason"] == "UNSIGNED_SENDER_DEVICE"
    assert from_robot["body"] is None
    assert undecryptable[0].session_id


async def test_with_all_devices_isolation_the_nio_message_decrypts_with_a_warning(
    homeserver: LocalHomeserver, robot: AsyncClient
) -> None:
    anne = homeserver.register("anne", PASSWORD)
    room_id = await _robot_room(robot, anne)
    client = await ElementClientProcess.start(
        _spec(
            homeserver,
            anne,
            room_id,
            isolation="all",
            actions=[{"expect": {"sender": robot.user_id, "bodyContains": "pong"}}],
        ),
        timeout=60,
    )
    try:
        await client.wait_for("ready")
        await _sync_until(robot, lambda: anne in robot.rooms[room_id].users, timeout=20)
        await robot.room_send(
            room_id,
            "m.room.message",
            {"msgtype": "m.text", "body": "pong du robot"},
            ignore_unverified_devices=True,
        )
        run = await client.finish()
    finally:
        await client.kill()

    assert run.ok, run.stderr
    [from_robot] = run.from_sender(robot.user_id)
    assert from_robot["body"] == "pong du robot"
    assert from_robot["senderDeviceCrossSigned"] is False
    assert from_robot["shieldColour"] == "RED"
    assert from_robot["shieldReason"] == "UNSIGNED_DEVICE"
