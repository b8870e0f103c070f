"""``!proposition modifier N <texte>``: the author (or a facilitator) amends; a new round opens,
the earlier answers stay visible as history but no longer count."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.features.proposals.answering import source_of
from bot.features.proposals.closing import schedule_close
from bot.features.proposals.deadline import split_deadline
from bot.features.proposals.opening import (
    checked_text,
    existing_stories,
    opening_purpose,
    opening_text,
)
from bot.features.proposals.polls import send_poll, withdraw_poll
from bot.features.proposals.status import end_round_status, post_status
from bot.features.proposals.wording import proposal_to_steer
from bot.store import proposals as store


async def amend_command(ctx: CommandContext, args: str) -> None:
    number_word, _, rest = args.strip().partition(" ")
    if not number_word or not rest.strip():
        raise UsageError("proposal.error.amend_form")
    proposal = await proposal_to_steer(ctx, number_word, "amend")
    text, closes_at = split_deadline(ctx, rest)
    checked = checked_text(text)
    if checked == proposal.text and closes_at is None:
        raise CommandRefused("proposal.error.same_text", number=proposal.number)
    stories = await existing_stories(ctx, checked)
    deadline = closes_at or proposal.closes_at
    new_round = await store.amend(
        ctx.db, proposal, checked, stories, ctx.sender, ctx.now, deadline, source_of(ctx)
    )
    await withdraw_poll(ctx, proposal, "proposal.poll.replaced")
    await end_round_status(ctx, proposal, new_round)
    amended = await store.get_proposal(ctx.db, proposal.circle_id, proposal.number)
    assert amended is not None
    purpose = opening_purpose(amended, amended.round).text()
    await ctx.post_text(opening_text(ctx, amended, "proposal.amended"), purpose=purpose)
    await send_poll(ctx, amended)
    await post_status(ctx, amended)
    if amended.closes_at != proposal.closes_at:
        schedule_close(ctx.runtime, amended)
