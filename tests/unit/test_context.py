"""What a handler gets: the room to answer in, the circle it speaks of, thread answers."""

from __future__ import annotations

from pathlib import Path

from bot.matrix.incoming import IncomingMessage
from bot.store import outbox
from tests.unit.circle_in_memory import FACILITATOR, ROOM, open_circle

DIRECT = "!direct:ex.org"


async def test_in_a_direct_chat_answers_go_to_its_room_and_rows_to_the_circle(
    tmp_path: Path,
) -> None:
    circle = await open_circle(tmp_path / "bot.db")
    circle.bot.direct_rooms[DIRECT] = (FACILITATOR, 0)
    message = IncomingMessage(DIRECT, "$dm", FACILITATOR, "!vote", "m.text", 1)
    ctx = circle.bot.context_for(message)
    assert ctx is not None and ctx.in_direct_chat
    assert ctx.circle.room_id == DIRECT and ctx.circle_id == ROOM
    in_circle = circle.bot.context_for(IncomingMessage(ROOM, "$c", FACILITATOR, "x", "m.text", 1))
    assert in_circle is not None and not in_circle.in_direct_chat
    assert in_circle.circle.room_id == in_circle.circle_id == ROOM
    await circle.db.close()


async def test_reply_in_thread_answers_the_root_unless_told_which_message(
    tmp_path: Path,
) -> None:
    circle = await open_circle(tmp_path / "bot.db")
    ctx = circle.bot.context_for(IncomingMessage(ROOM, "$ask", FACILITATOR, "x", "m.text", 1))
    assert ctx is not None
    await ctx.reply_in_thread(ctx.t("dialogue.intro"), "$root", purpose="story-proposal:$root")
    await ctx.reply_in_thread(ctx.t("dialogue.intro"), "$root", reply_to="$ask")
    first, second = await outbox.pending(circle.db)
    assert first.room_id == second.room_id == ROOM
    assert first.purpose == "story-proposal:$root"
    assert first.content["m.relates_to"]["rel_type"] == "m.thread"
    assert first.content["m.relates_to"]["event_id"] == "$root"
    assert first.content["m.relates_to"]["m.in_reply_to"] == {"event_id": "$root"}
    assert second.content["m.relates_to"]["m.in_reply_to"] == {"event_id": "$ask"}
    assert first.content["msgtype"] == "m.notice"
    await circle.db.close()
