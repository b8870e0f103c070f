"""Which chantier a command or a job is about, by the domain's rules, read from the store."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.commands.context import CommandContext
from bot.domain.sprints import Sprint, latest_open, next_planned, under_way
from bot.domain.stories import Story
from bot.store import sprints as store
from bot.store import stories as story_store
from bot.store.sprints import SprintRow


def _row_of(rows: Iterable[SprintRow], sprint: Sprint | None) -> SprintRow | None:
    if sprint is None:
        return None
    return next(r for r in rows if r.number == sprint.number)


def current_row(rows: Iterable[SprintRow], today: date) -> SprintRow | None:
    """The chantier under way: started, not closed (the latest started if several)."""
    rows = list(rows)
    return _row_of(rows, under_way([r.sprint for r in rows], today))


def next_planned_row(rows: Iterable[SprintRow], today: date) -> SprintRow | None:
    """The chantier being prepared: not started yet (the latest planned if several)."""
    rows = list(rows)
    return _row_of(rows, next_planned([r.sprint for r in rows], today))


async def open_rows(ctx: CommandContext) -> list[SprintRow]:
    return [
        r for r in await store.all_sprints(ctx.db, ctx.circle_id) if r.sprint.status != "closed"
    ]


async def target_row(ctx: CommandContext) -> SprintRow | None:
    """The chantier ``ajouter``/``retirer`` change (``latest_open``), if any."""
    rows = await open_rows(ctx)
    return _row_of(rows, latest_open([r.sprint for r in rows]))


async def open_sprint_holding(ctx: CommandContext, story: int, other_than: int) -> int | None:
    """The number of another chantier not closed that holds ``story``, if any."""
    for number in await store.sprints_with_story(ctx.db, ctx.circle_id, story):
        row = await store.get_sprint(ctx.db, ctx.circle_id, number)
        if number != other_than and row is not None and row.sprint.status != "closed":
            return number
    return None


async def circle_stories(ctx: CommandContext) -> dict[int, Story]:
    """Every story of the circle, by number."""
    return {s.number: s for s in await story_store.all_stories(ctx.db, ctx.circle_id)}
