"""The messages of a chantier's days: « it starts » (porteurs wanted) and « a few days left »."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.domain.stories import Story, StoryStatus
from bot.features.absences import away_today
from bot.features.sprints.rows import circle_stories
from bot.features.sprints.wording import day, folded, title, today
from bot.matrix.messages import Mention, Text
from bot.store import sprints as store
from bot.store.sprints import SprintRow


def _announce_line(ctx: CommandContext, story: Story, away: frozenset[str]) -> Text:
    """A story's line: its porteur, or its author pinged to find one (unless she is away)."""
    text = title(story, ctx.lang)
    if story.porteur:
        porteur = ctx.display_name(story.porteur)
        return ctx.t("sprint.announce.carried", number=story.number, text=text, porteur=porteur)
    author = _pill(ctx, story.author, away)
    return ctx.t("sprint.announce.wanted", number=story.number, text=text, author=author)


def _pill(ctx: CommandContext, user: str, away: frozenset[str]) -> Mention | str:
    """A mention that pings ``user``, or her name alone while she is away (``!absent``)."""
    return ctx.display_name(user) if user in away else Mention(user, ctx.display_name(user))


async def announce(ctx: CommandContext, row: SprintRow) -> None:
    """« The chantier starts »: its stories; authors of stories without porteur are pinged."""
    sprint = row.sprint
    stories = await circle_stories(ctx)
    shown = [
        story
        for number in sprint.stories
        if (story := stories.get(number)) is not None and story.status is not StoryStatus.WITHDRAWN
    ]
    away = await away_today(ctx)
    lines = [_announce_line(ctx, story, away) for story in shown]
    header = ctx.t(
        "sprint.announce.header",
        number=sprint.number,
        name=sprint.name,
        start=day(ctx, sprint.starts_on),
        end=day(ctx, sprint.ends_on),
    )
    how = ctx.t("sprint.announce.how")
    numbers = [story.number for story in shown]
    message = Text.join([header, folded(ctx, lines, numbers, [header, how]), how])
    await ctx.post_text(message, notify=True)
    await store.mark_announced(ctx.db, ctx.circle_id, sprint.number)
    await store.set_status(ctx.db, ctx.circle_id, sprint.number, "active")


def _nudge_line(ctx: CommandContext, story: Story, away: frozenset[str]) -> Text:
    porteur: Mention | Text | str = (
        _pill(ctx, story.porteur, away) if story.porteur else ctx.t("sprint.porteur_wanted")
    )
    return ctx.t(
        "sprint.nudge.line", number=story.number, text=title(story, ctx.lang), porteur=porteur
    )


async def nudge(ctx: CommandContext, row: SprintRow) -> bool:
    """« A few days left »: the unfinished stories, their porteurs pinged. False: nothing to say."""
    sprint = row.sprint
    stories = await circle_stories(ctx)
    unfinished = [
        stories[n]
        for n in sprint.stories
        if n in stories and stories[n].status in (StoryStatus.PROPOSED, StoryStatus.SELECTED)
    ]
    if not unfinished:
        return False
    away = await away_today(ctx)
    lines = [_nudge_line(ctx, story, away) for story in unfinished]
    header = ctx.t(
        "sprint.nudge.header",
        n=sprint.days_left(today(ctx)),
        number=sprint.number,
        name=sprint.name,
        end=day(ctx, sprint.ends_on),
    )
    how = ctx.t("sprint.nudge.how")
    numbers = [story.number for story in unfinished]
    message = Text.join([header, folded(ctx, lines, numbers, [header, how]), how])
    await ctx.post_text(message, notify=True)
    return True
