"""The reminders of a chosen rendez-vous (the day before, one hour before) and its
« ça commence » message; jobs rebuilt at start, run late once after downtime, never twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.commands.context import CommandContext
from bot.domain.rendezvous import coverage
from bot.features.pause_state import may_send
from bot.features.rendezvous.keys import start_purpose, step_job_id
from bot.features.rendezvous.links import link_text
from bot.features.rendezvous.people import away_on, local_day, members
from bot.features.rendezvous.wording import mentions, names, when_text
from bot.matrix.messages import Text
from bot.store import rendezvous as store
from bot.store.rendezvous import ReminderStep, RendezvousRow

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

STEPS: tuple[ReminderStep, ...] = ("day", "hour", "start")
_BEFORE = {"day": timedelta(days=1), "hour": timedelta(hours=1), "start": timedelta(0)}


def step_time(row: RendezvousRow, step: ReminderStep) -> datetime:
    assert row.starts_at is not None
    return row.starts_at - _BEFORE[step]


def _done(row: RendezvousRow, step: ReminderStep) -> bool:
    return {"day": row.reminded_day, "hour": row.reminded_hour, "start": row.started}[step]


def schedule_steps(runtime: Runtime, row: RendezvousRow) -> None:
    """A job for each step not done yet (a past one runs at once: late, once)."""
    for step in STEPS:
        if not _done(row, step):
            job_id = step_job_id(step, row.circle_id, row.number)
            runtime.schedule_at(
                job_id, step_time(row, step), step_job, row.circle_id, row.number, step
            )


async def skip_past_steps(ctx: CommandContext, row: RendezvousRow) -> None:
    """When the date is fixed less than a day ahead, the day-before reminder is moot."""
    for step in ("day", "hour"):
        if step_time(row, step) <= ctx.now:
            await store.mark_step(ctx.db, row.circle_id, row.number, step)


def cancel_steps(runtime: Runtime, row: RendezvousRow) -> None:
    for step in STEPS:
        runtime.cancel(step_job_id(step, row.circle_id, row.number))


async def step_job(runtime: Runtime, circle_id: str, number: int, step: ReminderStep) -> None:
    """Send one reminder (or the « it starts » message) unless sent, too late, or paused."""
    async with runtime.job(circle_id) as ctx:
        row = await store.get(ctx.db, circle_id, number)
        if row is None or row.status != "chosen" or row.starts_at is None or _done(row, step):
            return
        await store.mark_step(ctx.db, circle_id, number, step)
        too_late = row.ends_at if step == "start" else row.starts_at
        if too_late is not None and ctx.now >= too_late:
            return
        if step == "start":
            await post_start(ctx, row)
            return
        tz = ctx.circle.settings.timezone
        if await may_send(ctx.db, circle_id, "reminder", ctx.now, tz):
            await send_reminder(ctx, row, step)


async def reminder_targets(ctx: CommandContext, row: RendezvousRow) -> tuple[list[str], list[str]]:
    """(who to ping: « yes » or « if needed » to the chosen slot and not away; structures
    still without anyone)."""
    assert row.chosen_slot is not None
    answers = await store.answers(ctx.db, ctx.circle_id, row.number)
    circle_members = await members(ctx)
    away = await away_on(ctx, local_day(ctx, row))
    [slot] = coverage([row.chosen_slot], answers, circle_members, {row.chosen_slot: away})
    coming = [*slot.yes, *slot.if_needed]  # nobody away: coverage leaves them out
    return sorted(coming, key=ctx.display_name), list(slot.missing)


async def send_reminder(ctx: CommandContext, row: RendezvousRow, step: ReminderStep) -> None:
    assert row.starts_at is not None
    who, missing = await reminder_targets(ctx, row)
    when = when_text(ctx, row.starts_at)
    key = f"rdv.reminder.{step}" if who else f"rdv.reminder.{step}_nobody"
    parts = [ctx.t(key, number=row.number, when=when, who=mentions(ctx, who))]
    if missing:
        parts.append(ctx.t("rdv.reminder.missing", structures=names(ctx, missing)))
    parts.append(link_text(ctx, row))
    await ctx.post_text(Text.join(parts), notify=True)


async def post_start(ctx: CommandContext, row: RendezvousRow) -> None:
    """« Ça commence » (a notice): a reaction to it, or ``!rdv present``, says « I am here »."""
    text = Text.join([ctx.t("rdv.start", number=row.number), link_text(ctx, row)])
    await ctx.post_text(text, purpose=start_purpose(ctx.circle_id, row.number))


async def rebuild_rendezvous_jobs(runtime: Runtime) -> None:
    """The pending reminders of every chosen rendez-vous not over yet."""
    for row in await store.all_upcoming(runtime.db, runtime.now()):
        schedule_steps(runtime, row)
