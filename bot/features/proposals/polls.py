"""The Element poll of a proposal's round (single choice: Element Web shows polls so), its
answers, and the reason an objection chosen there still needs, asked for in a thread."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.commands.context import CommandContext
from bot.domain.consent import Answer, ConsentAnswer
from bot.features.proposals.purposes import ConsentPurpose, ConsentPurposeKind
from bot.features.proposals.status import refresh_status
from bot.features.proposals.wording import title
from bot.matrix.incoming import IncomingPollResponse
from bot.matrix.messages import POLL_START, Mention
from bot.store import outbox
from bot.store import proposals as store
from bot.store.proposals import ProposalRow


def poll_purpose(proposal: ProposalRow, round_: int | None = None) -> ConsentPurpose:
    return ConsentPurpose(
        ConsentPurposeKind.POLL, proposal.number, round_ or proposal.round, proposal.circle_id
    )


def offered(ctx: CommandContext) -> list[Answer]:
    """The answers of the poll: a block only where the circle allows it."""
    allowed = ctx.circle.settings.proposal_blocking
    return [a for a in Answer if a is not Answer.BLOCK or allowed]


async def send_poll(ctx: CommandContext, proposal: ProposalRow) -> None:
    question = ctx.prompts.text(
        ctx.lang, "proposal.poll.question", number=proposal.number, title=title(proposal.text)
    )
    fallback = ctx.prompts.text(
        ctx.lang, "proposal.poll.fallback", number=proposal.number, p=ctx.prefix
    )
    answers = [
        (answer.value, ctx.prompts.text(ctx.lang, f"proposal.poll.{answer.value}"))
        for answer in offered(ctx)
    ]
    content: dict[str, Any] = ctx.builder.poll_start(question, answers, fallback)
    await ctx.post_event(POLL_START, content, poll_purpose(proposal).text())


async def withdraw_poll(ctx: CommandContext, proposal: ProposalRow, reason_key: str) -> bool:
    """Redact the current round's poll, so Element never shows a count that contradicts the
    bot's (it counts written answers too); True if there was one."""
    poll_id = await outbox.sent_event_for(ctx.db, poll_purpose(proposal).text())
    if poll_id is None:
        return False
    reason = ctx.prompts.text(ctx.lang, reason_key, number=proposal.number)
    await ctx.withdraw(poll_id, reason)
    return True


async def on_poll_response(ctx: CommandContext, response: IncomingPollResponse) -> bool:
    """An answer in the poll replaces the person's answer; an objection asks for its reason."""
    purpose = ConsentPurpose.parse(
        await outbox.purpose_of_sent(ctx.db, response.poll_event_id) or ""
    )
    if purpose is None or purpose.kind is not ConsentPurposeKind.POLL:
        return False
    proposal = await store.get_proposal(ctx.db, purpose.circle_id, purpose.number)
    if proposal is None or not proposal.is_open or proposal.round != purpose.round:
        return True  # an answer to an ended round or a closed proposal is not counted
    if response.server_ts / 1000 > proposal.closes_at.timestamp():
        return True
    chosen = next((a for a in Answer if a.value in response.answer_ids[:1]), None)
    if chosen is None or (chosen is Answer.BLOCK and chosen not in offered(ctx)):
        return True
    at = datetime.fromtimestamp(response.server_ts / 1000).astimezone()
    answer = ConsentAnswer(response.sender, chosen, None, proposal.round, at, response.event_id)
    if not await store.add_answer(ctx.db, proposal.circle_id, proposal.number, answer, "poll"):
        return True  # the same response again
    if chosen.needs_reason:
        await _ask_reason(ctx, proposal, response.sender, chosen)
    await refresh_status(ctx, proposal)
    return True


async def _ask_reason(
    ctx: CommandContext, proposal: ProposalRow, member: str, chosen: Answer
) -> None:
    """A message that pings the person; her reason, answered in its thread, makes the
    objection count."""
    text = ctx.t(
        f"proposal.reason.ask.{chosen.value}",
        who=Mention(member, ctx.display_name(member)),
        number=proposal.number,
    )
    purpose = ConsentPurpose(
        ConsentPurposeKind.REASON, proposal.number, proposal.round, proposal.circle_id
    )
    await ctx.post_text(text, notify=True, purpose=purpose.text())
