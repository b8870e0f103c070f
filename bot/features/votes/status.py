"""The vote's status message: who voted, which structures are missing, edited as ballots come."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.structures import by_declared_structure
from bot.domain.tally import latest_ballots, structures_absent
from bot.features.votes.wording import kind_text, tags, when_text
from bot.matrix.messages import Text
from bot.store import outbox
from bot.store import votes as store
from bot.store.purposes import Purpose, PurposeKind
from bot.store.votes import VoteRow

# The status names who voted and how many of their points counted, while it fits a phone.
MAX_NAMED_VOTERS = 25


def status_purpose(vote: VoteRow) -> Purpose:
    return Purpose(PurposeKind.VOTE_STATUS, vote.number, vote.circle_id)


async def structures(ctx: CommandContext) -> dict[str, list[str]]:
    """The circle's members by declared structure."""
    return by_declared_structure(await ctx.runtime.members(ctx.circle_id))


async def no_open_vote(ctx: CommandContext) -> None:
    last = await store.latest_closed_vote(ctx.db, ctx.circle_id)
    if last is None:
        await ctx.reply("vote.none")
    else:
        await ctx.reply("vote.none_since", number=last.number)


async def points_counted(ctx: CommandContext, vote: VoteRow) -> dict[str, int]:
    """Each voter's points as they count now (latest ballot of each; empty ones left out)."""
    ballots = await store.dot_ballots(ctx.db, ctx.circle_id, vote.number)
    counted = {b.voter: b.points_given for b in latest_ballots(ballots)}
    return {voter: given for voter, given in counted.items() if given > 0}


async def status_text(ctx: CommandContext, vote: VoteRow) -> Text:
    if vote.kind == "dots":
        counted = await points_counted(ctx, vote)
        voters = set(counted)
    else:
        counted = {}
        voters = await store.voters(ctx.db, ctx.circle_id, vote.number)
    absent = structures_absent(voters, await structures(ctx))
    parts = [
        ctx.t(
            "vote.status",
            number=vote.number,
            kind=kind_text(ctx, vote.kind, vote.points),
            n=len(voters),
            closes=when_text(ctx, vote.closes_at),
        ),
        ctx.t("vote.candidates", list=tags(vote.candidates)),
    ]
    if counted and len(counted) <= MAX_NAMED_VOTERS:
        parts.append(_points_counted_line(ctx, vote, counted))
    if absent:
        parts.append(ctx.t("vote.absent_structures", structures=", ".join(absent)))
    if withdrawn := await store.withdrawn_count(ctx.db, ctx.circle_id, vote.number):
        parts.append(ctx.t("data.ballots_withdrawn", n=withdrawn))
    parts.append(ctx.t("vote.results_hidden"))
    return Text.join(parts)


def _points_counted_line(ctx: CommandContext, vote: VoteRow, counted: dict[str, int]) -> Text:
    """« Points comptés : Awa 3 sur 3 · Léo 1 sur 3 »: a pioneer who voted in the polls sees
    her points arrive."""
    named = sorted((ctx.display_name(voter), given) for voter, given in counted.items())
    voter_points = [
        ctx.t("vote.voter_points", name=name, n=given, total=vote.points) for name, given in named
    ]
    return ctx.t("vote.points_counted", list=Text.join(voter_points, " · "))


async def refresh_status(ctx: CommandContext, vote: VoteRow) -> None:
    """Edit the vote's status message in place (if it has been sent already)."""
    purpose = status_purpose(vote)
    original = await outbox.sent_event_for(ctx.db, purpose.text())
    if original is None:
        return
    # During a burst of ballots only the latest unsent edit is kept.
    await ctx.edit(original, await status_text(ctx, vote), latest_only=purpose.edit_text())


async def close_status(ctx: CommandContext, vote: VoteRow, voters: int) -> None:
    """Edit the status message into « Vote #4 clos — 6 personnes ont voté… » (if it was sent)."""
    original = await outbox.sent_event_for(ctx.db, status_purpose(vote).text())
    if original is None:
        return
    await ctx.edit(original, ctx.t("vote.status_closed", number=vote.number, n=voters))
