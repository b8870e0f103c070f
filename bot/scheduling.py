"""The clock of the bot: APScheduler jobs rebuilt from the database at every start.

The database is the source of truth (a vote's deadline, a circle's check-in
rule); jobs have stable ids, ``replace_existing``, ``coalesce`` and a
``misfire_grace_time``, so a job missed while the bot was down runs once when
it returns, never twice. Calendar rules use ``cron_trigger`` (a CronTrigger in
the circle's time zone that fires once when clocks go back).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.date import DateTrigger

log = logging.getLogger(__name__)

Job = Callable[..., Awaitable[None]]
MISFIRE_GRACE_S = 7 * 24 * 3600  # a week down: still run the missed job, once


class Clockwork:
    def __init__(self) -> None:
        self.scheduler = AsyncIOScheduler()

    def start(self) -> None:
        """Start inside the running event loop."""
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def at(self, job_id: str, when: datetime, job: Job, *args: Any) -> None:
        """Run ``job(*args)`` once at ``when`` (at once if ``when`` is past)."""
        self.scheduler.add_job(
            _guarded(job_id, job),
            DateTrigger(run_date=when),
            args=args,
            id=job_id,
            name=job.__name__,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
        )

    def repeat(self, job_id: str, trigger: BaseTrigger, job: Job, *args: Any) -> None:
        """Run ``job(*args)`` at every fire time of ``trigger`` (a calendar rule)."""
        self.scheduler.add_job(
            _guarded(job_id, job),
            trigger,
            args=args,
            id=job_id,
            name=job.__name__,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE_S,
        )

    def cancel(self, job_id: str) -> None:
        if self.scheduler.get_job(job_id) is not None:
            self.scheduler.remove_job(job_id)

    def next_run(self, job_id: str) -> datetime | None:
        job = self.scheduler.get_job(job_id)
        return job.next_run_time if job is not None else None

    def upcoming(self, circle_id: str) -> list[tuple[str, datetime]]:
        """(job name, next run) of every pending job of a circle, soonest first. A job's
        first argument after the runtime is its circle, as every feature schedules them."""
        found = []
        for job in self.scheduler.get_jobs():
            # A job added before the scheduler started has no next run time yet.
            when = getattr(job, "next_run_time", None)
            if when is not None and job.args[1:2] == (circle_id,):
                found.append((job.name, when))
        return sorted(found, key=lambda item: item[1])


def _guarded(job_id: str, job: Job) -> Job:
    async def run(*args: Any) -> None:
        try:
            await job(*args)
        except Exception:
            log.exception("scheduled job %s failed", job_id)

    return run
