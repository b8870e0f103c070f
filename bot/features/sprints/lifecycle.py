"""A chantier's jobs: announced on its first morning, nudged before its end, closed on its
last evening (or by ``!chantier clore``); rebuilt from the database at every start.

Each job re-reads its flag (``announced``, ``nudged``, the ``closed`` status) inside its
transaction, so it acts once even across restarts.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.commands.context import CommandContext
from bot.domain import stories as story_rules
from bot.domain.sprints import nudge_date
from bot.domain.stories import StoryStatus
from bot.features.pause_state import may_send
from bot.features.sprints.announcements import announce, nudge
from bot.features.sprints.personal_data import discreet
from bot.features.sprints.retrospective import retro_purpose
from bot.features.sprints.rows import circle_stories
from bot.features.sprints.summary import next_proposal, summary_facts
from bot.features.sprints.summary_text import summary_text
from bot.store import sprints as store
from bot.store import stories as story_store
from bot.store import votes as vote_store
from bot.store.purposes import Purpose, PurposeKind
from bot.store.sprints import SprintRow

if TYPE_CHECKING:
    from bot.commands.runtime import Job, Runtime

log = logging.getLogger(__name__)

ANNOUNCE_AT = time(9, 0)  # a chantier starting on a later day is announced that morning
NUDGE_AT = time(10, 0)
CLOSE_AT = time(18, 0)  # on the last day (it still counts as a working day)
LATE_CLOSE_AT = time(23, 59)  # a chantier created on its last day after 18:00


def at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def close_time(row: SprintRow, tz: ZoneInfo) -> datetime:
    """When the chantier closes by itself: its last day at 18:00 (23:59 if created later)."""
    closing = at(row.sprint.ends_on, CLOSE_AT, tz)
    return closing if row.created_at < closing else at(row.sprint.ends_on, LATE_CLOSE_AT, tz)


def _job_ids(circle_id: str, number: int) -> dict[str, str]:
    return {kind: f"sprint-{kind}:{number}:{circle_id}" for kind in ("start", "nudge", "close")}


def schedule_sprint_jobs(runtime: Runtime, row: SprintRow, after: datetime | None = None) -> None:
    """Schedule the start announcement, the nudge and the close still due for ``row``; with
    ``after``, only those still to come then (at start, the passed ones wait for the first
    sync: what members wrote while the bot was down is read first)."""
    circle = runtime.circle(row.circle_id)
    ids = _job_ids(row.circle_id, row.number)
    args = (row.circle_id, row.number)
    steps: list[tuple[str, datetime, Job]] = []
    if row.sprint.status == "planned":
        steps.append(("start", at(row.sprint.starts_on, ANNOUNCE_AT, circle.tz), start_due_sprint))
    nudge_day = nudge_date(row.sprint, circle.settings.sprint_nudge_days_before)
    if not row.nudged and nudge_day is not None:
        steps.append(("nudge", at(nudge_day, NUDGE_AT, circle.tz), nudge_due_sprint))
    steps.append(("close", close_time(row, circle.tz), close_due_sprint))
    for step, when, job in steps:
        if after is None or when > after:
            runtime.schedule_at(ids[step], when, job, *args)


def _cancel_jobs(runtime: Runtime, circle_id: str, number: int) -> None:
    for job_id in _job_ids(circle_id, number).values():
        runtime.cancel(job_id)


async def rebuild_sprint_jobs(runtime: Runtime) -> None:
    """At start: the jobs still to come of every chantier not closed yet, in the circles the
    bot serves."""
    now = runtime.now()
    served = set(runtime.circle_ids())
    for row in await store.open_sprints(runtime.db):
        if row.circle_id in served:
            schedule_sprint_jobs(runtime, row, after=now)


async def run_overdue_sprint_jobs(runtime: Runtime) -> None:
    """After the first sync: the jobs passed while the bot was down run now (once)."""
    served = set(runtime.circle_ids())
    for row in await store.open_sprints(runtime.db):
        if row.circle_id in served:
            schedule_sprint_jobs(runtime, row)


async def close_sprint(ctx: CommandContext, row: SprintRow) -> None:
    """Close now: freeze and post the summary, then the retrospective questions.

    Unfinished stories go back to « proposée »: they can be voted on and taken again.
    """
    sprint = row.sprint
    stories = await circle_stories(ctx)
    facts = await summary_facts(ctx.db, ctx.lang, sprint, stories)
    for number in sprint.stories:
        story = stories.get(number)
        if story is not None and story.status is StoryStatus.SELECTED:
            stories[number] = story_rules.unselect(story)
            await story_store.save_story(ctx.db, stories[number])
    vote = await vote_store.latest_closed_vote(ctx.db, ctx.circle_id)
    facts = dataclasses.replace(facts, proposal=next_proposal(vote, stories))
    await store.close_sprint(ctx.db, ctx.circle_id, sprint.number, ctx.now, facts)
    shown, _ = await discreet(ctx, facts, None)
    await ctx.post_text(
        summary_text(ctx, shown, None, closed=True),
        purpose=Purpose(PurposeKind.SPRINT_SUMMARY, sprint.number, ctx.circle_id).text(),
    )
    await ctx.post_text(
        ctx.t("sprint.retro.questions", number=sprint.number, name=sprint.name),
        purpose=retro_purpose(ctx.circle_id, sprint.number),
    )
    _cancel_jobs(ctx.runtime, ctx.circle_id, sprint.number)


# ---- the jobs (called as ``job(runtime, circle_id, number)``) ----
async def start_due_sprint(runtime: Runtime, circle_id: str, number: int) -> None:
    """The first day has come: the chantier is under way; announce it if it has stories."""
    async with runtime.job(circle_id) as ctx:
        row = await store.get_sprint(ctx.db, circle_id, number)
        if row is None or row.sprint.status != "planned":
            return
        await store.set_status(ctx.db, circle_id, number, "active")
        if row.sprint.stories and not row.announced:
            await announce(ctx, row)


async def nudge_due_sprint(runtime: Runtime, circle_id: str, number: int) -> None:
    """A few days before the end: ping the porteurs of unfinished stories (not in a pause)."""
    async with runtime.job(circle_id) as ctx:
        row = await store.get_sprint(ctx.db, circle_id, number)
        if row is None or row.sprint.status == "closed" or row.nudged:
            return
        await store.mark_nudged(ctx.db, circle_id, number)
        if ctx.now >= close_time(row, ctx.circle.tz) - timedelta(minutes=1):
            return  # the bot was down past the end: the summary says it all
        if not await may_send(ctx.db, circle_id, "nudge", ctx.now, ctx.circle.settings.timezone):
            log.info("chantier %s of %s: nudge skipped, the circle is paused", number, circle_id)
            return
        await nudge(ctx, row)


async def close_due_sprint(runtime: Runtime, circle_id: str, number: int) -> None:
    """The last day's evening: close the chantier if it is still open (once)."""
    async with runtime.job(circle_id) as ctx:
        row = await store.get_sprint(ctx.db, circle_id, number)
        if row is not None and row.sprint.status != "closed":
            await close_sprint(ctx, row)
