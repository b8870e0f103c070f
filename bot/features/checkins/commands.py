"""``!checkin`` and its sub-commands: where the rhythm stands, launch, plan, remind, close,
pause and resume."""

from __future__ import annotations

from babel.lists import format_list

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand, UsageError
from bot.domain.checkin_rule import RuleError, next_occurrences, parse_monthly_rule
from bot.domain.pauses import PauseError, parse_pause_until, pause_date_words, start_pause
from bot.features.checkins.jobs import schedule_circle_checkins
from bot.features.checkins.lifecycle import close_checkin, open_new_checkin, send_reminder
from bot.features.checkins.rule import circle_rule, upcoming_checkins
from bot.features.checkins.wording import pause_text, when_text
from bot.features.date_refusals import date_refused
from bot.matrix.messages import Text
from bot.store import rhythm as store


async def checkin_default(ctx: CommandContext, args: str) -> None:
    """Where the rhythm stands: the open check-in, the next one, the pause."""
    if args.strip():
        raise UsageError()
    current = await store.open_checkin(ctx.db, ctx.circle_id)
    pause = await store.get_pause(ctx.db, ctx.circle_id)
    parts: list[Text] = []
    if current is not None:
        answered = {a for a, _ in await store.answers(ctx.db, ctx.circle_id, current.number)}
        parts.append(
            ctx.t(
                "checkin.current",
                number=current.number,
                n=len(answered),
                remind=when_text(ctx, current.remind_at),
                closes=when_text(ctx, current.closes_at),
            )
        )
    parts += await _next_checkin(ctx)
    if pause is not None:
        parts.append(pause_text(ctx, pause.until))
    await ctx.reply_text(Text.join(parts))


async def _next_checkin(ctx: CommandContext) -> list[Text]:
    """When the next check-in goes out, as a line; none while paused until resumed."""
    upcoming = await upcoming_checkins(ctx, await circle_rule(ctx.runtime, ctx.circle_id), 1)
    return [ctx.t("checkin.next", when=when_text(ctx, upcoming[0]))] if upcoming else []


async def launch(ctx: CommandContext, args: str) -> None:
    current = await store.open_checkin(ctx.db, ctx.circle_id)
    if current is not None:
        raise CommandRefused("checkin.error.already_open", number=current.number)
    await open_new_checkin(ctx, opened_by=ctx.sender)


async def plan(ctx: CommandContext, args: str) -> None:
    text = args.strip().strip("«»\"' ")
    if not text:
        raise UsageError("checkin.error.no_rule")
    try:
        rule = parse_monthly_rule(text)
    except RuleError as exc:
        raise UsageError(f"checkin.error.rule_{exc.code}", word=exc.token or text) from None
    await store.set_rule_key(ctx.db, ctx.circle_id, rule.key)
    await schedule_circle_checkins(ctx.runtime, ctx.circle_id)
    dates = await upcoming_checkins(ctx, rule, 3)
    if not dates:  # paused until resumed by hand
        await ctx.reply_text(
            Text.join([ctx.t("checkin.planned_paused", rule=text), pause_text(ctx, None)])
        )
        return
    await ctx.reply(
        "checkin.planned",
        rule=text,
        dates=format_list([when_text(ctx, d) for d in dates], locale=ctx.lang),
    )


async def remind(ctx: CommandContext, args: str) -> None:
    current = await store.open_checkin(ctx.db, ctx.circle_id)
    if current is None:
        raise CommandRefused("checkin.error.none_open")
    if not await send_reminder(ctx, current):
        await ctx.reply("checkin.everyone_answered")


async def close(ctx: CommandContext, args: str) -> None:
    current = await store.open_checkin(ctx.db, ctx.circle_id)
    if current is None:
        raise CommandRefused("checkin.error.none_open")
    await close_checkin(ctx, current)


async def pause(ctx: CommandContext, args: str) -> None:
    try:
        until = parse_pause_until(args, ctx.now, ctx.circle.settings.timezone, ctx.lang)
    except PauseError:
        # The date alone is quoted (« 35/12 », not « jusqu'au 35/12 »), with the pause's example.
        raise date_refused(
            pause_date_words(args), "checkin.error.bad_date", ctx.lang, "checkin.pause_example"
        ) from None
    try:
        new = start_pause(until, ctx.now.astimezone(ctx.circle.tz).date())
    except PauseError:
        raise UsageError("checkin.error.pause_in_past") from None
    await store.set_pause(ctx.db, ctx.circle_id, new)
    parts = [ctx.t("checkin.paused"), pause_text(ctx, new.until), *await _next_checkin(ctx)]
    await ctx.reply_text(Text.join(parts))


async def resume(ctx: CommandContext, args: str) -> None:
    if await store.get_pause(ctx.db, ctx.circle_id) is None:
        raise CommandRefused("checkin.error.not_paused")
    await store.set_pause(ctx.db, ctx.circle_id, None)
    rule = await circle_rule(ctx.runtime, ctx.circle_id)
    upcoming = next_occurrences(rule, ctx.now, ctx.circle.settings.timezone, 1)
    await ctx.reply("checkin.resumed", when=when_text(ctx, upcoming[0]))


def checkin_command() -> Command:
    return Command(
        "checkin",
        "check-in",
        checkin_default,
        subcommands=(
            Subcommand("lancer", "start", launch, facilitator_only=True),
            Subcommand("planifier", "schedule", plan, facilitator_only=True),
            Subcommand("relancer", "remind", remind, facilitator_only=True),
            Subcommand("clore", "close", close, facilitator_only=True),
            Subcommand("pause", "pause", pause, facilitator_only=True),
            Subcommand("reprendre", "resume", resume, facilitator_only=True),
        ),
    )
