"""Away: ``!absent jusqu'au 15/1 [motif]``, ``!absent fin``, ``!absent`` (where one stands).

Until then no reminder or ping reaches her (check-ins, chantiers, rendez-vous ask
``bot.store.absences.away_members``), and she is not counted as missing; her structure still
counts through the others.
"""

from __future__ import annotations

from datetime import date

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand, UsageError
from bot.domain.dates import format_date, parse_when
from bot.domain.pauses import pause_date_words
from bot.features.date_refusals import date_refused
from bot.features.feature import Feature
from bot.store import absences as store
from bot.store.absences import Absence

MAX_REASON = 120
MAX_DATE_WORDS = 4


async def away_today(ctx: CommandContext) -> frozenset[str]:
    """Who of the circle is away today: features that ping people leave them out."""
    return await store.away_members(ctx.db, ctx.circle_id, ctx.now.astimezone(ctx.circle.tz).date())


async def absent_default(ctx: CommandContext, args: str) -> None:
    """« jusqu'au 15/1 congés »: away up to 15 January included; alone: where one stands."""
    if not args.strip():
        await _show(ctx)
        return
    until, reason = _until_and_reason(ctx, args)
    today = ctx.now.astimezone(ctx.circle.tz).date()
    if until is not None and until < today:
        raise UsageError("absent.error.past", "absent.example")
    if reason and len(reason) > MAX_REASON:
        raise UsageError("absent.error.reason_too_long", "absent.example", limit=MAX_REASON)
    await store.set_absence(ctx.db, ctx.circle_id, Absence(ctx.sender, until, reason), ctx.now)
    if until is None:
        await ctx.reply("absent.set_open")
    else:
        await ctx.reply("absent.set", until=format_date(until, ctx.lang, ctx.now))


def _until_and_reason(ctx: CommandContext, args: str) -> tuple[date | None, str | None]:
    """The longest run of first words that is a date; the rest is the reason. Without
    « jusqu'au » and without a date, the absence lasts until ``!absent fin``."""
    words = pause_date_words(args).split()
    said_until = len(words) < len(args.split())
    for size in range(min(MAX_DATE_WORDS, len(words)), 0, -1):
        found = parse_when(" ".join(words[:size]), ctx.now, ctx.circle.settings.timezone, ctx.lang)
        if found is not None:
            reason = " ".join(words[size:]).strip(" -—:") or None
            return found.at.date(), reason
    if not said_until:
        return None, " ".join(words) or None
    raise date_refused(" ".join(words[:2]) or args, "absent.error.bad_date", ctx.lang,
                       "absent.example")  # fmt: skip


async def _show(ctx: CommandContext) -> None:
    absence = await store.get_absence(ctx.db, ctx.circle_id, ctx.sender)
    today = ctx.now.astimezone(ctx.circle.tz).date()
    if absence is None or not absence.holds_on(today):
        await ctx.reply("absent.not_away")
    elif absence.until is None:
        await ctx.reply("absent.away_open")
    else:
        await ctx.reply("absent.away_until", until=format_date(absence.until, ctx.lang, ctx.now))


async def back_command(ctx: CommandContext, args: str) -> None:
    """``!absent fin``: back; reminders and pings reach her again."""
    if not await store.end_absence(ctx.db, ctx.circle_id, ctx.sender):
        raise CommandRefused("absent.not_away")
    await ctx.reply("absent.back")


def absent_command() -> Command:
    return Command(
        "absent",
        "away",
        absent_default,
        subcommands=(Subcommand("fin", "back", back_command),),
        help_group="more",  # on the « Aussi » line of !aide
    )


FEATURE = Feature("absences", commands=(absent_command(),))
