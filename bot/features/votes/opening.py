"""``!vote ouvrir``: the candidates, the circle's defaults, the message, the polls, the status."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain.folding import fold
from bot.domain.paging import PHONE_SCREEN
from bot.domain.stories import Story, StoryStatus
from bot.domain.vote_options import (
    DEADLINE_WORDS,
    POINTS_WORDS,
    VoteOptionError,
    VoteOptions,
    parse_vote_options,
)
from bot.features.fitting import PARAGRAPH, length
from bot.features.story_text import story_title
from bot.features.votes.closing import schedule_close
from bot.features.votes.polls import offers_point_polls, send_point_polls
from bot.features.votes.status import status_purpose, status_text
from bot.features.votes.wording import ballot_example, fit_stories, kind_text, when_text
from bot.matrix.messages import Text
from bot.store import stories as story_store
from bot.store import votes as store
from bot.store.votes import VoteRow

MAX_CANDIDATES = 100


async def open_command(ctx: CommandContext, args: str) -> None:
    current = await store.open_vote(ctx.db, ctx.circle_id)
    if current is not None:
        raise CommandRefused("vote.error.already_open", number=current.number)
    now_local = ctx.now.astimezone(ctx.circle.tz)
    try:
        options = parse_vote_options(args, now_local, ctx.circle.settings.timezone, ctx.lang)
    except VoteOptionError as exc:
        fields: dict[str, Any] = {k: v for k, v in exc.data.items() if isinstance(v, int | str)}
        raise UsageError(f"vote.error.{exc.code}", **fields) from None
    stories = {s.number: s for s in await story_store.all_stories(ctx.db, ctx.circle_id)}
    candidates = _candidates(options, stories)
    points, closes_at = _points_and_deadline(ctx, args, options)
    number = await store.insert_vote(
        ctx.db, ctx.circle_id, options.kind, points, candidates, ctx.sender, ctx.now, closes_at
    )
    vote = await store.get_vote(ctx.db, ctx.circle_id, number)
    assert vote is not None
    titles = {n: story_title(stories[n]) for n in candidates}
    await ctx.post_text(_opening_text(ctx, vote, titles))
    await send_point_polls(ctx, vote, titles)
    await ctx.post_text(await status_text(ctx, vote), purpose=status_purpose(vote).text())
    schedule_close(ctx.runtime, vote)


def _candidates(options: VoteOptions, stories: dict[int, Story]) -> list[int]:
    """The stories named, all open; or else every proposed story. Refused if none or too many."""
    if options.stories is None:
        candidates = [n for n, s in stories.items() if s.status is StoryStatus.PROPOSED]
    else:
        unknown = [n for n in options.stories if n not in stories or not stories[n].is_open]
        if unknown:
            raise CommandRefused(
                "vote.error.bad_candidates", numbers=" ".join(f"#{n}" for n in unknown)
            )
        candidates = list(options.stories)
    if not candidates:
        raise CommandRefused("vote.error.no_candidates")
    if len(candidates) > MAX_CANDIDATES:
        raise CommandRefused("vote.error.too_many_candidates", limit=MAX_CANDIDATES)
    return candidates


def _points_and_deadline(
    ctx: CommandContext, args: str, options: VoteOptions
) -> tuple[int, datetime]:
    """The circle's own defaults apply to what the facilitator did not say."""
    said = {w.strip("'’") for w in fold(args).replace("'", " ").split()}
    points = options.points if said & POINTS_WORDS else ctx.circle.settings.vote_points
    closes_at = options.closes_at
    if not said & DEADLINE_WORDS:
        closes_at = ctx.now + timedelta(days=ctx.circle.settings.vote_duration_days)
    return points, closes_at


def _opening_text(ctx: CommandContext, vote: VoteRow, titles: dict[int, str]) -> Text:
    """« Vote #2 ouvert… », the candidates (as many as fit a phone), how to vote."""
    candidates = vote.candidates
    lines = [ctx.t("vote.candidate_line", number=n, text=titles[n]) for n in candidates]
    how = "vote.how.scores" if vote.kind == "scores" else "vote.how.dots"
    if offers_point_polls(vote):
        how = "vote.how.dots_polls"
    head = ctx.t(
        "vote.opened",
        number=vote.number,
        kind=kind_text(ctx, vote.kind, vote.points),
        closes=when_text(ctx, vote.closes_at),
    )
    example = ballot_example(candidates, vote.points)
    how_text = ctx.t(how, n=vote.points, example=example, first=candidates[0])
    room = PHONE_SCREEN - length([head, how_text]) - 2 * len(PARAGRAPH)
    shown = fit_stories(ctx, lines, candidates, room, "vote.candidates_more")
    return Text.join([head, Text.join(shown, "\n"), how_text])
