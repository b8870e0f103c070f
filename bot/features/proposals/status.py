"""A proposal's status, edited in place as answers come: how many answered, which structures
have not, the objections with their reasons and authors."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.consent import Answer, ConsentState, consent_state
from bot.domain.paging import PHONE_SCREEN
from bot.features.fitting import PARAGRAPH, fit_lines, length
from bot.features.proposals.purposes import ConsentPurpose, ConsentPurposeKind
from bot.features.proposals.wording import counts_text, outcome_text, quorum_of, reason_lines
from bot.features.votes.status import structures
from bot.features.votes.wording import when_text
from bot.matrix.messages import Text
from bot.store import outbox
from bot.store import proposals as store
from bot.store.proposals import ProposalRow


def status_purpose(proposal: ProposalRow, round_: int | None = None) -> ConsentPurpose:
    return ConsentPurpose(
        ConsentPurposeKind.STATUS, proposal.number, round_ or proposal.round, proposal.circle_id
    )


async def round_state(ctx: CommandContext, proposal: ProposalRow, round_: int) -> ConsentState:
    """Where round ``round_`` of the proposal stands now."""
    answers = await store.answers(ctx.db, proposal.circle_id, proposal.number)
    return consent_state(answers, round_, await structures(ctx), quorum_of(ctx))


async def status_text(ctx: CommandContext, proposal: ProposalRow) -> Text:
    state = await round_state(ctx, proposal, proposal.round)
    head = [status_head(ctx, proposal, state)]
    tail = quorum_lines(ctx, state)
    where = (proposal.circle_id, proposal.number, proposal.round)
    if withdrawn := await store.withdrawn_count(ctx.db, *where):
        tail.append(ctx.t("proposal.data.answers_withdrawn", n=withdrawn))
    room = PHONE_SCREEN - length([*head, *tail]) - 2 * len(PARAGRAPH)
    return Text.join([*head, *answers_parts(ctx, state, room), *tail])


def status_head(ctx: CommandContext, proposal: ProposalRow, state: ConsentState) -> Text:
    """« Proposition #3 · tour 2 — 4 réponses : 3 d'accord · 1 objection. Clôture : … »."""
    return ctx.t(
        "proposal.status",
        number=proposal.number,
        round=proposal.round,
        n=len(state.counted),
        counts=counts_text(ctx, state),
        closes=when_text(ctx, proposal.closes_at),
    )


def quorum_lines(ctx: CommandContext, state: ConsentState) -> list[Text]:
    """How far the quorum is: the answers still needed, or the structures not heard yet."""
    quorum = quorum_of(ctx)
    if quorum.people is not None:
        return [ctx.t("proposal.quorum_people", n=len(state.counted), needed=quorum.people)]
    if state.missing_structures:
        structures_left = ", ".join(state.missing_structures)
        return [ctx.t("proposal.absent_structures", structures=structures_left)]
    return []


def answers_parts(ctx: CommandContext, state: ConsentState, room: int) -> list[Text]:
    """The objections and blocks with their reasons (as many as ``room`` characters hold,
    the others counted), and the answers waiting for theirs."""
    parts: list[Text] = []
    if state.pending:
        names = ", ".join(sorted(ctx.display_name(m) for m in state.pending))
        parts.append(ctx.t("proposal.pending", names=names, n=len(state.pending)))
    standing = state.of(Answer.BLOCK) + state.of(Answer.OBJECT)
    if standing:
        header = ctx.t("proposal.objections", n=len(standing))

        def more(k: int) -> Text:
            return ctx.t("proposal.objections_more", n=k)

        budget = room - length([header, *parts]) - 2 * len(PARAGRAPH)
        shown = fit_lines(reason_lines(ctx, standing), more, budget)
        parts.insert(0, Text.join([header, *shown], "\n"))
    return parts


async def post_status(ctx: CommandContext, proposal: ProposalRow) -> None:
    purpose = status_purpose(proposal).text()
    await ctx.post_text(await status_text(ctx, proposal), purpose=purpose)


async def refresh_status(ctx: CommandContext, proposal: ProposalRow) -> None:
    """Edit the current round's status in place (if it has been sent already)."""
    purpose = status_purpose(proposal)
    original = await outbox.sent_event_for(ctx.db, purpose.text())
    if original is None:
        return
    # During a burst of answers only the latest unsent edit is kept.
    await ctx.edit(original, await status_text(ctx, proposal), latest_only=purpose.edit_text())


async def end_round_status(ctx: CommandContext, proposal: ProposalRow, next_round: int) -> None:
    """The replaced round's status becomes its history: its answers, its objections."""
    purpose = status_purpose(proposal)
    original = await outbox.sent_event_for(ctx.db, purpose.text())
    if original is None:
        return
    state = await round_state(ctx, proposal, proposal.round)
    head = ctx.t(
        "proposal.status_replaced",
        number=proposal.number,
        round=proposal.round,
        next=next_round,
        n=len(state.counted),
        counts=counts_text(ctx, state),
    )
    room = PHONE_SCREEN - length([head]) - len(PARAGRAPH)
    text = Text.join([head, *answers_parts(ctx, state, room)])
    await ctx.edit(original, text, latest_only=purpose.edit_text())


async def close_status(ctx: CommandContext, proposal: ProposalRow) -> None:
    """Edit the status into « Proposition #3 close : adoptée » (if it was sent)."""
    purpose = status_purpose(proposal)
    original = await outbox.sent_event_for(ctx.db, purpose.text())
    if original is None:
        return
    text = ctx.t(
        "proposal.status_closed", number=proposal.number, outcome=outcome_text(ctx, proposal)
    )
    await ctx.edit(original, text, latest_only=purpose.edit_text())
