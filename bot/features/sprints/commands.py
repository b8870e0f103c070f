"""``!chantier``: the current one (or ``!chantier 2``), ``liste``, ``clore``, and the
command with all its subcommands."""

from __future__ import annotations

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand, UsageError
from bot.domain.stories import StoryStatus
from bot.features.sprints.lifecycle import close_sprint
from bot.features.sprints.planning import add_command, new_command, remove_command
from bot.features.sprints.rows import circle_stories, current_row, next_planned_row, open_rows
from bot.features.sprints.status import sprint_summary_text, state_text, status_text_of
from bot.features.sprints.wording import day, today
from bot.features.stories import parse_number
from bot.matrix.messages import Text
from bot.store import sprints as store


async def _show_one(ctx: CommandContext, words: list[str]) -> None:
    """``!chantier 2``: its status while open, its summary once closed."""
    number = parse_number(words[0])
    if number is None or len(words) > 1:
        raise UsageError()
    row = await store.get_sprint(ctx.db, ctx.circle_id, number)
    if row is None:
        raise CommandRefused("sprint.error.unknown", number=number)
    if row.sprint.status == "closed":
        await ctx.reply_text(await sprint_summary_text(ctx, number))
    else:
        await ctx.reply_text(await status_text_of(ctx, row))


async def show_command(ctx: CommandContext, args: str) -> None:
    """``!chantier`` (the current one) or ``!chantier 2`` (that one)."""
    words = args.split()
    if words:
        await _show_one(ctx, words)
        return
    rows = await store.all_sprints(ctx.db, ctx.circle_id)
    current, planned = current_row(rows, today(ctx)), next_planned_row(rows, today(ctx))
    shown = current or planned
    if shown is None:
        closed = [r.number for r in rows]
        if closed:
            await ctx.reply("sprint.none_since", number=max(closed))
        else:
            await ctx.reply("sprint.none")
        return
    after = []
    if current is not None and planned is not None:
        after.append(
            ctx.t(
                "sprint.status.next",
                number=planned.number,
                name=planned.sprint.name,
                start=day(ctx, planned.sprint.starts_on),
            )
        )
    parts = [await status_text_of(ctx, shown, after), *after]
    await ctx.reply_text(Text.join(parts))


async def list_command(ctx: CommandContext, args: str) -> None:
    rows = await store.all_sprints(ctx.db, ctx.circle_id)
    if not rows:
        await ctx.reply("sprint.none")
        return
    stories = await circle_stories(ctx)
    lines = []
    for row in reversed(rows):
        if row.summary is not None:
            done, total = len(row.summary.done), len(row.summary.done) + len(row.summary.not_done)
        else:
            counted = [
                stories[n]
                for n in row.sprint.stories
                if n in stories and stories[n].status is not StoryStatus.WITHDRAWN
            ]
            done = sum(1 for s in counted if s.status is StoryStatus.DONE)
            total = len(counted)
        lines.append(
            ctx.t(
                "sprint.list.line",
                number=row.number,
                name=row.sprint.name,
                start=day(ctx, row.sprint.starts_on),
                end=day(ctx, row.sprint.ends_on),
                state=state_text(ctx, row),
                done=done,
                n=total,
            )
        )
    await ctx.reply_text(
        Text.join([ctx.t("sprint.list.header", n=len(rows)), Text.join(lines, "\n")])
    )


async def close_command(ctx: CommandContext, args: str) -> None:
    rows = await open_rows(ctx)
    row = current_row(rows, today(ctx))
    if row is None:
        planned = next_planned_row(rows, today(ctx))
        if planned is not None:
            raise CommandRefused(
                "sprint.error.not_started",
                number=planned.number,
                start=day(ctx, planned.sprint.starts_on),
            )
        raise CommandRefused("sprint.error.none")
    await close_sprint(ctx, row)


def sprint_command() -> Command:
    return Command(
        "chantier",
        "sprint",
        show_command,
        subcommands=(
            Subcommand("nouveau", "new", new_command, facilitator_only=True),
            Subcommand("ajouter", "add", add_command, facilitator_only=True),
            Subcommand("retirer", "remove", remove_command, facilitator_only=True),
            Subcommand("liste", "list", list_command),
            Subcommand("clore", "close", close_command, facilitator_only=True),
        ),
        shortcuts=(("chantiers", "liste"), ("sprints", "liste")),
    )
