"""The retrospective's thread: answers kept (thanked by a reaction), corrections followed."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.commands.context import CommandContext
from bot.store import outbox
from bot.store import sprints as store
from bot.store.purposes import Purpose, PurposeKind

MAX_RETRO_ANSWER_CHARS = 2000


def retro_purpose(circle_id: str, number: int) -> str:
    """The outbox purpose of chantier ``number``'s retrospective questions."""
    return Purpose(PurposeKind.SPRINT_RETRO, number, circle_id).text()


async def on_retro_edit(ctx: CommandContext) -> bool:
    """A retrospective answer corrected in Element: the summary shows the corrected text."""
    original, text = ctx.message.edits, ctx.message.body.strip()[:MAX_RETRO_ANSWER_CHARS]
    if original is None or not text:
        return False
    return await store.correct_retro_answer(ctx.db, original, ctx.sender, text)


async def on_retro_answer(ctx: CommandContext) -> bool:
    """A message in the retrospective's thread (or a reply to it): an answer, kept."""
    message = ctx.message
    root = message.thread_root or message.reply_to
    if root is None or ctx.in_direct_chat:
        return False
    purpose = Purpose.parse(await outbox.purpose_of_sent(ctx.db, root) or "")
    if purpose is None or purpose.kind is not PurposeKind.SPRINT_RETRO:
        return False
    number, circle_id = purpose.number, purpose.circle_id
    text = message.body.strip()
    if not text or circle_id != ctx.circle_id:
        return True
    answered_at = datetime.fromtimestamp(message.server_ts / 1000, UTC)
    stored = await store.add_retro_answer(
        ctx.db,
        message.event_id,
        circle_id,
        number,
        message.sender,
        text[:MAX_RETRO_ANSWER_CHARS],
        answered_at,
    )
    if stored:
        key = ctx.prompts.text(ctx.lang, "sprint.retro.ack_reaction")
        await ctx.react(message.event_id, key)
    return True
