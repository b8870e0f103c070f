"""``!proposition`` alone (the open proposals), ``!proposition 3`` (one, with its history), and
the dispatch of ``!proposition …``: a number and an answer, or the text of a new proposal."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.consent import is_answer
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
from bot.features.proposals.wording import counts_text, find_proposal, outcome_text, tags, title
from bot.matrix.messages import Text
from bot.store import proposals as store
from bot.store.proposals import ProposalRow


async def proposal_default(ctx: CommandContext, args: str) -> None:
    words = args.strip()
    first, _, rest = words.partition(" ")
    if not words:
        await list_open(ctx)
    elif await _is_about_a_proposal(ctx, first, rest):
        proposal = await find_proposal(ctx, first)
        if rest.strip():
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
    """The proposal, where its round stands (or its outcome), and its earlier rounds."""
    state = await round_state(ctx, proposal, proposal.round)
    if proposal.is_open:
        head = [status_head(ctx, proposal, state)]
        tail = quorum_lines(ctx, state)
    else:
        head = [
            ctx.t(
                "proposal.closed_header",
                number=proposal.number,
                outcome=outcome_text(ctx, proposal),
                round=proposal.round,
                n=len(state.counted),
                counts=counts_text(ctx, state),
            )
        ]
        tail = []
    head.append(ctx.t("proposal.quote", text=proposal.text))
    for earlier in range(proposal.round - 1, 0, -1):
        past = await round_state(ctx, proposal, earlier)
        tail.append(
            ctx.t(
                "proposal.history",
                round=earlier,
                n=len(past.counted),
                counts=counts_text(ctx, past),
            )
        )
    room = PHONE_SCREEN - length([*head, *tail]) - 2 * len(PARAGRAPH)
    return Text.join([*head, *answers_parts(ctx, state, room), *tail])
