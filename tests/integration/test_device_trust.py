"""The optional « only cross-signed devices » mode, as Element does since MSC4153."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.testing.homeserver import LocalHomeserver
from tests.integration.conftest import make_pioneer, start_bot

pytestmark = pytest.mark.integration


async def test_messages_from_devices_not_cross_signed_are_ignored_when_asked(
    homeserver: LocalHomeserver, tmp_path: Path
) -> None:
    anna = await make_pioneer(homeserver, tmp_path, "anna")
    bot_id, bot = start_bot(
        homeserver, tmp_path, anna.user_id, "only_cross_signed_devices: true\n", "trustbot"
    )
    try:
        room = await anna.create_room("Cercle strict", [bot_id])
        await asyncio.sleep(3)  # the greeting is sent; anna's device is not cross-signed yet
        mark = anna.mark()
        await anna.send(room, "!aide")
        await asyncio.sleep(4)
        assert not anna.messages_from(bot_id, room, after=mark)
        assert "not cross-signed" in bot.log_text()
        await anna.cross_sign(tmp_path / "anna-keys.json")
        await asyncio.sleep(6)  # an unsigned device is looked up again after 5 s
        mark = anna.mark()
        event_id = await anna.send(room, "!aide")
        reply = await anna.wait_for(
            lambda e: e.sender == bot_id and e.reply_to == event_id, 30, after=mark
        )
        assert "Ce que je sais faire" in reply.body
    finally:
        await anna.close()
        bot.stop()
