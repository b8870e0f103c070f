"""The deadline at the end of a proposal's text: « Adhérer au réseau jusqu'au 15/12 »."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused
from bot.domain.dates import parse_when
from bot.features.date_refusals import date_refused

# A deadline typed without a time closes at the end of that day.
DAY_END = time(23, 59)
_MARKER = re.compile(r"(?i)\b(?:jusqu\s*['’]\s*(?:au|à|a)|jusque|until)\s+")


def split_deadline(ctx: CommandContext, text: str) -> tuple[str, datetime | None]:
    """The text without its trailing « jusqu'au DATE », and that date (None if not given).

    « jusqu'au bout » is text, not a date; « jusqu'au 35/12 » is a date mistyped: refused.
    """
    for marker in reversed(list(_MARKER.finditer(text))):
        tail = text[marker.end() :].strip().rstrip(".")
        found = parse_when(tail, ctx.now, ctx.circle.settings.timezone, ctx.lang) if tail else None
        if found is None:
            if any(ch.isdigit() for ch in tail):
                raise date_refused(tail, "proposal.error.bad_date", ctx.lang, "proposal.hint.date")
            continue
        closes_at = found.with_default_time(DAY_END)
        if closes_at <= ctx.now:
            raise CommandRefused("proposal.error.date_in_past")
        return text[: marker.start()].strip(), closes_at
    return text.strip(), None


def default_deadline(ctx: CommandContext) -> datetime:
    return ctx.now + timedelta(days=ctx.circle.settings.proposal_duration_days)
