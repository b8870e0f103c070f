"""A check-in's life: opened (by its job or ``!checkin lancer``), reminded, closed with its
recap; and the jobs of its own reminder and close."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.commands.context import CommandContext
from bot.domain import checkins as rules
from bot.domain.checkins import Checkin
from bot.features.absences import away_today
from bot.features.checkins.keys import (
    checkin_purpose,
    recap_purpose,
    reminder_purpose,
    step_job_id,
)
from bot.features.checkins.recap_text import checkin_recap_text
from bot.features.checkins.wording import when_text
from bot.features.pause_state import may_send
from bot.matrix.messages import Mention, Relation, Text
from bot.store import outbox
from bot.store import rhythm as store

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime


async def open_new_checkin(ctx: CommandContext, opened_by: str | None = None) -> Checkin:
    """Post a new check-in (its questions, when it closes) and schedule its steps."""
    settings = ctx.circle.settings
    number = await store.next_checkin_number(ctx.db, ctx.circle_id)
    checkin = rules.open_checkin(
        ctx.now.astimezone(ctx.circle.tz),
        number=number,
        circle_id=ctx.circle_id,
        remind_after_days=settings.checkin_remind_after_days,
        close_after_days=settings.checkin_close_after_days,
    )
    checkin = replace(checkin, opened_by=opened_by)
    await store.insert_checkin(ctx.db, checkin)
    text = Text.join(
        [
            ctx.t("checkin.opened", number=number, closes=when_text(ctx, checkin.closes_at)),
            ctx.t("checkin.questions"),
            ctx.t("checkin.how"),
        ]
    )
    await ctx.post_text(text, notify=True, purpose=checkin_purpose(ctx.circle_id, number))
    schedule_checkin_steps(ctx.runtime, checkin)
    return checkin


def schedule_checkin_steps(
    runtime: Runtime, checkin: Checkin, after: datetime | None = None
) -> None:
    """The reminder (unless sent) and the close of an open check-in; with ``after``, only
    the steps still to come then (at start, the passed ones wait for the first sync: the
    answers sent while the bot was down are read first)."""
    circle_id, number = checkin.circle_id, checkin.number
    if not checkin.reminded and (after is None or checkin.remind_at > after):
        remind_id = step_job_id("remind", circle_id, number)
        runtime.schedule_at(remind_id, checkin.remind_at, remind_job, circle_id, number)
    if after is None or checkin.closes_at > after:
        close_id = step_job_id("close", circle_id, number)
        runtime.schedule_at(close_id, checkin.closes_at, close_job, circle_id, number)


async def send_reminder(ctx: CommandContext, checkin: Checkin) -> bool:
    """Ping who has not answered, name the absent structures; False if everyone answered."""
    members = await ctx.runtime.members(ctx.circle_id)
    answered = {author for author, _ in await store.answers(ctx.db, ctx.circle_id, checkin.number)}
    # Whoever launched the check-in knows about it: she is not reminded of it (her
    # structure still counts as absent until someone of it answers).
    launcher = frozenset({checkin.opened_by} if checkin.opened_by else ())
    # Someone away is neither pinged nor awaited; her structure still counts through others.
    away = await away_today(ctx)
    members = {u: s for u, s in members.items() if u not in away or u in answered}
    targets = rules.reminder_targets(members, answered, {ctx.runtime.bot_user_id}, launcher)
    await store.mark_reminded(ctx.db, ctx.circle_id, checkin.number)
    if not targets.users_to_ping:
        return False
    mentions = [Mention(u, ctx.display_name(u)) for u in targets.users_to_ping]
    who = Text.join([Text(m.markdown, m.name, (m.user_id,)) for m in mentions], ", ")
    closes = when_text(ctx, checkin.closes_at)
    parts = [ctx.t("checkin.reminder", number=checkin.number, who=who, closes=closes)]
    if targets.absent_structures:
        absent = ", ".join(targets.absent_structures)
        parts.append(ctx.t("checkin.reminder_structures", structures=absent))
    # In the room itself, as a reply to the check-in: inside its thread Element shows no
    # mention badge, only « 3 messages non lus ». Replying to the reminder is an answer too.
    root = await outbox.sent_event_for(ctx.db, checkin_purpose(ctx.circle_id, checkin.number))
    content = ctx.builder.build(Text.join(parts), notify=True, relation=Relation(reply_to=root))
    purpose = reminder_purpose(ctx.circle_id, checkin.number)
    await outbox.enqueue(ctx.db, ctx.circle_id, "m.room.message", content, purpose)
    return True


async def close_checkin(ctx: CommandContext, checkin: Checkin) -> None:
    """Close the check-in, post its recap and drop its pending jobs."""
    members = await ctx.runtime.members(ctx.circle_id)
    answers = await store.answers(ctx.db, ctx.circle_id, checkin.number)
    await store.close_checkin(ctx.db, ctx.circle_id, checkin.number, ctx.now)
    recap = checkin_recap_text(ctx, checkin.number, answers, members)
    await ctx.post_text(recap, purpose=recap_purpose(ctx.circle_id, checkin.number))
    for step in ("remind", "close"):
        ctx.runtime.cancel(step_job_id(step, ctx.circle_id, checkin.number))


async def remind_job(runtime: Runtime, circle_id: str, number: int) -> None:
    """The reminder, if the check-in is still open and not reminded; none during a pause."""
    async with runtime.job(circle_id) as ctx:
        checkin = await store.get_checkin(ctx.db, circle_id, number)
        if checkin is None or checkin.status != "open" or checkin.reminded:
            return
        if ctx.now >= checkin.closes_at:  # run late, after the bot was down: the close follows
            await store.mark_reminded(ctx.db, circle_id, number)
            return
        if not await may_send(ctx.db, circle_id, "reminder", ctx.now, ctx.circle.settings.timezone):
            await store.mark_reminded(ctx.db, circle_id, number)
            return
        await send_reminder(ctx, checkin)


async def close_job(runtime: Runtime, circle_id: str, number: int) -> None:
    async with runtime.job(circle_id) as ctx:
        checkin = await store.get_checkin(ctx.db, circle_id, number)
        if checkin is not None and checkin.status == "open":
            await close_checkin(ctx, checkin)
