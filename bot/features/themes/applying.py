"""``!themes appliquer [n]``: the hashtag of group n (or of every group) of the last
``!themes`` becomes a theme of its stories and blockers; no text is rewritten."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain.story_merge import merged_themes
from bot.domain.theme_groups import ThemeGroup
from bot.features.themes.postits import BLOCKER, members_text
from bot.matrix.messages import Text
from bot.store import stories as store
from bot.store import story_merges, theme_proposals
from bot.store.theme_proposals import PostItKey


async def apply_themes(ctx: CommandContext, args: str) -> None:
    groups = await theme_proposals.last_proposal(ctx.db, ctx.circle_id)
    if not groups:
        raise CommandRefused("themes.error.no_proposal")
    chosen = _chosen(groups, args)
    lines = []
    for group in chosen:
        await _apply(ctx, group)
        lines.append(
            ctx.t("themes.applied", hashtag=group.hashtag, texts=members_text(ctx, group.members))
        )
    await ctx.reply_text(Text.join(lines, "\n"))


def _chosen(groups: list[ThemeGroup[PostItKey]], args: str) -> list[ThemeGroup[PostItKey]]:
    """Every group (no word), or group n of the last proposal; refused otherwise."""
    words = args.split()
    if not words:
        return groups
    if len(words) != 1 or not words[0].lstrip("#").isdigit():
        raise UsageError("themes.error.bad_word", word=words[0])
    index = int(words[0].lstrip("#"))
    if not 1 <= index <= len(groups):
        raise CommandRefused("themes.error.no_group", n=len(groups), asked=index)
    return [groups[index - 1]]


async def _apply(ctx: CommandContext, group: ThemeGroup[PostItKey]) -> None:
    """Add the group's hashtag to the themes of each member still there."""
    for kind, number in group.members:
        if kind == BLOCKER:
            blocker = await store.get_blocker(ctx.db, ctx.circle_id, number)
            if blocker is not None:
                themes = merged_themes(blocker.themes, [group.hashtag])
                await story_merges.set_blocker_themes(ctx.db, ctx.circle_id, number, themes)
            continue
        story = await store.get_story(ctx.db, ctx.circle_id, number)
        if story is not None:
            story.themes = merged_themes(story.themes, [group.hashtag])
            await store.save_story(ctx.db, story)
