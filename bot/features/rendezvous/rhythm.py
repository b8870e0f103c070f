"""A regular rhythm: the circle's monthly rule for the rendez-vous (``rendezvous.rule`` in the
config, e.g. « deuxième mardi 18:00 »). ``rendezvous.days_before`` days ahead the bot proposes
that date and two alternatives (mode ``propose``), or announces it (mode ``announce``).

A daily check (9:00 in the circle's zone, and once at start) acts once per date: a check run
late after downtime still proposes, never twice; none during a pause.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from apscheduler.triggers.cron import CronTrigger

from bot.domain.checkin_rule import next_occurrences, parse_monthly_rule
from bot.domain.rendezvous import proposal_due, rule_slots
from bot.features.pause_state import may_send
from bot.features.rendezvous.choosing import fix_date
from bot.features.rendezvous.keys import rule_job_id
from bot.features.rendezvous.proposing import open_rendezvous
from bot.store import rendezvous as store
from bot.store import rhythm as rhythm_store

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

log = logging.getLogger(__name__)
CHECK_HOUR = 9


async def rule_job(runtime: Runtime, circle_id: str) -> None:
    """Propose or announce the rule's next rendez-vous, if it is due and not done yet."""
    settings = runtime.circle(circle_id).settings
    if not settings.rendezvous_rule:
        return
    rule = parse_monthly_rule(settings.rendezvous_rule)
    async with runtime.job(circle_id) as ctx:
        [meeting] = next_occurrences(rule, ctx.now, settings.timezone, 1)
        if not proposal_due(meeting, ctx.now, settings.rendezvous_days_before):
            return
        done_key = f"{rule_job_id(circle_id)}:{meeting.date().isoformat()}"
        if await rhythm_store.last_run(ctx.db, done_key) is not None:
            return
        await rhythm_store.set_last_run(ctx.db, done_key, ctx.now)
        if not await may_send(ctx.db, circle_id, "checkin", ctx.now, settings.timezone):
            log.info("rendez-vous rule of %s skipped: the circle is paused", circle_id)
            return
        if await store.open_poll(ctx.db, circle_id) is not None:
            return  # a facilitator is already looking for a date
        if settings.rendezvous_mode == "announce":
            row = await open_rendezvous(ctx, [meeting], proposed_by=None, polls=False)
            await fix_date(ctx, row, 1, settings.rendezvous_duration_minutes)
        else:
            await open_rendezvous(ctx, rule_slots(meeting, settings.timezone), proposed_by=None)


async def schedule_rule(runtime: Runtime, circle_id: str) -> None:
    """The daily check of a circle with a rule, and one check now (late after downtime)."""
    settings = runtime.circle(circle_id).settings
    if not settings.rendezvous_rule:
        return
    job_id = rule_job_id(circle_id)
    trigger = CronTrigger(hour=CHECK_HOUR, minute=0, timezone=settings.timezone)
    runtime.schedule_repeat(job_id, trigger, rule_job, circle_id)
    runtime.schedule_at(job_id + ":start", runtime.now(), rule_job, circle_id)


async def rebuild_rule_jobs(runtime: Runtime) -> None:
    for circle_id in runtime.circle_ids():
        await schedule_rule(runtime, circle_id)
