"""Answers: a reply in a check-in's thread (or to it, or to its reminder), and its edits."""

from __future__ import annotations

from datetime import datetime

from bot.commands.context import CommandContext
from bot.features.checkins.keys import ANSWERED_PURPOSES
from bot.store import outbox
from bot.store import rhythm as store
from bot.store.purposes import Purpose

MAX_ANSWER_CHARS = 2000  # a check-in answer is kept up to this length


async def on_answer_edit(ctx: CommandContext) -> bool:
    """An answer corrected in Element: the recap quotes the corrected text."""
    original, text = ctx.message.edits, ctx.message.body.strip()[:MAX_ANSWER_CHARS]
    if original is None or not text:
        return False
    return await store.correct_answer(ctx.db, original, ctx.sender, text)


async def on_checkin_answer(ctx: CommandContext) -> bool:
    """A reply in a check-in's thread (or to its message) is an answer."""
    anchor = ctx.message.thread_root or ctx.message.reply_to
    if anchor is None:
        return False
    purpose = Purpose.parse(await outbox.purpose_of_sent(ctx.db, anchor) or "")
    if purpose is None or purpose.kind not in ANSWERED_PURPOSES:
        return False
    circle_id = purpose.circle_id
    checkin = await store.get_checkin(ctx.db, circle_id, purpose.number)
    if checkin is None or checkin.status != "open" or _after_close(ctx, checkin.closes_at):
        return True  # the thread's own, though too late to count
    text = ctx.message.body.strip()[:MAX_ANSWER_CHARS]
    if text:
        await store.add_answer(
            ctx.db, ctx.message.event_id, circle_id, checkin.number, ctx.sender, text, ctx.now
        )
    return True


def _after_close(ctx: CommandContext, closes_at: datetime) -> bool:
    """Sent after the deadline (read late, after the bot was down): too late to count."""
    sent = ctx.message.server_ts
    return bool(sent) and sent / 1000 > closes_at.timestamp()
