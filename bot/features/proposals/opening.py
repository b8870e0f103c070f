"""``!proposition <texte> [jusqu'au DATE]``: any member opens a proposal; its message, its
poll, its status, its deadline."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain.consent import cited_stories
from bot.features.proposals.answering import source_of
from bot.features.proposals.closing import schedule_close
from bot.features.proposals.deadline import default_deadline, split_deadline
from bot.features.proposals.polls import offered, send_poll
from bot.features.proposals.purposes import ConsentPurpose, ConsentPurposeKind
from bot.features.proposals.status import post_status
from bot.features.votes.wording import tags, when_text
from bot.matrix.messages import Text
from bot.store import proposals as store
from bot.store import stories as story_store
from bot.store.proposals import ProposalRow

MAX_TEXT_CHARS = 300  # a proposal, its deadline and how to answer fit a phone screen


async def open_proposal(ctx: CommandContext, args: str) -> None:
    text, closes_at = split_deadline(ctx, args)
    checked = checked_text(text)
    stories = await existing_stories(ctx, checked)
    number = await store.insert_proposal(
        ctx.db, ctx.circle_id, ctx.sender, checked, stories, ctx.now,
        closes_at or default_deadline(ctx), source_of(ctx),
    )  # fmt: skip
    proposal = await store.get_proposal(ctx.db, ctx.circle_id, number)
    assert proposal is not None
    purpose = opening_purpose(proposal, proposal.round).text()
    await ctx.post_text(opening_text(ctx, proposal, "proposal.opened"), purpose=purpose)
    await send_poll(ctx, proposal)
    await post_status(ctx, proposal)
    schedule_close(ctx.runtime, proposal)


def opening_purpose(proposal: ProposalRow, round_: int) -> ConsentPurpose:
    """The bot's message quoting round ``round_``'s text (withdrawn with the proposal)."""
    return ConsentPurpose(ConsentPurposeKind.OPENING, proposal.number, round_, proposal.circle_id)


def checked_text(text: str) -> str:
    """A proposal's text, one paragraph; refused when empty or longer than a phone screen."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise UsageError("proposal.error.empty")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise CommandRefused("proposal.error.too_long", limit=MAX_TEXT_CHARS, n=len(cleaned))
    return cleaned


async def existing_stories(ctx: CommandContext, text: str) -> list[int]:
    """The stories ``text`` cites that exist in the circle (« #12 »; « #planning » is a theme)."""
    cited = cited_stories(text)
    found = []
    for number in cited:
        if await story_store.get_story(ctx.db, ctx.circle_id, number) is not None:
            found.append(number)
    return found


def opening_text(ctx: CommandContext, proposal: ProposalRow, key: str) -> Text:
    """« Proposition #3 de Bruno », the text quoted, the stories it cites, how to answer."""
    parts = [
        ctx.t(
            key,
            number=proposal.number,
            author=ctx.display_name(proposal.author),
            round=proposal.round,
            closes=when_text(ctx, proposal.closes_at),
        ),
        ctx.t("proposal.quote", text=proposal.text),
    ]
    if proposal.stories:
        parts.append(ctx.t("proposal.cites", stories=tags(proposal.stories)))
    blocking = len(offered(ctx)) == 4
    how = "proposal.how_with_block" if blocking else "proposal.how"
    parts.append(ctx.t(how, number=proposal.number))
    return Text.join(parts)
