"""How a proposal's messages name its answers, its outcome, its dates and its people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused
from bot.domain.consent import Answer, ConsentAnswer, ConsentState, Quorum
from bot.domain.dates import format_datetime
from bot.domain.shortening import shorten
from bot.domain.structures import by_declared_structure
from bot.matrix.messages import Markdown, Text
from bot.store import proposals as store
from bot.store.proposals import ProposalRow

TITLE_CHARS = 60  # a proposal named in a poll, a list or a recap
REASON_CHARS = 140  # an objection's reason in a message (the person's own message has it whole)
SEPARATOR = {"fr": " · ", "en": " · "}


def when_text(ctx: CommandContext, at: datetime) -> str:
    glue = ctx.prompts.template(ctx.lang, "date.glue")
    return format_datetime(at.astimezone(ctx.circle.tz), ctx.lang, ctx.now, glue=glue)


def title(text: str) -> str:
    """A proposal's text cut for a poll, a list or a recap."""
    return shorten(" ".join(text.split()), TITLE_CHARS)


def tags(numbers: Iterable[int]) -> Markdown:
    """« #3 #7 #12 »."""
    return Markdown(" ".join(f"#{n}" for n in numbers))


def quorum_of(ctx: CommandContext) -> Quorum:
    return Quorum.parse(ctx.circle.settings.proposal_quorum)


async def structures(ctx: CommandContext) -> dict[str, list[str]]:
    """The circle's members by declared structure."""
    return by_declared_structure(await ctx.runtime.members(ctx.circle_id))


def counts_text(ctx: CommandContext, state: ConsentState) -> Text:
    """« 2 d'accord · 1 abstention · 1 objection » (kinds nobody chose left out)."""
    parts = [
        ctx.t(f"proposal.count.{answer.value}", n=len(given))
        for answer in Answer
        if (given := state.of(answer))
    ]
    return Text.join(parts, SEPARATOR.get(ctx.lang, " · "))


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


def may_steer(ctx: CommandContext, proposal: ProposalRow) -> bool:
    """The author and the facilitators may amend or close a proposal."""
    return ctx.sender == proposal.author or ctx.is_facilitator
