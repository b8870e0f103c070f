"""``!themes [n]``: groups of the untagged stories and blockers, each with a hashtag, as a
draft the facilitator adjusts; remembered so that ``!themes appliquer 2`` applies group 2."""

from __future__ import annotations

import math

from bot.commands.context import CommandContext
from bot.commands.registry import UsageError
from bot.domain.theme_groups import MAX_GROUPS, ThemeGroup, suggest_groups
from bot.features.themes.postits import members_text, untagged
from bot.matrix.messages import Text
from bot.store import theme_proposals
from bot.store.theme_proposals import PostItKey

MIN_GROUPS = 2
POSTITS_PER_GROUP = 3  # without a number asked: about three post-its a group (theme_groups at most)


def parse_group_count(args: str) -> int | None:
    """``!themes`` alone (None: the default) or ``!themes 4``; a UsageError otherwise."""
    words = args.split()
    if not words:
        return None
    if len(words) == 1 and words[0].isdigit() and MIN_GROUPS <= int(words[0]) <= MAX_GROUPS:
        return int(words[0])
    raise UsageError("themes.error.bad_count", low=MIN_GROUPS, high=MAX_GROUPS)


async def suggest_themes(ctx: CommandContext, args: str) -> None:
    asked = parse_group_count(args)
    items = await untagged(ctx)
    if len(items) < MIN_GROUPS:
        await ctx.reply("themes.nothing" if not items else "themes.too_few")
        return
    ceiling = ctx.circle.settings.theme_groups
    count = asked or min(ceiling, max(MIN_GROUPS, math.ceil(len(items) / POSTITS_PER_GROUP)))
    found = suggest_groups(items, count)
    groups = [g for g in found if len(g.members) > 1]
    alone = tuple(m for g in found if len(g.members) == 1 for m in g.members)
    await theme_proposals.remember(ctx.db, ctx.circle_id, groups, ctx.sender, ctx.now)
    await ctx.reply_text(proposal_text(ctx, len(items), groups, alone))


def proposal_text(
    ctx: CommandContext,
    total: int,
    groups: list[ThemeGroup[PostItKey]],
    alone: tuple[PostItKey, ...],
) -> Text:
    lines = [
        ctx.t("themes.group", index=i, hashtag=g.hashtag, texts=members_text(ctx, g.members))
        for i, g in enumerate(groups, start=1)
    ]
    blocks = (
        [ctx.t("themes.header", n=total), Text.join(lines, "\n")]
        if lines
        else [ctx.t("themes.no_group", n=total)]
    )
    if alone:
        blocks.append(ctx.t("themes.alone", texts=members_text(ctx, alone)))
    if lines:
        blocks.append(ctx.t("themes.footer", count=len(groups)))
    return Text.join(blocks)
