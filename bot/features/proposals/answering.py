"""Answers by text: ``!proposition 3 d'accord``, ``!proposition 3 objection <raison>``; and the
reason of an objection chosen in the poll, given in the thread the bot opened for it."""

from __future__ import annotations

from datetime import datetime

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain.consent import Answer, ConsentAnswer, ConsentError, check_reason, parse_answer
from bot.features.proposals.purposes import ConsentPurpose, ConsentPurposeKind
from bot.features.proposals.status import refresh_status, round_state
from bot.features.proposals.wording import outcome_text
from bot.store import outbox
from bot.store import proposals as store
from bot.store.proposals import ProposalRow


def answered_at(ctx: CommandContext) -> datetime:
    """When the message was sent (the server's clock), else now."""
    if ctx.message.server_ts:
        return datetime.fromtimestamp(ctx.message.server_ts / 1000).astimezone()
    return ctx.now


def source_of(ctx: CommandContext) -> str:
    """The message a deletion would name: a refused command corrected in Element is the
    original message (its edit is what the bot read)."""
    return ctx.message.edits or ctx.message.event_id


async def answer_command(ctx: CommandContext, proposal: ProposalRow, words: str) -> None:
    """``!proposition 3 objection trop tôt``: the answer replaces the person's earlier one."""
    if not proposal.is_open or answered_at(ctx) > proposal.closes_at:
        raise CommandRefused(
            "proposal.error.closed", number=proposal.number, outcome=outcome_text(ctx, proposal)
        )
    try:
        answer, reason = parse_answer(words, ctx.circle.settings.proposal_blocking)
    except ConsentError as exc:
        raise _refusal(exc, proposal) from None
    await record(ctx, proposal, answer, reason, "text")
    key = f"proposal.ack.{answer.value}"
    await ctx.reply(key, number=proposal.number)
    await refresh_status(ctx, proposal)


def _refusal(exc: ConsentError, proposal: ProposalRow) -> UsageError:
    fields = {k: v for k, v in exc.data.items() if isinstance(v, int | str)}
    hint = "proposal.hint.block" if exc.data.get("answer") == Answer.BLOCK.value else None
    return UsageError(
        f"proposal.error.{exc.code}",
        hint or "proposal.hint.objection",
        number=proposal.number,
        **fields,
    )


async def record(
    ctx: CommandContext, proposal: ProposalRow, answer: Answer, reason: str | None, source: str
) -> None:
    at = answered_at(ctx)
    given = ConsentAnswer(ctx.sender, answer, reason, proposal.round, at, source_of(ctx))
    await store.add_answer(ctx.db, proposal.circle_id, proposal.number, given, source)


async def on_reason(ctx: CommandContext) -> bool:
    """A reply in the thread of « quelle est votre raison ? »: the waiting objection counts."""
    anchor = ctx.message.thread_root or ctx.message.reply_to
    if anchor is None:
        return False
    purpose = ConsentPurpose.parse(await outbox.purpose_of_sent(ctx.db, anchor) or "")
    if purpose is None or purpose.kind is not ConsentPurposeKind.REASON:
        return False
    proposal = await store.get_proposal(ctx.db, purpose.circle_id, purpose.number)
    if proposal is None or not proposal.is_open or proposal.round != purpose.round:
        await _in_thread(ctx, anchor, "proposal.reason.too_late", purpose.number)
        return True
    state = await round_state(ctx, proposal, proposal.round)
    waiting = state.pending.get(ctx.sender)
    if waiting is None:
        await _in_thread(ctx, anchor, "proposal.reason.nothing_waiting", proposal.number)
        return True
    try:
        reason = check_reason(
            waiting.answer, " ".join(ctx.message.body.split()), blocking_allowed=True
        )
    except ConsentError as exc:
        await _in_thread(ctx, anchor, f"proposal.error.{exc.code}", proposal.number, **exc.data)
        return True
    await record(ctx, proposal, waiting.answer, reason, "thread")
    await _in_thread(
        ctx, anchor, f"proposal.reason.counted.{waiting.answer.value}", proposal.number
    )
    await refresh_status(ctx, proposal)
    return True


async def _in_thread(
    ctx: CommandContext, root: str, key: str, number: int, **fields: object
) -> None:
    text = ctx.t(key, number=number, **fields)
    await ctx.reply_in_thread(text, root, reply_to=ctx.message.event_id)
