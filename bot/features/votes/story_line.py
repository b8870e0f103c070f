"""What ``!histoire 12`` says of the story's votes (closed ones only)."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.stories import Story
from bot.matrix.messages import Text
from bot.store import votes as store


async def story_votes_line(ctx: CommandContext, story: Story) -> Text | None:
    """« Votes : vote #1 : 4 points (rang 1) » for ``!histoire 12``; open votes stay hidden."""
    lines: list[Text] = []
    for vote in await store.all_votes(ctx.db, ctx.circle_id):
        if vote.results is None or story.number not in vote.candidates:
            continue
        rank = vote.results.rank_of(story.number)
        points = vote.results.points_of(story.number)
        if vote.kind == "dots" and points is not None:
            lines.append(ctx.t("vote.story_points", number=vote.number, n=points, rank=rank))
        else:
            lines.append(ctx.t("vote.story_rank", number=vote.number, rank=rank))
    if not lines:
        return None
    return ctx.t("vote.story_header", votes=Text.join(lines, " ; " if ctx.lang == "fr" else "; "))
