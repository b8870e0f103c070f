"""``!histoire fusionner 9 4``: story 9 says the same need as story 4, so it joins it.

Story 9 is withdrawn (kept, marked « fusionnée dans #4 »), its author becomes a co-author of
#4, its blockers and themes move to #4. A running vote is never touched: the reply says that
the points already given to #9 stay counted for #9.
"""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import RefusedWith, UsageError
from bot.domain.stories import Story, StoryRuleError, StoryStatus
from bot.domain.story_merge import Merge, merge
from bot.domain.themes import theme_key
from bot.features.stories.recording import load_story
from bot.features.story_text import rule_error
from bot.matrix.messages import Text
from bot.store import stories as store
from bot.store import story_merges, votes


async def merge_story(ctx: CommandContext, args: str) -> None:
    words = args.split()
    if len(words) != 2:
        raise UsageError("merge.error.form")
    source = await load_story(ctx, words[0])
    target = await load_story(ctx, words[1])
    try:
        done = merge(source, target, ctx.sender, ctx.is_facilitator)
    except StoryRuleError as exc:
        raise RefusedWith(_refusal(ctx, exc)) from None
    await store.save_story(ctx.db, done.merged)
    await store.save_story(ctx.db, done.kept)
    await story_merges.record_merge(
        ctx.db, ctx.circle_id, source.number, target.number, ctx.sender, ctx.now
    )
    authors = [source.author, *await story_merges.coauthors(ctx.db, ctx.circle_id, source.number)]
    joining = [a for a in dict.fromkeys(authors) if a != target.author]
    await story_merges.add_coauthors(ctx.db, ctx.circle_id, target.number, joining)
    moved = await story_merges.move_blockers(ctx.db, ctx.circle_id, source.number, target.number)
    await ctx.reply_text(Text.join(await _merged_lines(ctx, done, joining, moved, target)))


async def _merged_lines(
    ctx: CommandContext, done: Merge, joining: list[str], moved: int, target: Story
) -> list[Text]:
    merged, kept = done.merged.number, done.kept.number
    lines = [ctx.t("merge.done", merged=merged, kept=kept)]
    if joining:
        names = ", ".join(ctx.display_name(a) for a in joining)
        lines.append(ctx.t("merge.coauthors", n=len(joining), names=names, kept=kept))
    old_keys = {theme_key(t) for t in target.themes}
    added = [t for t in done.kept.themes if theme_key(t) not in old_keys]
    if added:
        lines.append(ctx.t("merge.themes", added=" ".join(f"#{t}" for t in added), kept=kept))
    if moved:
        lines.append(ctx.t("merge.blockers", n=moved, kept=kept))
    running = await votes.open_vote(ctx.db, ctx.circle_id)
    if running is not None and merged in running.candidates:
        lines.append(ctx.t("merge.vote_kept", vote=running.number, merged=merged, kept=kept))
    return lines


def _refusal(ctx: CommandContext, exc: StoryRuleError) -> Text:
    """One line naming what is wrong with this merge."""
    data = exc.data
    if exc.code == "merge_itself":
        return ctx.t("merge.error.itself", number=data["number"])
    if exc.code == "merge_selected":
        return ctx.t("merge.error.selected", number=data["number"])
    if exc.code in ("merge_source_closed", "merge_target_closed"):
        status = ctx.t(f"status.{StoryStatus(str(data['status'])).value}")
        key = exc.code.replace("merge_", "merge.error.")
        return ctx.t(key, number=data["number"], status=status)
    if exc.code == "merge_not_allowed":
        return ctx.t("merge.error.not_allowed", newer=data["newer"])
    return rule_error(ctx, exc)


async def merge_lines(ctx: CommandContext, story: Story) -> Text | None:
    """Under ``!histoire N``: where a merged story went, and who else wrote a kept one."""
    went = await story_merges.merge_of(ctx.db, ctx.circle_id, story.number)
    if went is not None:
        return ctx.t("merge.line.merged_into", kept=went.into_story)
    others = await story_merges.coauthors(ctx.db, ctx.circle_id, story.number)
    if not others:
        return None
    names = ", ".join(ctx.display_name(a) for a in others)
    return ctx.t("merge.line.coauthors", names=names)
