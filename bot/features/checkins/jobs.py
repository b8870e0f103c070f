"""The circle's monthly job that opens a check-in, and the jobs rebuilt at start."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.domain.checkin_rule import coalesced, cron_trigger
from bot.features.checkins.keys import open_job_id
from bot.features.checkins.lifecycle import open_new_checkin, schedule_checkin_steps
from bot.features.checkins.rule import circle_rule
from bot.features.pause_state import may_send
from bot.store import rhythm as store

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

log = logging.getLogger(__name__)
LATE_GRACE = timedelta(days=3)  # a check-in missed for longer is skipped, not opened late


async def open_job(runtime: Runtime, circle_id: str) -> None:
    """Open the month's check-in, unless one is open or the circle is paused."""
    async with runtime.job(circle_id) as ctx:
        await store.set_last_run(ctx.db, open_job_id(circle_id), ctx.now)
        if not await may_send(ctx.db, circle_id, "checkin", ctx.now, ctx.circle.settings.timezone):
            log.info("check-in of %s skipped: the circle is paused", circle_id)
            return
        if await store.open_checkin(ctx.db, circle_id) is None:
            await open_new_checkin(ctx)


async def schedule_circle_checkins(runtime: Runtime, circle_id: str) -> None:
    """The monthly job of one circle, plus one late run if a check-in was missed while down."""
    settings = runtime.circle(circle_id).settings
    rule = await circle_rule(runtime, circle_id)
    trigger = cron_trigger(rule, settings.timezone)
    job_id = open_job_id(circle_id)
    now = runtime.now()
    last = await store.last_run(runtime.db, job_id)
    if last is None:
        await store.set_last_run(runtime.db, job_id, now)
    elif coalesced(last, now, trigger, grace=LATE_GRACE) is not None:
        runtime.schedule_at(job_id + ":late", now, open_job, circle_id)
    runtime.schedule_repeat(job_id, trigger, open_job, circle_id)


async def rebuild_checkin_jobs(runtime: Runtime) -> None:
    """Every circle's monthly job, and the steps of the open check-ins still to come."""
    now = runtime.now()
    for circle_id in runtime.circle_ids():
        await schedule_circle_checkins(runtime, circle_id)
    for checkin in await store.all_open_checkins(runtime.db):
        schedule_checkin_steps(runtime, checkin, after=now)


async def run_overdue_steps(runtime: Runtime) -> None:
    """After the first sync: the steps passed while the bot was down run now (once), once
    the answers sent meanwhile are counted (no reminder to who answered, none lost)."""
    for checkin in await store.all_open_checkins(runtime.db):
        schedule_checkin_steps(runtime, checkin)
