"""Acceptance: the bot works for a real Element user in an encrypted circle room.

The Element user is the headless js client (matrix-js-sdk, Rust crypto, its own device
cross-signed, device isolation "only signed devices" as Element since MSC4153). Such a client
withholds the room key from any device its owner has not cross-signed (``m.room_key.withheld``,
code ``m.unverified``) and refuses to show what such a device sends (``UNSIGNED_SENDER_DEVICE``).
So a decrypted reply to its command proves both directions at once: the bot could read the
Element user (it got the room key, else it could not know the command), and the Element user
reads the bot without a warning shield.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.matrix.cross_signing import verify
from bot.testing.bot_process import BotProcess
from bot.testing.homeserver import LocalHomeserver
from bot.testing.pioneer import Pioneer
from tests.element_client import ElementClientProcess, ElementRun, node_available
from tests.integration.conftest import make_pioneer, unique

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not node_available(), reason="node and npm are needed for the js client"),
]

JS_TIMEOUT_S = 45.0
EXPECT_TIMEOUT_MS = 15000  # an answer takes well under a second; fail fast when none comes
GREETING = "Bonjour le cercle"
HELP_INTRO = "Ce que je sais faire"
STORY = (
    "!histoire En tant que bénévole, je souhaite un planning partagé afin de ne plus rater "
    "de tournée"
)


@dataclass
class ElementCircle:
    """The bot and anna (nio, the room's creator, an allowed inviter) in an encrypted room."""

    homeserver: LocalHomeserver
    bot: BotProcess
    bot_id: str
    anna: Pioneer
    room_id: str

    def new_element_user(self) -> tuple[str, str]:
        """Register a fresh account (a fresh identity) and return ``(user_id, password)``."""
        name = unique("elodie")
        password = f"pw-{name}"
        return self.homeserver.register(name, password), password

    def spec(self, user_id: str, password: str, actions: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "homeserver": self.homeserver.base_url,
            "userId": user_id,
            "password": password,
            "roomId": self.room_id,
            "isolation": "only_signed",
            "utdGraceMs": 2000,
            "actions": actions,
        }


@pytest.fixture
async def element_circle(
    homeserver: LocalHomeserver, tmp_path: Path
) -> AsyncIterator[ElementCircle]:
    """A running bot and anna in a fresh encrypted room; the bot is not invited yet."""
    bot_user = unique("cerclebot")
    bot_id = homeserver.register(bot_user, f"pw-{bot_user}")
    anna = await make_pioneer(homeserver, tmp_path, "anna")
    bot = BotProcess(
        homeserver.base_url, bot_id, f"pw-{bot_user}", tmp_path / "botdata", anna.user_id
    )
    try:
        bot.start()
        room_id = await anna.create_room("Cercle des pionniers", [])
        yield ElementCircle(homeserver, bot, bot_id, anna, room_id)
    finally:
        await anna.close()
        bot.stop()


def _failure_report(run: ElementRun, circle: ElementCircle) -> str:
    records = "\n".join(json.dumps(r, ensure_ascii=False)[:400] for r in run.records)
    return (
        f"js client: ok={run.ok} rc={run.returncode} elapsed={run.elapsed:.1f}s\n"
        f"--- records ---\n{records}\n--- js stderr ---\n{run.stderr[-3000:]}\n"
        f"--- bot log ({circle.bot.log_path}) ---\n{circle.bot.log_text(since_start=False)[-4000:]}"
    )


def _expect(sender: str, body_contains: str) -> dict[str, Any]:
    """A js action: wait for a decrypted message from ``sender`` containing ``body_contains``."""
    return {
        "expect": {
            "sender": sender,
            "bodyContains": body_contains,
            "decryptionFailure": False,
            "timeoutMs": EXPECT_TIMEOUT_MS,
        }
    }


async def _round_trip(client: ElementClientProcess, send: int, expect: int) -> float | None:
    """Seconds from the js send returning to the js client matching the answer (None if not)."""
    try:
        await client.wait_for("sent", index=send)
        sent_at = time.monotonic()
        await client.wait_for("expect", index=expect, matched=True)
    except (AssertionError, TimeoutError):
        return None  # the run's own report says why
    return time.monotonic() - sent_at


def _sent_event_id(run: ElementRun, action_index: int) -> str:
    [sent] = [r for r in run.records if r.get("type") == "sent" and r["index"] == action_index]
    return str(sent["eventId"])


def _reply_to(message: dict[str, Any]) -> str | None:
    relation = message["content"].get("m.relates_to") or {}
    return (relation.get("m.in_reply_to") or {}).get("event_id")


def _assert_seen_as_element_trusts_it(message: dict[str, Any]) -> None:
    """Encrypted, decrypted, from a device its owner cross-signed, with no shield at all."""
    assert message["encrypted"] is True, message
    assert message["decryptionFailure"] is False, message
    assert message["senderDeviceCrossSigned"] is True, message
    assert message["shieldColour"] == "NONE", message
    assert message["shieldReason"] is None, message


def _server_ts(circle: ElementCircle, event_id: str) -> int:
    """``origin_server_ts`` of an event, read with anna's token (no decryption needed)."""
    client = circle.anna.client
    url = f"{client.homeserver}/_matrix/client/v3/rooms/{circle.room_id}/event/{event_id}"
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {client.access_token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return int(json.loads(answer.read())["origin_server_ts"])


def _bot_identity(circle: ElementCircle) -> tuple[str, str]:
    """The bot's master key and its one device, checking the whole signature chain."""
    client = circle.anna.client
    request = urllib.request.Request(
        f"{client.homeserver}/_matrix/client/v3/keys/query",
        data=json.dumps({"device_keys": {circle.bot_id: []}}).encode(),
        headers={
            "Authorization": f"Bearer {client.access_token}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = json.loads(answer.read())
    master = body["master_keys"][circle.bot_id]
    self_signing = body["self_signing_keys"][circle.bot_id]
    (master_pub,) = master["keys"].values()
    (ssk_pub,) = self_signing["keys"].values()
    master_signature = self_signing["signatures"][circle.bot_id][f"ed25519:{master_pub}"]
    assert verify(master_pub, self_signing, master_signature)
    devices = body["device_keys"][circle.bot_id]
    assert len(devices) == 1, f"the bot keeps one device: {list(devices)}"
    ((device_id, device),) = devices.items()
    assert verify(ssk_pub, device, device["signatures"][circle.bot_id][f"ed25519:{ssk_pub}"])
    return str(master_pub), str(device_id)


async def test_an_element_user_and_the_bot_read_each_other_in_an_encrypted_circle(
    element_circle: ElementCircle,
) -> None:
    """The Element user sees the greeting, and gets answers to ``!aide`` and ``!histoire``.

    Each answer is itself the proof that the bot read the Element user's message: the js client
    gives the room key only to cross-signed devices, so an uncross-signed bot would have logged
    "could not decrypt" and stayed silent.
    """
    circle = element_circle
    elodie, password = circle.new_element_user()
    await circle.anna.invite(circle.room_id, elodie)
    client = await ElementClientProcess.start(
        circle.spec(
            elodie,
            password,
            [
                _expect(circle.bot_id, GREETING),
                {"send": "!aide"},
                _expect(circle.bot_id, HELP_INTRO),
                {"send": STORY},
                _expect(circle.bot_id, "#1"),
            ],
        ),
        timeout=JS_TIMEOUT_S,
    )
    try:
        # Only now the bot: it shares its first room key with the members it sees when it greets,
        # so the Element user must already be in the room with its device cross-signed.
        await client.wait_for("ready")
        await circle.anna.invite(circle.room_id, circle.bot_id)
        help_round_trip = await _round_trip(client, send=1, expect=2)
        run = await client.finish()
    finally:
        await client.kill()

    report = _failure_report(run, circle)
    assert run.ok, report
    assert help_round_trip is not None
    greeting, help_reply, story_reply = run.from_sender(circle.bot_id)
    for message in (greeting, help_reply, story_reply):
        _assert_seen_as_element_trusts_it(message)
    assert GREETING in greeting["body"] and "!aide" in greeting["body"]
    assert greeting["msgtype"] == "m.notice"
    assert HELP_INTRO in help_reply["body"]
    assert _reply_to(help_reply) == _sent_event_id(run, 1)
    assert "#1" in story_reply["body"] and "bénévole" in story_reply["body"]
    assert _reply_to(story_reply) == _sent_event_id(run, 3)
    assert not [r for r in run.messages if r["decryptionFailure"]], report
    assert "could not decrypt" not in circle.bot.log_text(), report

    server_round_trip_ms = help_reply["ts"] - _server_ts(circle, _sent_event_id(run, 1))
    print(
        f"\n[timing] js run {run.elapsed:.1f} s; !aide reply seen by js {help_round_trip:.3f} s "
        f"after the send returned; server ts round trip {server_round_trip_ms} ms"
    )


async def test_after_a_restart_a_new_element_user_is_answered_by_the_same_identity(
    element_circle: ElementCircle,
) -> None:
    """Restarting keeps the master key (no "identity changed" warning in Element) and the device,
    and a user who joins afterwards (unknown to the bot before) is read and answered."""
    circle = element_circle
    mark = circle.anna.mark()
    await circle.anna.invite(circle.room_id, circle.bot_id)
    greeting = await circle.anna.wait_for(
        lambda e: e.sender == circle.bot_id and GREETING in e.body, 30, after=mark
    )
    master_before, device_before = await asyncio.to_thread(_bot_identity, circle)

    stopped_at = time.monotonic()
    assert circle.bot.stop() == 0
    circle.bot.start()
    restart_s = time.monotonic() - stopped_at
    master_after, device_after = await asyncio.to_thread(_bot_identity, circle)
    assert master_after == master_before
    assert device_after == device_before

    elodie, password = circle.new_element_user()
    await circle.anna.invite(circle.room_id, elodie)
    client = await ElementClientProcess.start(
        circle.spec(
            elodie,
            password,
            [
                {"send": "!aide"},
                _expect(circle.bot_id, HELP_INTRO),
            ],
        ),
        timeout=JS_TIMEOUT_S,
    )
    try:
        help_round_trip = await _round_trip(client, send=0, expect=1)
        run = await client.finish()
    finally:
        await client.kill()

    report = _failure_report(run, circle)
    assert run.ok, report
    assert help_round_trip is not None
    [help_reply] = [m for m in run.from_sender(circle.bot_id) if HELP_INTRO in (m["body"] or "")]
    _assert_seen_as_element_trusts_it(help_reply)
    assert help_reply["senderDeviceId"] == device_before
    assert _reply_to(help_reply) == _sent_event_id(run, 0)
    # The greeting predates this user's join: like Element, the client may list it as history it
    # has no key for (if the run lasts past the UTD grace). Nothing else may fail to decrypt.
    for failure in (r for r in run.messages if r["decryptionFailure"]):
        assert failure["eventId"] == greeting.event_id, report
        assert failure["failureReason"].startswith("HISTORICAL_MESSAGE_"), report
    assert "could not decrypt" not in circle.bot.log_text(), report
    print(
        f"\n[timing] bot restart {restart_s:.1f} s; js run {run.elapsed:.1f} s; !aide reply seen "
        f"by js {help_round_trip:.3f} s after the send returned"
    )
