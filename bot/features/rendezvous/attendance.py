"""Who came: ``!rdv presents @a @b`` (facilitator), ``!rdv present`` (oneself), or a reaction
to the « ça commence » message; then participation per structure against the rule."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.commands.context import CommandContext
from bot.commands.registry import CommandRefused, UsageError
from bot.domain.rendezvous import attendance, expected_structures
from bot.features.rendezvous.keys import parse_purpose
from bot.features.rendezvous.people import away_on, local_day, members
from bot.features.rendezvous.wording import names
from bot.matrix.incoming import IncomingReaction
from bot.matrix.messages import Text
from bot.store import outbox
from bot.store import rendezvous as store
from bot.store.rendezvous import RendezvousRow

USER_ID = re.compile(r"@[^\s:<>\"]+:[^\s<>\"]+")
# Attendance can be said from the hour reminder on (people join early, facilitators note it
# when they can).
EARLY = timedelta(hours=1)


async def held_or_refuse(ctx: CommandContext) -> RendezvousRow:
    """The latest rendez-vous with a date fixed, once it has (nearly) begun."""
    row = await store.latest_chosen(ctx.db, ctx.circle_id)
    if row is None or row.starts_at is None:
        raise CommandRefused("rdv.error.none_chosen")
    if row.starts_at - ctx.now > EARLY:
        raise CommandRefused("rdv.error.not_started", number=row.number)
    return row


async def present_command(ctx: CommandContext, args: str) -> None:
    """``!rdv present``: I am (was) there."""
    row = await held_or_refuse(ctx)
    circle_members = await members(ctx)
    if ctx.sender not in circle_members:
        raise CommandRefused("rdv.error.not_in_circle", who=ctx.sender)
    await _record(ctx, row, [ctx.sender], circle_members)
    await ctx.reply_text(await attendance_text(ctx, row))


async def presents_command(ctx: CommandContext, args: str) -> None:
    """``!rdv presents @a @b …``: who came (facilitator); refused if one is not a member."""
    named = _named_people(ctx, args)
    if not named:
        raise UsageError("rdv.error.presents_empty", "rdv.error.presents_example")
    row = await held_or_refuse(ctx)
    circle_members = await members(ctx)
    strangers = [u for u in named if u not in circle_members]
    if strangers:
        raise CommandRefused("rdv.error.not_in_circle", who=", ".join(strangers))
    await _record(ctx, row, named, circle_members)
    await ctx.reply_text(await attendance_text(ctx, row))


def _named_people(ctx: CommandContext, args: str) -> list[str]:
    """User ids typed, and pills Element made (their display names left in the body)."""
    found = list(ctx.message.mentioned_users or ())
    found += USER_ID.findall(args)
    return list(dict.fromkeys(u.rstrip(",.;") for u in found))


async def _record(
    ctx: CommandContext, row: RendezvousRow, people: list[str], circle: dict[str, str | None]
) -> None:
    await store.record_attendance(
        ctx.db, ctx.circle_id, row.number, [(u, circle.get(u)) for u in people], ctx.sender,
        ctx.now,
    )  # fmt: skip


async def on_start_reaction(ctx: CommandContext, reaction: IncomingReaction) -> bool:
    """A reaction to « ça commence »: the person is there (no answer: the room stays quiet)."""
    named = parse_purpose(await outbox.purpose_of_sent(ctx.db, reaction.reacts_to) or "")
    if named is None or named.kind != "start":
        return False
    row = await store.get(ctx.db, named.circle_id, named.number)
    circle_members = await members(ctx)
    if row is None or reaction.sender not in circle_members:
        return True
    await store.record_attendance(
        ctx.db, named.circle_id, row.number, [(reaction.sender, circle_members[reaction.sender])],
        reaction.sender, ctx.now,
    )  # fmt: skip
    return True


async def attendance_text(ctx: CommandContext, row: RendezvousRow) -> Text:
    """« Rendez-vous #1 : 4 personnes. Ressourcerie 2 · Jardins 1 … » and the rule."""
    attended = await store.attendance(ctx.db, ctx.circle_id, row.number)
    away = await away_on(ctx, local_day(ctx, row))
    expected = expected_structures(await members(ctx), away)
    found = attendance(attended, expected)
    counts = Text.join(
        [ctx.t("rdv.attendance.structure", structure=s, n=n) for s, n in found.present.items()],
        " · ",
    )
    parts = [ctx.t("rdv.attendance.header", number=row.number, n=found.people)]
    if found.present:
        parts.append(counts)
    if found.rule_met and expected:
        parts.append(ctx.t("rdv.attendance.rule_met"))
    elif found.absent:
        parts.append(ctx.t("rdv.attendance.absent", n=len(found.absent),
                           structures=names(ctx, found.absent)))  # fmt: skip
    return Text.join(parts, "\n")
