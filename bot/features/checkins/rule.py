"""The circle's check-in rule (« premier lundi 10:00 ») and the dates it gives."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.commands.context import CommandContext
from bot.domain.checkin_rule import (
    CalendarRule,
    MonthlyRule,
    RuleError,
    next_occurrences,
    parse_monthly_rule,
)
from bot.domain.pauses import rhythm_resumes_at
from bot.store import rhythm as store

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

log = logging.getLogger(__name__)


async def circle_rule(runtime: Runtime, circle_id: str) -> MonthlyRule:
    """The rule planned by ``!checkin planifier``, else the circle's setting."""
    key = await store.get_rule_key(runtime.db, circle_id)
    text = key or runtime.circle(circle_id).settings.checkin_rule
    try:
        return parse_monthly_rule(text)
    except RuleError:
        log.error("check-in rule %r of %s is not readable; using the default", text, circle_id)
        return parse_monthly_rule("premier lundi 10:00")


async def upcoming_checkins(ctx: CommandContext, rule: CalendarRule, count: int) -> list[datetime]:
    """The next check-ins that will really go out: none falls in a pause."""
    pause = await store.get_pause(ctx.db, ctx.circle_id)
    since = rhythm_resumes_at(pause, ctx.now, ctx.circle.settings.timezone)
    if since is None:
        return []
    return next_occurrences(rule, since, ctx.circle.settings.timezone, count)
