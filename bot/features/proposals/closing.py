"""``!proposition clore N`` and the deadline: the outcome by the consent rule, posted with the
objections and who raised them; the poll withdrawn so that Element never shows another count."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.commands.context import CommandContext
from bot.commands.registry import UsageError
from bot.domain.consent import ConsentState, Outcome
from bot.domain.paging import PHONE_SCREEN
from bot.domain.shortening import shorten
from bot.features.fitting import PARAGRAPH, length
from bot.features.proposals.polls import withdraw_poll
from bot.features.proposals.status import answers_parts, close_status, round_state
from bot.features.proposals.wording import (
    counts_text,
    outcome_text,
    proposal_to_steer,
    quorum_of,
)
from bot.matrix.messages import Text
from bot.store import proposals as store
from bot.store.proposals import ProposalRow

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

EARLY = timedelta(minutes=1)
QUOTED_CHARS = 120  # the text above the outcome: whole in `!proposition N` and the register
NOTES = {
    Outcome.ADOPTED: "proposal.result.adopted",
    Outcome.REWORK: "proposal.result.rework",
    Outcome.BLOCKED: "proposal.result.blocked",
}


async def close_command(ctx: CommandContext, args: str) -> None:
    words = args.split()
    if len(words) != 1:
        raise UsageError("proposal.error.close_form")
    proposal = await proposal_to_steer(ctx, words[0], "close")
    await close_proposal(ctx, proposal, closed_by=ctx.sender)


async def close_proposal(ctx: CommandContext, proposal: ProposalRow, closed_by: str | None) -> None:
    """Decide by the consent rule, store, post the outcome, withdraw the poll, end the status."""
    state = await round_state(ctx, proposal, proposal.round)
    await store.close(ctx.db, proposal, state.outcome, ctx.now, closed_by)
    closed = await store.get_proposal(ctx.db, proposal.circle_id, proposal.number)
    assert closed is not None
    withdrawn = await withdraw_poll(ctx, proposal, "proposal.poll.withdrawn")
    await ctx.post_text(outcome_message(ctx, closed, state, withdrawn))
    await close_status(ctx, closed)
    ctx.runtime.cancel(close_job_id(proposal))


def outcome_message(
    ctx: CommandContext, proposal: ProposalRow, state: ConsentState, withdrawn: bool
) -> Text:
    """« Proposition #3 : adoptée », its text, the answers, the objections and their authors."""
    outcome = state.outcome
    head = [
        ctx.t(
            "proposal.result.header", number=proposal.number, outcome=outcome_text(ctx, proposal)
        ),
        ctx.t("proposal.quote", text=shorten(proposal.text, QUOTED_CHARS)),
        ctx.t(
            "proposal.result.answers",
            round=proposal.round,
            n=len(state.counted),
            counts=counts_text(ctx, state),
        ),
    ]
    tail = [_quorum_note(ctx, state) if outcome is Outcome.NO_QUORUM else ctx.t(NOTES[outcome])]
    if state.pending:
        tail.append(ctx.t("proposal.result.pending_not_counted", n=len(state.pending)))
    if withdrawn:
        tail.append(ctx.t("proposal.result.poll_removed"))
    # The pending ones are told apart in the tail: only the objections are listed here.
    standing = replace(state, pending={})
    room = PHONE_SCREEN - length([*head, *tail]) - 2 * len(PARAGRAPH)
    return Text.join([*head, *answers_parts(ctx, standing, room), *tail])


def _quorum_note(ctx: CommandContext, state: ConsentState) -> Text:
    quorum = quorum_of(ctx)
    if quorum.people is not None:
        return ctx.t("proposal.result.quorum_people", n=len(state.counted), needed=quorum.people)
    if state.missing_structures:
        return ctx.t(
            "proposal.result.quorum_structures", structures=", ".join(state.missing_structures)
        )
    return ctx.t("proposal.result.nobody")


def close_job_id(proposal: ProposalRow) -> str:
    return f"proposal-close:{proposal.number}:{proposal.circle_id}"


def schedule_close(runtime: Runtime, proposal: ProposalRow) -> None:
    runtime.schedule_at(
        close_job_id(proposal),
        proposal.closes_at,
        close_due_proposal,
        proposal.circle_id,
        proposal.number,
    )


async def close_due_proposal(runtime: Runtime, circle_id: str, number: int) -> None:
    """The deadline job: close the proposal if it is still open (once, even after a restart)."""
    async with runtime.job(circle_id) as ctx:
        proposal = await store.get_proposal(ctx.db, circle_id, number)
        # A job left from an earlier deadline does nothing (the clock may fire a little early).
        due = proposal is not None and proposal.closes_at - EARLY <= ctx.now
        if proposal is not None and proposal.is_open and due:
            await close_proposal(ctx, proposal, closed_by=None)


async def rebuild_close_jobs(runtime: Runtime) -> None:
    """At start: the deadlines still to come, from the database. A deadline passed while the
    bot was down waits for the first sync (``close_overdue``): answers sent before it, while
    the bot was down, are counted first."""
    now = runtime.now()
    for proposal in await store.every_open_proposal(runtime.db):
        if proposal.closes_at > now:
            schedule_close(runtime, proposal)


async def close_overdue(runtime: Runtime) -> None:
    """After the first sync: every open proposal's deadline, the passed ones run now (once)."""
    for proposal in await store.every_open_proposal(runtime.db):
        schedule_close(runtime, proposal)
