"""A redaction as nio hands it over, in every room version, becomes one ``IncomingRedaction``."""

from __future__ import annotations

from typing import Any

from nio import Event

from bot.matrix.incoming import IncomingRedaction
from bot.matrix.translation import hand_to


class Sink:
    def __init__(self) -> None:
        self.redactions: list[IncomingRedaction] = []

    async def on_redaction(self, redaction: IncomingRedaction) -> None:
        self.redactions.append(redaction)


def redaction(**fields: Any) -> dict[str, Any]:
    return {
        "type": "m.room.redaction",
        "event_id": "$red",
        "sender": "@bruno:ex.org",
        "origin_server_ts": 1000,
        **fields,
    }


async def handed(source: dict[str, Any]) -> list[IncomingRedaction]:
    sink = Sink()
    await hand_to(sink, "!room", Event.parse_event(source))  # type: ignore[arg-type]
    return sink.redactions


async def test_before_room_version_11_the_target_is_at_the_top_level() -> None:
    [found] = await handed(redaction(redacts="$ballot", content={"reason": "oups"}))
    assert found == IncomingRedaction("!room", "$red", "@bruno:ex.org", "$ballot", 1000)


async def test_since_room_version_11_the_target_is_in_the_content() -> None:
    [found] = await handed(redaction(content={"redacts": "$ballot"}))
    assert found.redacts == "$ballot"


async def test_both_places_name_the_same_target() -> None:
    [found] = await handed(redaction(redacts="$ballot", content={"redacts": "$ballot"}))
    assert found.redacts == "$ballot"


async def test_a_redaction_without_a_target_is_dropped() -> None:
    assert await handed(redaction(content={})) == []
