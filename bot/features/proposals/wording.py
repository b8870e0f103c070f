"""How a proposal's messages name its answers, its outcome, its dates and its people."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused
from bot.domain.consent import Answer, ConsentAnswer, ConsentState, Quorum
from bot.domain.shortening import shorten
from bot.matrix.messages import Text
from bot.store import proposals as store
from bot.store.proposals import ProposalRow

TITLE_CHARS = 60  # a proposal named in a poll, a list or a recap
REASON_CHARS = 140  # an objection's reason in a message (the person's own message has it whole)
SEPARATOR = " · "  # between the counts of each answer


def title(text: str) -> str:
    """A proposal's text cut for a poll, a list or a recap."""
    return shorten(" ".join(text.split()), TITLE_CHARS)


def quorum_of(ctx: CommandContext) -> Quorum:
    return Quorum.parse(ctx.circle.settings.proposal_quorum)


def counts_text(ctx: CommandContext, state: ConsentState) -> Text:
    """« 2 d'accord · 1 abstention · 1 objection » (kinds nobody chose left out)."""
    parts = [
        ctx.t(f"proposal.count.{answer.value}", n=len(given))
        for answer in Answer
        if (given := state.of(answer))
    ]
    return Text.join(parts, SEPARATOR)


def reason_lines(ctx: CommandContext, given: list[ConsentAnswer]) -> list[Text]:
    """« - Bruno Plateau (objection) : trop tôt »: objections are heard, never secret."""
    return [
        ctx.t(
            "proposal.reason_line",
            name=ctx.display_name(a.member),
            answer=ctx.t(f"proposal.answer.{a.answer.value}"),
            reason=shorten(a.reason or "", REASON_CHARS),
        )
        for a in given
    ]


def outcome_text(ctx: CommandContext, proposal: ProposalRow) -> Text:
    outcome = proposal.outcome
    return ctx.t(f"proposal.outcome.{outcome.value}") if outcome else ctx.t("proposal.open")


async def find_proposal(ctx: CommandContext, word: str) -> ProposalRow:
    """The proposal numbered ``word`` (« 3 » or « #3 »); refused when there is none."""
    number = word.strip().lstrip("#")
    if not (number.isascii() and number.isdigit()):
        raise CommandRefused("proposal.error.not_a_number", word=word)
    proposal = await store.get_proposal(ctx.db, ctx.circle_id, int(number))
    if proposal is None:
        raise CommandRefused("proposal.error.unknown", number=int(number))
    return proposal


async def proposal_to_steer(ctx: CommandContext, word: str, action: str) -> ProposalRow:
    """The open proposal numbered ``word`` that the sender may ``action`` (« amend » or
    « close »): its author and the facilitators may; a closed one or someone else's is
    refused with that action's own line."""
    proposal = await find_proposal(ctx, word)
    if not proposal.is_open:
        raise CommandRefused(
            f"proposal.error.closed_{action}",
            number=proposal.number,
            outcome=outcome_text(ctx, proposal),
        )
    if ctx.sender != proposal.author and not ctx.is_facilitator:
        raise CommandRefused(
            f"proposal.error.not_author_{action}",
            number=proposal.number,
            author=ctx.display_name(proposal.author),
        )
    return proposal
