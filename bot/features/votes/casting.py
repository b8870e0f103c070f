"""``!vote`` alone (the status) or with a ballot, in the room or in a private chat."""

from __future__ import annotations

from datetime import datetime

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain.ballots import (
    SCORE_MAX,
    SCORE_MIN,
    BallotError,
    BallotSource,
    DotBallot,
    ScoreBallot,
    is_score_ballot,
    parse_dot_ballot,
    parse_score_ballot,
)
from bot.features.votes.status import no_open_vote, refresh_status, status_text
from bot.features.votes.wording import ballot_example
from bot.matrix.messages import Text
from bot.store import votes as store
from bot.store.votes import VoteRow


async def vote_default(ctx: CommandContext, args: str) -> None:
    vote = await store.open_vote(ctx.db, ctx.circle_id)
    if vote is None:
        await no_open_vote(ctx)
        return
    if not args.strip():
        await ctx.reply_text(await status_text(ctx, vote))
        return
    if ctx.message.server_ts and ctx.message.server_ts / 1000 > vote.closes_at.timestamp():
        raise CommandRefused("vote.error.closed", number=vote.number)
    try:
        ack = await _cast(ctx, vote, args)
    except BallotError as exc:
        raise UsageError(
            f"vote.error.{exc.code}",
            hint_key=f"vote.hint.{vote.kind}",
            **_ballot_fields(vote, exc.data),
        ) from None
    if ctx.in_direct_chat:
        ack = Text.join([ack, ctx.t("vote.ack.secret")])
    await ctx.reply_text(ack)
    await refresh_status(ctx, vote)


async def _cast(ctx: CommandContext, vote: VoteRow, args: str) -> Text:
    """Store the ballot ``args`` says; the acknowledgement to send."""
    source: BallotSource = "dm" if ctx.in_direct_chat else "text"
    cast_at = datetime.fromtimestamp(ctx.message.server_ts / 1000).astimezone()
    candidates = set(vote.candidates)
    event_id = ctx.message.event_id
    if vote.kind == "scores" or is_score_ballot(args):
        if vote.kind != "scores":
            raise CommandRefused("vote.error.not_scores", number=vote.number)
        story, impact, cost = parse_score_ballot(args, candidates)
        ballot = ScoreBallot(ctx.sender, story, impact, cost, cast_at, source, event_id)
        await store.add_score_ballot(ctx.db, ctx.circle_id, vote.number, ballot)
        return ctx.t("vote.ack.scores", story=story, impact=impact, cost=cost)
    points = parse_dot_ballot(args, vote.points, candidates)
    dots = DotBallot(ctx.sender, points, cast_at, source, event_id)
    await store.add_dot_ballot(ctx.db, ctx.circle_id, vote.number, dots)
    return ctx.t("vote.ack.dots", given=_points_text(ctx, points), n=sum(points.values()))


def _ballot_fields(vote: VoteRow, data: dict[str, object]) -> dict[str, object]:
    fields: dict[str, object] = {k: v for k, v in data.items() if isinstance(v, int | str)}
    fields.setdefault("allowed", vote.points)
    fields.setdefault("min", SCORE_MIN)
    fields.setdefault("max", SCORE_MAX)
    fields["candidates"] = " ".join(f"#{n}" for n in vote.candidates)
    fields["example"] = ballot_example(vote.candidates, vote.points)
    fields["first"] = vote.candidates[0]
    return fields


def _points_text(ctx: CommandContext, points: dict[int, int]) -> str:
    return ", ".join(
        ctx.prompts.text(ctx.lang, "vote.points_for", story=story, n=count)
        for story, count in sorted(points.items())
    )
