"""The register of decisions: ``!decisions`` lists the adopted proposals, and ``!histoire 12``
names the decisions that cite the story."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.commands.context import CommandContext
from bot.domain.consent import cited_stories
from bot.domain.dates import format_day_month
from bot.domain.paging import PHONE_SCREEN
from bot.domain.recaps import MonthlyRecap
from bot.domain.shortening import shorten
from bot.domain.stories import Story
from bot.features.fitting import fit_lines, length
from bot.features.votes.wording import tags
from bot.matrix.messages import Text
from bot.store import proposals as store
from bot.store.proposals import ProposalRow

LINE_CHARS = 140  # a decision in the register: `!proposition N` shows it whole
RECAP_CHARS = 50  # a decision in the monthly recap
RECAP_NAMED = 3  # decisions named by title in the monthly recap, the others by number


async def decisions_command(ctx: CommandContext, args: str) -> None:
    """The adopted proposals, the latest first, as many as fit a phone screen."""
    adopted = list(reversed(await store.decisions(ctx.db, ctx.circle_id)))
    if not adopted:
        await ctx.reply("proposal.register.none")
        return
    head = ctx.t("proposal.register.header", n=len(adopted))
    lines = [decision_line(ctx, p) for p in adopted]
    numbers = [p.number for p in adopted]

    def more(k: int) -> Text:
        return ctx.t("proposal.register.more", proposals=tags(numbers[-k:]))

    shown = fit_lines(lines, more, PHONE_SCREEN - length([head]))
    await ctx.reply_text(Text.join([head, Text.join(shown, "\n")]))


def decision_line(ctx: CommandContext, proposal: ProposalRow) -> Text:
    """« - 5 décembre · #3 Adhérer au réseau des ressourceries (#12) »."""
    assert proposal.closed_at is not None
    day = format_day_month(proposal.closed_at.astimezone(ctx.circle.tz).date(), ctx.lang)
    text = shorten(proposal.text, LINE_CHARS)
    line = ctx.t("proposal.register.line", day=day, number=proposal.number, text=text)
    # Stories the shortened text no longer shows are named after it.
    hidden = [n for n in proposal.stories if n not in cited_stories(text)]
    if hidden:
        line = line + ctx.t("proposal.register.stories", stories=tags(hidden))
    return line


async def story_decisions_line(ctx: CommandContext, story: Story) -> Text | None:
    """« Décisions : proposition #3 adoptée le 5 décembre » under ``!histoire 12``."""
    citing = [p for p in await store.decisions(ctx.db, ctx.circle_id) if story.number in p.stories]
    if not citing:
        return None
    items = []
    for proposal in citing:
        assert proposal.closed_at is not None
        day = format_day_month(proposal.closed_at.astimezone(ctx.circle.tz).date(), ctx.lang)
        items.append(ctx.t("proposal.story_item", number=proposal.number, day=day))
    return ctx.t("proposal.story_header", decisions=Text.join(items, ", "))


async def decisions_of_month(
    ctx: CommandContext, in_month: Callable[[datetime | None], bool]
) -> list[ProposalRow]:
    """The proposals adopted on a day ``in_month`` accepts (for the monthly recap)."""
    return [p for p in await store.decisions(ctx.db, ctx.circle_id) if in_month(p.closed_at)]


def decisions_lines(ctx: CommandContext, recap: MonthlyRecap) -> list[Text]:
    """« ⚖️ Décidé ce mois-ci : #3 Adhérer au réseau… ; #5 … » (nothing when none)."""
    if not recap.decisions:
        return []
    named, others = recap.decisions[:RECAP_NAMED], recap.decisions[RECAP_NAMED:]
    items = [
        ctx.t("proposal.recap_item", number=d.number, title=shorten(d.title, RECAP_CHARS))
        for d in named
    ]
    if others:  # a busy month still fits a phone: the rest by number
        items.append(ctx.t("proposal.recap_more", proposals=tags([d.number for d in others])))
    decisions = Text.join(items, " ; " if ctx.lang == "fr" else "; ")
    return [ctx.t("proposal.recap", n=len(recap.decisions), decisions=decisions)]
