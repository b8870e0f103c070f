"""``!statut`` (facilitators): how the bot is doing, and what is planned for this circle."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_timedelta

from bot.commands.context import CommandContext
from bot.commands.registry import Command
from bot.commands.runtime import BotHealth
from bot.domain.dates import format_datetime
from bot.domain.typography import NBSP
from bot.features.feature import Feature
from bot.matrix.messages import Text

UPCOMING_SHOWN = 5

# The scheduled jobs a facilitator may wonder about, by their function's name: each has
# a line in the prompts (``status.job.<name>``); a job not listed here is shown generically.
KNOWN_JOBS = (
    "open_job",
    "remind_job",
    "close_job",
    "recap_job",
    "close_due_vote",
    "close_due_proposal",
    "start_due_sprint",
    "nudge_due_sprint",
    "close_due_sprint",
)


def _when(ctx: CommandContext, at: datetime) -> str:
    glue = ctx.prompts.template(ctx.lang, "date.glue")
    return format_datetime(at.astimezone(ctx.circle.tz), ctx.lang, ctx.now, glue=glue)


def _ago(ctx: CommandContext, then: datetime) -> str:
    # « il y a 4 secondes »: short, kept on one line (a number and its unit never part).
    return format_timedelta(then - ctx.now, add_direction=True, locale=ctx.lang).replace(" ", NBSP)


def _duration(ctx: CommandContext, length: timedelta) -> str:
    return format_timedelta(length, locale=ctx.lang).replace(" ", NBSP)


def _health_lines(ctx: CommandContext, health: BotHealth) -> list[Text]:
    trust = {True: "signed", False: "unsigned", None: "unknown"}[health.cross_signed]
    lines = [
        ctx.t("status.header", version=health.version),
        ctx.t(
            "status.uptime",
            since=_when(ctx, health.started_at),
            duration=_duration(ctx, ctx.now - health.started_at),
        ),
        ctx.t(f"status.device.{trust}"),
        ctx.t("status.circles", n=health.circles),
        ctx.t("status.outbox", n=health.outbox_waiting),
    ]
    if health.last_sync_at is None:
        lines.append(ctx.t("status.sync.never"))
    else:
        lines.append(ctx.t("status.sync.last", ago=_ago(ctx, health.last_sync_at)))
    return lines


def _upcoming_lines(ctx: CommandContext) -> list[Text]:
    seen: set[tuple[str, datetime]] = set()
    lines: list[Text] = []
    for name, at in ctx.runtime.upcoming(ctx.circle_id):
        if (name, at) in seen:  # a late run and the rule's next run can coincide
            continue
        seen.add((name, at))
        key = f"status.job.{name}" if name in KNOWN_JOBS else "status.job.other"
        lines.append(ctx.t(key, when=_when(ctx, at)))
        if len(lines) == UPCOMING_SHOWN:
            break
    if not lines:
        return [ctx.t("status.next.none")]
    return [ctx.t("status.next.header"), *lines]


async def show_status(ctx: CommandContext, args: str) -> None:
    health = await ctx.runtime.health()
    blocks = [
        Text.join(_health_lines(ctx, health), "\n"),
        Text.join(_upcoming_lines(ctx), "\n"),
    ]
    await ctx.reply_text(Text.join(blocks, "\n\n"))


def status_command() -> Command:
    return Command("statut", "status", show_status, facilitator_only=True)


FEATURE = Feature("status", commands=(status_command(),))
