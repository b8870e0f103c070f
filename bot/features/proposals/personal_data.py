"""Proposals' part of people's data. A deleted answer (text, poll response, the reason given
in the thread) no longer counts if deleted before the close, and the status says how many
were withdrawn; a deleted ``!proposition …`` (or ``!proposition modifier …``) message
withdraws the proposal before its close
(its texts erased, its number taken); after the close nothing changes: a decision is the
circle's, it stays in the register (``!oublier`` takes the author's name off it). A member's
proposals and answers in her file; forgetting her: her answers to open proposals go, the
others and her proposals stay under « une personne de <structure> » (counts unchanged)."""

from __future__ import annotations

from typing import Any

from bot.commands.context import CommandContext
from bot.commands.runtime import PersonalData
from bot.domain.personal_data import Forgetting
from bot.features.proposals.closing import close_job_id
from bot.features.proposals.opening import opening_purpose
from bot.features.proposals.polls import withdraw_poll
from bot.features.proposals.status import refresh_status, status_purpose
from bot.features.proposals.wording import outcome_text
from bot.matrix.incoming import IncomingRedaction
from bot.store import outbox
from bot.store import personal_data as people
from bot.store import proposals as store
from bot.store.database import Database
from bot.store.proposals import ProposalRow


async def on_proposal_redacted(ctx: CommandContext, redaction: IncomingRedaction) -> None:
    """An answer or a proposal's own message deleted in the circle's room."""
    await _answer_redacted(ctx, redaction)
    await _proposal_redacted(ctx, redaction)


def _before_close(proposal: ProposalRow, redaction: IncomingRedaction) -> bool:
    return proposal.is_open and redaction.server_ts / 1000 <= proposal.closes_at.timestamp()


async def _answer_redacted(ctx: CommandContext, redaction: IncomingRedaction) -> None:
    origin = await store.answer_of_event(ctx.db, redaction.redacts)
    if origin is None or redaction.room_id != origin.circle_id:
        return
    proposal = await store.get_proposal(ctx.db, origin.circle_id, origin.number)
    if proposal is None or not _before_close(proposal, redaction):
        return  # after the close the outcome stands: nothing changes
    await store.withdraw_answer(ctx.db, redaction.redacts, origin, ctx.now)
    if origin.round == proposal.round:
        await refresh_status(ctx, proposal)


async def _proposal_redacted(ctx: CommandContext, redaction: IncomingRedaction) -> None:
    proposal = await store.proposal_of_event(ctx.db, redaction.redacts)
    if proposal is None or redaction.room_id != proposal.circle_id:
        return
    if not proposal.is_open:
        outcome = outcome_text(ctx, proposal)
        note = ctx.t("proposal.data.text_kept", number=proposal.number, outcome=outcome)
        await ctx.post_text(note)
        return
    if not _before_close(proposal, redaction):
        return  # deleted after the deadline: the close, about to run, decides
    await withdraw_poll(ctx, proposal, "proposal.data.poll_withdrawn")
    await store.withdraw_proposal(ctx.db, proposal, ctx.now, redaction.sender)
    ctx.runtime.cancel(close_job_id(proposal))
    await _withdraw_quotes(ctx, proposal)
    status = await outbox.sent_event_for(ctx.db, status_purpose(proposal).text())
    if status is not None:
        text = ctx.t("proposal.data.status_withdrawn", number=proposal.number)
        await ctx.edit(status, text, latest_only=status_purpose(proposal).edit_text())
    await ctx.post_text(ctx.t("proposal.data.withdrawn", number=proposal.number))


async def _withdraw_quotes(ctx: CommandContext, proposal: ProposalRow) -> None:
    """The bot's messages that quoted the text (one per round) are deleted too."""
    reason = ctx.prompts.text(ctx.lang, "proposal.data.quote_withdrawn", number=proposal.number)
    for round_ in range(1, proposal.round + 1):
        purpose = opening_purpose(proposal, round_)
        sent = await outbox.sent_event_for(ctx.db, purpose.text())
        if sent is not None:
            await ctx.withdraw(sent, reason)


# ---- a member's data ----
async def export_proposals(db: Database, user_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"circle": p["circle_id"], "proposal": p["number"], "as": "author", "text": p["text"],
         "status": p["status"], "opened_at": p["opened_at"], "closed_at": p["closed_at"]}
        for p in await people.rows_of(db, "proposals", "author", user_id, "text != ''")
    ]  # fmt: skip
    rows += [
        {"circle": r["circle_id"], "proposal": r["number"], "as": "amendment",
         "round": r["round"], "text": r["text"], "at": r["opened_at"]}
        for r in await people.rows_of(db, "proposal_rounds", "opened_by", user_id, "text != ''")
        if r["round"] > 1
    ]  # fmt: skip
    return rows


async def export_answers(db: Database, user_id: str) -> list[dict[str, Any]]:
    return [
        {"circle": a["circle_id"], "proposal": a["number"], "round": a["round"],
         "answer": a["answer"], "reason": a["reason"], "how": a["source"],
         "at": a["answered_at"]}
        for a in await people.rows_of(db, "proposal_answers", "member", user_id)
    ]  # fmt: skip


async def forget_proposals(ctx: CommandContext, forgetting: Forgetting) -> None:
    user = forgetting.user_id
    await people.give_to_alias(ctx.db, "proposals", "author", user, forgetting.alias)
    await people.give_to_alias(ctx.db, "proposals", "closed_by", user, forgetting.alias)
    await people.give_to_alias(ctx.db, "proposal_rounds", "opened_by", user, forgetting.alias)


async def forget_answers(ctx: CommandContext, forgetting: Forgetting) -> None:
    """Her answers to open proposals go (she could answer again under her alias: counted
    twice); those of closed ones count under her alias."""
    user = forgetting.user_id
    still_open = await store.open_proposals_answered_by(ctx.db, user)
    await store.delete_open_answers_of(ctx.db, user)
    await people.give_to_alias(ctx.db, "proposal_answers", "member", user, forgetting.alias)
    for circle_id, number in still_open:
        proposal = await store.get_proposal(ctx.db, circle_id, number)
        if proposal is not None:
            await refresh_status(ctx.runtime.context(circle_id), proposal)


PROPOSAL_DATA = PersonalData("proposals", export_proposals, forget_proposals)
ANSWER_DATA = PersonalData("proposal_answers", export_answers, forget_answers)
