"""``!chantier nouveau`` (plan one, with the stories the last vote proposes), ``ajouter``
and ``retirer`` (choose its stories)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain import stories as story_rules
from bot.domain.folding import fold
from bot.domain.sprints import (
    MAX_SPRINT_NAME_LENGTH,
    MAX_STORIES_PER_SPRINT,
    Sprint,
    SprintError,
    add_stories,
    is_too_long,
    overlapping,
    plan_sprint,
    remove_stories,
    sprint_name,
)
from bot.domain.stories import StoryStatus
from bot.features.sprints.announcements import announce
from bot.features.sprints.dates import parse_plan
from bot.features.sprints.lifecycle import schedule_sprint_jobs
from bot.features.sprints.rows import circle_stories, open_rows, open_sprint_holding, target_row
from bot.features.sprints.summary import next_proposal
from bot.features.sprints.wording import day, plain_numbers, tags, title, today
from bot.features.stories import parse_number
from bot.matrix.messages import Text
from bot.store import sprints as store
from bot.store import stories as story_store
from bot.store import votes as vote_store
from bot.store.sprints import SprintRow

SKIPPED_WORDS = frozenset({"et", "and"})
_LIST_SEPARATORS = re.compile(r"[\s,;]+")


def _refusal(sprint: Sprint | None, exc: SprintError) -> Exception:
    """The friendly answer to a ``SprintError`` (as an exception the router turns into a reply)."""
    fields: dict[str, Any] = {
        "number": sprint.number if sprint else 0,
        "stories": tags(exc.stories),
        "limit": MAX_STORIES_PER_SPRINT
        if exc.code == "too_many_stories"
        else MAX_SPRINT_NAME_LENGTH,
    }
    if exc.code in ("empty_name", "no_stories"):
        return UsageError(f"sprint.error.{exc.code}", **fields)
    return CommandRefused(f"sprint.error.{exc.code}", **fields)


# ---- !chantier nouveau ----
async def _planned_days(ctx: CommandContext, args: str) -> tuple[str, date, date]:
    """(name, first day, last day) of the chantier ``args`` plans; refused if it cannot be."""
    now = today(ctx)
    name, start, end = parse_plan(ctx, args)
    try:
        display = sprint_name(name)
        starts_on, ends_on = plan_sprint(display, now, start, end)
    except SprintError as exc:
        if exc.code == "end_before_start" and start is not None and end is not None:
            raise CommandRefused(
                "sprint.error.end_before_start", start=day(ctx, start), end=day(ctx, end)
            ) from None
        raise _refusal(None, exc) from None
    if is_too_long(starts_on, ends_on, now):
        # e.g. « au 45/13 », which the date reader takes for 13 November 2045
        raise CommandRefused(
            "sprint.error.too_long", start=day(ctx, starts_on), end=day(ctx, ends_on)
        )
    other = overlapping([r.sprint for r in await open_rows(ctx)], starts_on, ends_on)
    if other is not None:
        raise CommandRefused(
            "sprint.error.overlap",
            number=other.number,
            name=other.name,
            start=day(ctx, other.starts_on),
            end=day(ctx, other.ends_on),
        )
    return display, starts_on, ends_on


async def new_command(ctx: CommandContext, args: str) -> None:
    name, starts_on, ends_on = await _planned_days(ctx, args)
    number = await store.next_sprint_number(ctx.db, ctx.circle_id)
    sprint = Sprint(
        number=number,
        circle_id=ctx.circle_id,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        status="active" if starts_on <= today(ctx) else "planned",
        created_by=ctx.sender,
    )
    await store.insert_sprint(ctx.db, sprint, ctx.now)
    start, end = day(ctx, starts_on), day(ctx, ends_on)
    parts = [ctx.t("sprint.created", number=number, name=name, start=start, end=end)]
    if sprint.status == "planned":
        parts.append(ctx.t("sprint.created_future", start=start))
    parts.append(await _proposal_text(ctx))
    await ctx.reply_text(Text.join(parts))
    row = await store.get_sprint(ctx.db, ctx.circle_id, number)
    assert row is not None
    runtime = ctx.runtime

    async def schedule() -> None:
        schedule_sprint_jobs(runtime, row)

    runtime.after_commit(schedule)


async def _proposal_text(ctx: CommandContext) -> Text:
    """The best-ranked stories of the last closed vote still free to take, with the command."""
    vote = await vote_store.latest_closed_vote(ctx.db, ctx.circle_id)
    stories = await circle_stories(ctx)
    chosen = next_proposal(vote, stories)
    if vote is None or not chosen:
        return ctx.t("sprint.proposal.none")
    lines = [ctx.t("sprint.story_line", number=n, text=title(stories[n], ctx.lang)) for n in chosen]
    return Text.join(
        [
            ctx.t("sprint.proposal.header", vote=vote.number),
            Text.join(lines, "\n"),
            ctx.t("sprint.proposal.how", numbers=plain_numbers(chosen)),
        ]
    )


# ---- !chantier ajouter / retirer ----
def parse_story_numbers(args: str) -> list[int]:
    """Story numbers of « 12 15 », « #12, #15 » or « 12 et 15 »; UsageError otherwise."""
    numbers: list[int] = []
    for word in _LIST_SEPARATORS.split(args.strip()):
        if not word or fold(word) in SKIPPED_WORDS:
            continue
        number = parse_number(word)
        if number is None:
            raise UsageError("sprint.error.bad_number", word=word)
        numbers.append(number)
    if not numbers:
        raise UsageError("sprint.error.no_stories")
    return numbers


async def _target(ctx: CommandContext) -> SprintRow:
    row = await target_row(ctx)
    if row is None:
        raise CommandRefused("sprint.error.none")
    return row


async def add_command(ctx: CommandContext, args: str) -> None:
    numbers = parse_story_numbers(args)
    row = await _target(ctx)
    stories = await circle_stories(ctx)
    known = {n: s.status.value for n, s in stories.items()}
    try:
        changed = add_stories(row.sprint, numbers, known)
    except SprintError as exc:
        raise _refusal(row.sprint, exc) from None
    added = [n for n in changed.stories if n not in row.sprint.stories]
    for number in added:
        story = stories[number]
        if story.status is StoryStatus.SELECTED:
            holder = await open_sprint_holding(ctx, number, row.number)
            if holder is not None:
                raise CommandRefused("sprint.error.in_other_sprint", story=number, number=holder)
            continue  # « retenue » already, in no other chantier: nothing to change
        await story_store.save_story(ctx.db, story_rules.select(story))
    await store.save_stories(ctx.db, changed)
    await ctx.reply(
        "sprint.added", n=len(added), number=row.number, stories=tags(added), first=added[0]
    )
    if row.sprint.is_started(today(ctx)) and not row.announced:
        refreshed = await store.get_sprint(ctx.db, ctx.circle_id, row.number)
        assert refreshed is not None
        await announce(ctx, refreshed)


async def remove_command(ctx: CommandContext, args: str) -> None:
    numbers = parse_story_numbers(args)
    row = await _target(ctx)
    try:
        changed = remove_stories(row.sprint, numbers)
    except SprintError as exc:
        raise _refusal(row.sprint, exc) from None
    removed = [n for n in row.sprint.stories if n not in changed.stories]
    stories = await circle_stories(ctx)
    for number in removed:
        story = stories.get(number)
        if story is not None and story.status is StoryStatus.SELECTED:
            await story_store.save_story(ctx.db, story_rules.unselect(story))
    await store.save_stories(ctx.db, changed)
    await ctx.reply("sprint.removed", n=len(removed), number=row.number, stories=tags(removed))
