"""« Elle ressemble à #4 »: the line added when a new story or blocker looks like the same
need as an open story (``bot.domain.similarity``), so its author can merge it."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.similarity import Bag, Similar, parts_bag, similar_stories, text_bag
from bot.domain.stories import Blocker, Story
from bot.features.story_text import story_title
from bot.matrix.messages import Text
from bot.store import stories as store

TITLE_CHARS = 70


async def _similar(ctx: CommandContext, new: Bag, leave_out: int | None) -> list[Story]:
    """The open stories closest to ``new`` (story ``leave_out`` itself left out); none when
    the circle turned the comparison off (``similar_stories: false``)."""
    if not ctx.circle.settings.similar_stories:
        return []
    candidates = [
        s
        for s in await store.all_stories(ctx.db, ctx.circle_id)
        if s.is_open and s.number != leave_out
    ]
    bags = [(s.number, parts_bag(s.parts)) for s in candidates]
    found: list[Similar] = similar_stories(new, bags)
    by_number = {s.number: s for s in candidates}
    return [by_number[f.number] for f in found]


async def similar_to_story(ctx: CommandContext, story: Story) -> list[Text]:
    """A line per open story that looks like ``story``, with the merge command to type."""
    return [
        ctx.t(
            "similar.story",
            other=other.number,
            number=story.number,
            title=story_title(other, TITLE_CHARS, ctx.lang),
        )
        for other in await _similar(ctx, parts_bag(story.parts), story.number)
    ]


async def similar_to_blocker(ctx: CommandContext, blocker: Blocker) -> list[Text]:
    """A line per open story that looks like the need ``blocker`` names."""
    return [
        ctx.t(
            "similar.blocker",
            other=other.number,
            title=story_title(other, TITLE_CHARS, ctx.lang),
        )
        for other in await _similar(ctx, text_bag(blocker.text), None)
    ]
