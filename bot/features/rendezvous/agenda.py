"""The agenda of a rendez-vous, from the circle's state: the running chantier's stories with
their porteurs and status, stories still without porteur, what is new since the last one."""

from __future__ import annotations

from datetime import datetime

from bot.commands.context import CommandContext
from bot.domain.stories import Story, StoryStatus
from bot.features.sprints.rows import circle_stories, current_row
from bot.features.story_text import story_title
from bot.matrix.messages import Markdown, Text
from bot.store import sprints as sprint_store
from bot.store import stories as story_store

TITLE_CHARS = 40
MAX_LINES = 4  # per part: the announcement must fit a phone screen


async def agenda_text(ctx: CommandContext, since: datetime | None) -> Text:
    """« Ordre du jour » and its parts; ``since``: the last rendez-vous (None: the first)."""
    stories = await circle_stories(ctx)
    parts = [ctx.t("rdv.agenda.header")]
    parts += await _chantier_part(ctx, stories)
    parts += _without_porteur_part(ctx, stories)
    parts += await _news_part(ctx, stories, since)
    if len(parts) == 1:
        parts.append(ctx.t("rdv.agenda.open_floor"))
    return Text.join(parts, "\n")


async def _chantier_part(ctx: CommandContext, stories: dict[int, Story]) -> list[Text]:
    rows = await sprint_store.all_sprints(ctx.db, ctx.circle_id)
    row = current_row(rows, ctx.now.astimezone(ctx.circle.tz).date())
    if row is None:
        return []
    shown = [stories[n] for n in row.sprint.stories if n in stories]
    shown = [s for s in shown if s.status is not StoryStatus.WITHDRAWN]
    lines = [ctx.t("rdv.agenda.chantier", number=row.sprint.number, name=row.sprint.name)]
    for story in shown[:MAX_LINES]:
        porteur = ctx.display_name(story.porteur) if story.porteur else None
        lines.append(
            ctx.t(
                "rdv.agenda.chantier_story" if porteur else "rdv.agenda.chantier_story_alone",
                number=story.number,
                title=_title(ctx, story),
                porteur=porteur or "",
                status=ctx.t(f"rdv.agenda.status.{story.status.value}"),
            )
        )
    if len(shown) > MAX_LINES:
        lines.append(ctx.t("rdv.agenda.more", n=len(shown) - MAX_LINES))
    return lines


def _without_porteur_part(ctx: CommandContext, stories: dict[int, Story]) -> list[Text]:
    alone = [s for s in stories.values() if s.is_open and s.porteur is None]
    if not alone:
        return []
    return [ctx.t("rdv.agenda.without_porteur", n=len(alone), list=_tags(alone))]


async def _news_part(
    ctx: CommandContext, stories: dict[int, Story], since: datetime | None
) -> list[Text]:
    if since is None:
        return []
    new_stories = [s for s in stories.values() if s.created_at > since and s.is_open]
    blockers = [
        b
        for b in await story_store.all_blockers(ctx.db, ctx.circle_id)
        if b.created_at > since and not b.is_reformulated
    ]
    parts = []
    if new_stories:
        parts.append(ctx.t("rdv.agenda.new_stories", n=len(new_stories), list=_tags(new_stories)))
    if blockers:
        tags = Markdown(" ".join(f"#{b.number}" for b in blockers[:8]))
        parts.append(ctx.t("rdv.agenda.new_blockers", n=len(blockers), list=tags))
    return parts


def _tags(stories: list[Story]) -> Markdown:
    numbers = sorted(s.number for s in stories)
    shown = " ".join(f"#{n}" for n in numbers[:8])
    return Markdown(shown + (" …" if len(numbers) > 8 else ""))


def _title(ctx: CommandContext, story: Story) -> str:
    return story_title(story, TITLE_CHARS, ctx.lang)
