"""The post-its ``!themes`` groups: open stories and blockers without a theme."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.matrix.messages import Text
from bot.store import stories as store
from bot.store.theme_proposals import PostItKey

STORY, BLOCKER = "story", "blocker"


async def untagged(ctx: CommandContext) -> list[tuple[PostItKey, str]]:
    """Open stories, then blockers not yet reformulated, that have no theme, with their text."""
    stories = [
        ((STORY, s.number), s.text)
        for s in await store.all_stories(ctx.db, ctx.circle_id)
        if s.is_open and not s.themes
    ]
    blockers = [
        ((BLOCKER, b.number), b.text)
        for b in await store.all_blockers(ctx.db, ctx.circle_id)
        if b.story_number is None and not b.themes
    ]
    return stories + blockers


def members_text(ctx: CommandContext, members: tuple[PostItKey, ...]) -> Text:
    """« histoires #4, #7 · frein #2 »: the stories, then the blockers, of a group."""
    parts = []
    for kind, key in ((STORY, "themes.stories"), (BLOCKER, "themes.blockers")):
        numbers = [number for member_kind, number in members if member_kind == kind]
        if numbers:
            listed = ", ".join(f"#{n}" for n in numbers)
            parts.append(ctx.t(key, n=len(numbers), numbers=listed))
    return Text.join(parts, " · ")
