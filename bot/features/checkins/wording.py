"""How the check-in's messages name a moment and the circle's pause."""

from __future__ import annotations

from datetime import date, datetime

from bot.commands.context import CommandContext
from bot.domain.dates import format_date, format_datetime
from bot.matrix.messages import Text


def when_text(ctx: CommandContext, at: datetime) -> str:
    """``at`` in the circle's zone, as people say it (« lundi 3 mars à 10:00 »)."""
    glue = ctx.prompts.template(ctx.lang, "date.glue")
    return format_datetime(at.astimezone(ctx.circle.tz), ctx.lang, ctx.now, glue=glue)


def pause_text(ctx: CommandContext, until: date | None) -> Text:
    """The pause's end (its last paused day), or that it lasts until resumed by hand."""
    if until is None:
        return ctx.t("checkin.paused_open")
    return ctx.t("checkin.paused_until", until=format_date(until, ctx.lang, ctx.now))
