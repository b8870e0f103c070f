"""Who the rendez-vous counts: members and their structures, who is away, the answers."""

from __future__ import annotations

from datetime import date

from bot.commands.context import CommandContext
from bot.domain.rendezvous import SlotCoverage, coverage
from bot.store import absences
from bot.store import rendezvous as store
from bot.store.rendezvous import RendezvousRow


async def members(ctx: CommandContext) -> dict[str, str | None]:
    """Every human member of the circle and her structure (the bot left out)."""
    found = await ctx.runtime.members(ctx.circle_id)
    return {u: s for u, s in found.items() if u != ctx.runtime.bot_user_id}


async def away_on(ctx: CommandContext, day: date) -> frozenset[str]:
    """Members away on ``day``: pinged by nobody, counted missing by nobody."""
    return await absences.away_members(ctx.db, ctx.circle_id, day)


def local_day(ctx: CommandContext, row: RendezvousRow | None = None) -> date:
    """The rendez-vous's day (or today) in the circle's zone."""
    moment = row.starts_at if row is not None and row.starts_at is not None else ctx.now
    return moment.astimezone(ctx.circle.tz).date()


async def away_by_slot(ctx: CommandContext, row: RendezvousRow) -> dict[int, frozenset[str]]:
    """Per slot, the members away on that slot's day (in the circle's zone): someone away
    next week is still expected at a slot today, and the other way round."""
    days = {slot: at.astimezone(ctx.circle.tz).date() for slot, at in row.slots.items()}
    on_day = {day: await away_on(ctx, day) for day in set(days.values())}
    return {slot: on_day[day] for slot, day in days.items()}


async def slot_coverage(ctx: CommandContext, row: RendezvousRow) -> list[SlotCoverage]:
    """Per slot: who said yes / if needed and which structures that covers."""
    answers = await store.answers(ctx.db, ctx.circle_id, row.number)
    away = await away_by_slot(ctx, row)
    return coverage(sorted(row.slots), answers, await members(ctx), away)


async def structures_all_away(ctx: CommandContext, coverages: list[SlotCoverage]) -> list[str]:
    """Structures the rule expects on no slot (every member away on every slot's day): the
    status names them rather than calling the others « every structure »."""
    expected = {s for c in coverages for s in (*c.covered, *c.missing)}
    everyone = await members(ctx)
    return sorted({s for s in everyone.values() if s and s not in expected})
