"""Free-text stories: a chat message that reads as a complete story gets an offer in its
thread; the author's ✅ (on the story or on the offer) records it."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.stories import StoryRuleError
from bot.domain.story_parser import looks_like_story, parse_story
from bot.features.stories.recording import record_story, recorded_reply
from bot.features.story_text import rule_error
from bot.matrix.incoming import IncomingReaction
from bot.matrix.messages import Text
from bot.store import outbox
from bot.store import stories as store
from bot.store.purposes import ProposalPurpose

CONFIRM_KEYS = ("✅", "✔️", "✔", "☑️", "👍")
Proposal = tuple[str, str, str, int | None]  # circle id, author, text, story number if recorded


async def on_free_text_story(ctx: CommandContext) -> bool:
    """A chat message that is a complete story: offer to record it (✅ by its author)."""
    body, event_id = ctx.message.body, ctx.message.event_id
    if ctx.message.thread_root is not None or not looks_like_story(body):
        return False
    parts = parse_story(body).parts
    if parts is None:
        return False
    await store.add_proposal(ctx.db, event_id, ctx.circle_id, ctx.sender, body, ctx.now)
    text = Text.join(
        [
            ctx.t("proposal.offer", author=ctx.display_name(ctx.sender)),
            ctx.t("proposal.parts", role=parts.role, need=parts.need, benefit=parts.benefit),
        ]
    )
    await ctx.reply_in_thread(text, event_id, purpose=ProposalPurpose(event_id).text())
    return True


async def on_confirmation_reaction(ctx: CommandContext, reaction: IncomingReaction) -> bool:
    """The author's ✅ on their story or on the bot's offer records the story."""
    if reaction.key.strip() not in CONFIRM_KEYS:
        return False
    found = await _proposal_confirmed(ctx, reaction.reacts_to)
    if found is None:
        return False
    source, (_circle_id, author, text, recorded) = found
    if reaction.sender != author or recorded is not None:
        return False  # only the author confirms, and only once
    try:
        story = await record_story(ctx, text, author, source=source)
    except StoryRuleError as exc:
        await ctx.reply_in_thread(rule_error(ctx, exc), source)
        return True
    await store.mark_proposal_recorded(ctx.db, source, story.number)
    await ctx.reply_in_thread(await recorded_reply(ctx, story), source)
    return True


async def _proposal_confirmed(ctx: CommandContext, reacted_to: str) -> tuple[str, Proposal] | None:
    """The story message a reaction confirms, with its proposal: the message reacted to, or
    the one the bot's offer reacted to is about; None if neither is a story on offer."""
    proposal = await store.get_proposal(ctx.db, reacted_to)
    if proposal is not None:
        return reacted_to, proposal
    purpose = ProposalPurpose.parse(await outbox.purpose_of_sent(ctx.db, reacted_to) or "")
    if purpose is None:
        return None
    proposal = await store.get_proposal(ctx.db, purpose.event_id)
    return None if proposal is None else (purpose.event_id, proposal)
