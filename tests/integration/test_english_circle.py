"""A circle that speaks English: every text comes from prompts/en, commands have English words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.testing.homeserver import LocalHomeserver
from tests.integration.conftest import make_pioneer, start_bot

pytestmark = pytest.mark.integration


async def test_an_english_circle_gets_english_answers(
    homeserver: LocalHomeserver, tmp_path: Path
) -> None:
    anna = await make_pioneer(homeserver, tmp_path, "anna")
    english = "defaults:\n  language: en\n  timezone: Europe/London\n"
    bot_id, bot = start_bot(homeserver, tmp_path, anna.user_id, english, "englishbot")
    try:
        room = await anna.create_room("Circle", [bot_id])
        greeting = await anna.wait_for(
            lambda e: e.sender == bot_id and e.type == "m.room.message", 40
        )
        assert "Hello circle" in greeting.body and "!help" in greeting.body

        async def ask(text: str) -> str:
            mark = anna.mark()
            event_id = await anna.send(room, text)
            reply = await anna.wait_for(
                lambda e: e.sender == bot_id and e.reply_to == event_id, 30, after=mark
            )
            return reply.body

        assert "What I can do" in await ask("!help")
        recorded = await ask(
            "!story As a volunteer, I want to see the rota on my phone so that I never miss a shift"
        )
        assert "Story **#1** recorded" in recorded and "see the rota on my phone" in recorded
        assert "the role" in await ask("!story I want a rota so that I never miss a shift")
        assert "1 story" in await ask("!stories")
        assert "Did you mean" in await ask("!storry")
    finally:
        await anna.close()
        bot.stop()
