"""``!proposition`` alone (the open proposals), ``!proposition 3`` (one, with its history), and
the dispatch of ``!proposition …``: a number and an answer, or the text of a new proposal."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.consent import Answer, ConsentState, Outcome, is_answer
from bot.domain.paging import PHONE_SCREEN
from bot.features.fitting import PARAGRAPH, fit_lines, length
from bot.features.proposals.answering import answer_command
from bot.features.proposals.opening import open_proposal
from bot.features.proposals.status import (
    answers_parts,
    quorum_lines,
    round_state,
    status_head,
)
from bot.features.proposals.wording import (
    counts_text,
    find_proposal,
    outcome_text,
    reason_lines,
    title,
)
from bot.features.votes.wording import tags
from bot.matrix.messages import Text
from bot.store import proposals as store
from bot.store.proposals import ProposalRow

MIN_ROOM = 80  # below this, an earlier round shows its counts only


async def proposal_default(ctx: CommandContext, args: str) -> None:
    words = args.strip()
    first, _, rest = words.partition(" ")
    if not words:
        await list_open(ctx)
    elif await _is_about_a_proposal(ctx, first, rest):
        proposal = await find_proposal(ctx, first)
        if proposal.outcome is Outcome.WITHDRAWN:
            await ctx.reply("proposal.data.shown_withdrawn", number=proposal.number)
        elif rest.strip():
            await answer_command(ctx, proposal, rest)
        else:
            await ctx.reply_text(await proposal_text(ctx, proposal))
    else:
        await open_proposal(ctx, words)


async def _is_about_a_proposal(ctx: CommandContext, first: str, rest: str) -> bool:
    """« 3 », « 3 d'accord », « #3 objection … » are about proposal #3; « 2 réunions par
    mois » is a new proposal unless a proposal #2 exists (then it reads as a mistyped answer)."""
    number = first.lstrip("#")
    if not (number.isascii() and number.isdigit()):
        return False
    if not rest.strip() or is_answer(rest):
        return True
    return await store.get_proposal(ctx.db, ctx.circle_id, int(number)) is not None


async def list_open(ctx: CommandContext) -> None:
    proposals = await store.open_proposals(ctx.db, ctx.circle_id)
    if not proposals:
        await ctx.reply("proposal.none")
        return
    head = ctx.t("proposal.list_header", n=len(proposals))
    lines = [
        ctx.t("proposal.list_line", number=p.number, title=title(p.text), round=p.round)
        for p in proposals
    ]
    numbers = [p.number for p in proposals]

    def more(k: int) -> Text:
        return ctx.t("proposal.list_more", proposals=tags(numbers[-k:]))

    shown = fit_lines(lines, more, PHONE_SCREEN - length([head]))
    await ctx.reply_text(Text.join([head, Text.join(shown, "\n")]))


async def proposal_text(ctx: CommandContext, proposal: ProposalRow) -> Text:
    """The proposal, where its round stands (or its outcome), then its earlier rounds: their
    counts, and their objections while the phone screen has room."""
    state = await round_state(ctx, proposal, proposal.round)
    head = [_current_head(ctx, proposal, state), ctx.t("proposal.quote", text=proposal.text)]
    tail = quorum_lines(ctx, state) if proposal.is_open else []
    history = [await _earlier(ctx, proposal, r) for r in range(proposal.round - 1, 0, -1)]
    counts_only = [line for line, _ in history]
    room = PHONE_SCREEN - length([*head, *tail, *counts_only]) - 2 * len(PARAGRAPH)
    current = answers_parts(ctx, state, room)
    left = PHONE_SCREEN - length([*head, *current, *tail, *counts_only])
    earlier: list[Text] = []
    for line, objections in history:
        room_left = left > MIN_ROOM
        shown = fit_lines(objections, lambda k: _more(ctx, k), left, keep=0) if room_left else []
        earlier.append(Text.join([line, *shown], "\n"))
        left -= length(shown, "\n") + (1 if shown else 0)
    return Text.join([*head, *current, *tail, *earlier])


def _current_head(ctx: CommandContext, proposal: ProposalRow, state: ConsentState) -> Text:
    if proposal.is_open:
        return status_head(ctx, proposal, state)
    return ctx.t(
        "proposal.closed_header",
        number=proposal.number,
        outcome=outcome_text(ctx, proposal),
        round=proposal.round,
        n=len(state.counted),
        counts=counts_text(ctx, state),
    )


async def _earlier(
    ctx: CommandContext, proposal: ProposalRow, round_: int
) -> tuple[Text, list[Text]]:
    """An earlier round: its counts line, and its objections' lines."""
    past = await round_state(ctx, proposal, round_)
    line = ctx.t(
        "proposal.history", round=round_, n=len(past.counted), counts=counts_text(ctx, past)
    )
    return line, reason_lines(ctx, past.of(Answer.BLOCK) + past.of(Answer.OBJECT))


def _more(ctx: CommandContext, k: int) -> Text:
    return ctx.t("proposal.objections_more", n=k)
