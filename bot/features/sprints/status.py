"""A chantier as people ask for it: its status while open, its summary once closed, its
line in the list and under ``!histoire N``."""

from __future__ import annotations

from collections.abc import Sequence

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused
from bot.domain.stories import Story, StoryStatus
from bot.features.sprints.personal_data import discreet
from bot.features.sprints.rows import circle_stories, current_row
from bot.features.sprints.summary import summary_facts
from bot.features.sprints.summary_text import summary_text
from bot.features.sprints.wording import day, folded, title, today
from bot.features.story_text import status_text
from bot.matrix.messages import Text
from bot.store import sprints as store
from bot.store.sprints import SprintRow


def _porteur_text(ctx: CommandContext, story: Story) -> Text:
    if story.porteur:
        return ctx.t("sprint.porteur", name=ctx.display_name(story.porteur))
    return ctx.t("sprint.porteur_wanted")


def _header(ctx: CommandContext, row: SprintRow) -> Text:
    """Dates, and days left or the first day."""
    sprint, now = row.sprint, today(ctx)
    if sprint.is_started(now):
        left = sprint.days_left(now)
        when = ctx.t("sprint.status.days_left", n=left) if left else ctx.t("sprint.status.last_day")
    else:
        when = ctx.t("sprint.status.starts", start=day(ctx, sprint.starts_on))
    return ctx.t(
        "sprint.status.header",
        number=sprint.number,
        name=sprint.name,
        start=day(ctx, sprint.starts_on),
        end=day(ctx, sprint.ends_on),
        when=when,
    )


async def status_text_of(ctx: CommandContext, row: SprintRow, after: Sequence[Text] = ()) -> Text:
    """A chantier not closed: dates, days left or first day, stories and porteurs (as many
    as fit a phone screen with what comes ``after`` in the same message)."""
    parts = [_header(ctx, row)]
    stories = await circle_stories(ctx)
    mine = [stories[n] for n in row.sprint.stories if n in stories]
    if not mine:
        parts.append(ctx.t("sprint.status.no_stories"))
        return Text.join(parts)
    lines = [
        ctx.t(
            "sprint.status.story_line",
            number=s.number,
            text=title(s, ctx.lang),
            status=status_text(ctx, s),
            porteur=_porteur_text(ctx, s),
        )
        for s in mine
    ]
    counted = [s for s in mine if s.status is not StoryStatus.WITHDRAWN]
    done = sum(1 for s in counted if s.status is StoryStatus.DONE)
    progress = ctx.t("sprint.status.progress", n=done, total=len(counted))
    parts.append(folded(ctx, lines, [s.number for s in mine], [*parts, progress, *after]))
    parts.append(progress)
    return Text.join(parts)


def state_text(ctx: CommandContext, row: SprintRow) -> Text:
    """« en cours », « prévu », « clos »: the chantier's state as people see it."""
    return ctx.t(f"sprint.state.{row.sprint.state(today(ctx))}")


async def sprint_summary_text(ctx: CommandContext, number: int | None = None) -> Text:
    """The summary of chantier ``number`` (``!bilan chantier 2``), retrospective included.

    ``None``: the current chantier, else the latest one. A chantier not closed yet gets
    its progress so far. Raises ``CommandRefused`` (``sprint.error.unknown`` or
    ``sprint.error.none``) for the router to answer.
    """
    rows = await store.all_sprints(ctx.db, ctx.circle_id)
    if number is None:
        row = current_row(rows, today(ctx)) or (rows[-1] if rows else None)
        if row is None:
            raise CommandRefused("sprint.error.none")
    else:
        found = [r for r in rows if r.number == number]
        if not found:
            raise CommandRefused("sprint.error.unknown", number=number)
        row = found[0]
    if row.sprint.status == "closed" and row.summary is not None:
        retro = await store.retro_answers(ctx.db, ctx.circle_id, row.number)
        return summary_text(ctx, *await discreet(ctx, row.summary, retro), closed=True)
    if not row.sprint.is_started(today(ctx)):
        return await status_text_of(ctx, row)
    facts = await summary_facts(ctx.db, ctx.lang, row.sprint, await circle_stories(ctx))
    return summary_text(ctx, *await discreet(ctx, facts, None), closed=False)


async def story_sprint_line(ctx: CommandContext, story: Story) -> Text | None:
    """« In mini-chantier #2 » for ``!histoire 12``: the open chantier holding it, else the last."""
    numbers = await store.sprints_with_story(ctx.db, ctx.circle_id, story.number)
    rows = [r for n in numbers if (r := await store.get_sprint(ctx.db, ctx.circle_id, n))]
    if not rows:
        return None
    row = next((r for r in rows if r.sprint.status != "closed"), rows[0])
    return ctx.t(
        "sprint.story_extra", number=row.number, name=row.sprint.name, state=state_text(ctx, row)
    )
