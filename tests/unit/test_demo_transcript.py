"""The demo's transcript: how each event the pioneers saw is printed, and the bot's texts."""

from __future__ import annotations

from typing import Any

from bot.demo_transcript import bot_texts, render
from bot.testing.pioneer import SeenEvent

ROOM = "!circle:demo"
NAMES = {"@anna:demo": "Anna (animatrice)", "@bot:demo": "🤖 bot"}


def _event(
    sender: str, content: dict[str, Any], kind: str = "m.room.message", **kw: Any
) -> SeenEvent:
    return SeenEvent(kw.get("room", ROOM), kw.get("id", "$e"), sender, kind, content, 0.0)


def test_a_message_is_printed_with_its_author_and_wrapped() -> None:
    line = render(
        _event("@anna:demo", {"msgtype": "m.text", "body": "Bonjour\nà tous"}), ROOM, NAMES
    )
    assert line == "  Anna (animatrice): Bonjour\n      à tous"


def test_a_private_reaction_is_marked_private() -> None:
    reaction = {"m.relates_to": {"key": "✅", "event_id": "$x"}}
    event = _event("@bot:demo", reaction, "m.reaction", room="!dm:demo")
    assert render(event, ROOM, NAMES) == "  🤖 bot (privé): [réaction ✅]"


def test_an_unknown_event_is_left_out() -> None:
    assert render(_event("@anna:demo", {}, "m.room.topic"), ROOM, NAMES) is None


def test_the_bot_texts_keep_the_edited_version_once() -> None:
    first = _event("@bot:demo", {"msgtype": "m.notice", "body": "avant"}, id="$1")
    edit = _event(
        "@bot:demo",
        {
            "msgtype": "m.notice",
            "body": "* après",
            "m.new_content": {"msgtype": "m.notice", "body": "après"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$1"},
        },
        id="$2",
    )
    someone = _event("@anna:demo", {"msgtype": "m.text", "body": "merci"}, id="$3")
    assert bot_texts([first, edit, someone], "@bot:demo") == ["après"]
