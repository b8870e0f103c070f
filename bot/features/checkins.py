"""The monthly check-in: ``!checkin`` and its sub-commands, and the jobs that keep its rhythm.

A check-in is a message whose thread collects the answers. After
``checkin_remind_after_days`` a reminder pings those who have not answered and
names the structures still absent; after ``checkin_close_after_days`` it closes
with a recap. During a pause no check-in opens and no reminder goes out.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from babel.lists import format_list

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand, UsageError
from bot.domain import checkins as rules
from bot.domain.checkin_answers import answers_findings
from bot.domain.checkin_rule import (
    CalendarRule,
    MonthlyRule,
    RuleError,
    coalesced,
    cron_trigger,
    next_occurrences,
    parse_monthly_rule,
)
from bot.domain.checkins import Checkin
from bot.domain.dates import format_date
from bot.domain.paging import PHONE_SCREEN
from bot.domain.pauses import (
    PauseError,
    parse_pause_until,
    pause_date_words,
    rhythm_resumes_at,
    start_pause,
)
from bot.domain.shortening import shorten
from bot.domain.structures import participation_by_structure
from bot.features.date_refusals import date_refused
from bot.features.feature import ChatOrder, Feature, Hooked
from bot.features.fitting import PARAGRAPH, fit_lines, length
from bot.features.pause_state import may_send
from bot.matrix.messages import Mention, Relation, Text
from bot.store import outbox
from bot.store import rhythm as store
from bot.store.purposes import Purpose, PurposeKind

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

log = logging.getLogger(__name__)
LATE_GRACE = timedelta(days=3)  # a check-in missed for longer is skipped, not opened late
FINDING_CHARS = 140  # a blocker or a story idea in the recap (whole in the thread)
# A reply to the check-in or to its reminder is an answer.
ANSWERED_PURPOSES = (PurposeKind.CHECKIN, PurposeKind.CHECKIN_REMINDER)


def checkin_purpose(circle_id: str, number: int) -> str:
    return Purpose(PurposeKind.CHECKIN, number, circle_id).text()


def reminder_purpose(circle_id: str, number: int) -> str:
    return Purpose(PurposeKind.CHECKIN_REMINDER, number, circle_id).text()


def open_job_id(circle_id: str) -> str:
    return f"checkin-open:{circle_id}"


async def circle_rule(runtime: Runtime, circle_id: str) -> MonthlyRule:
    key = await store.get_rule_key(runtime.db, circle_id)
    text = key or runtime.circle(circle_id).settings.checkin_rule
    try:
        return parse_monthly_rule(text)
    except RuleError:
        log.error("check-in rule %r of %s is not readable; using the default", text, circle_id)
        return parse_monthly_rule("premier lundi 10:00")


def when_text(ctx: CommandContext, at: datetime) -> str:
    from bot.domain.dates import format_datetime

    glue = ctx.prompts.template(ctx.lang, "date.glue")
    return format_datetime(at.astimezone(ctx.circle.tz), ctx.lang, ctx.now, glue=glue)


# ---- opening, reminding, closing (shared by commands and jobs) ----
async def open_new_checkin(ctx: CommandContext, opened_by: str | None = None) -> Checkin:
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


def schedule_checkin_steps(runtime: Runtime, checkin: Checkin) -> None:
    suffix = f"{checkin.number}:{checkin.circle_id}"
    if not checkin.reminded:
        runtime.schedule_at(
            f"checkin-remind:{suffix}",
            checkin.remind_at,
            remind_job,
            checkin.circle_id,
            checkin.number,
        )
    runtime.schedule_at(
        f"checkin-close:{suffix}", checkin.closes_at, close_job, checkin.circle_id, checkin.number
    )


async def send_reminder(ctx: CommandContext, checkin: Checkin) -> bool:
    """Ping who has not answered, name the absent structures; False if everyone answered."""
    members = await ctx.runtime.members(ctx.circle_id)
    answered = {author for author, _ in await store.answers(ctx.db, ctx.circle_id, checkin.number)}
    # Whoever launched the check-in knows about it: she is not reminded of it (her
    # structure still counts as absent until someone of it answers).
    launcher = frozenset({checkin.opened_by} if checkin.opened_by else ())
    targets = rules.reminder_targets(members, answered, {ctx.runtime.bot_user_id}, launcher)
    await store.mark_reminded(ctx.db, ctx.circle_id, checkin.number)
    if not targets.users_to_ping:
        return False
    mentions = [Mention(u, ctx.display_name(u)) for u in targets.users_to_ping]
    who = Text.join([Text(m.markdown, m.name, (m.user_id,)) for m in mentions], ", ")
    parts = [
        ctx.t(
            "checkin.reminder",
            number=checkin.number,
            who=who,
            closes=when_text(ctx, checkin.closes_at),
        )
    ]
    if targets.absent_structures:
        parts.append(
            ctx.t("checkin.reminder_structures", structures=", ".join(targets.absent_structures))
        )
    # In the room itself, as a reply to the check-in: inside its thread Element shows no
    # mention badge, only « 3 messages non lus ». Replying to the reminder is an answer too.
    root = await outbox.sent_event_for(ctx.db, checkin_purpose(ctx.circle_id, checkin.number))
    content = ctx.builder.build(Text.join(parts), notify=True, relation=Relation(reply_to=root))
    await outbox.enqueue(
        ctx.db,
        ctx.circle_id,
        "m.room.message",
        content,
        reminder_purpose(ctx.circle_id, checkin.number),
    )
    return True


async def close_checkin(ctx: CommandContext, checkin: Checkin) -> None:
    members = await ctx.runtime.members(ctx.circle_id)
    answers = await store.answers(ctx.db, ctx.circle_id, checkin.number)
    await store.close_checkin(ctx.db, ctx.circle_id, checkin.number, ctx.now)
    recap = checkin_recap_text(ctx, checkin.number, answers, members)
    recap_purpose = Purpose(PurposeKind.CHECKIN_RECAP, checkin.number, ctx.circle_id)
    await ctx.post_text(recap, purpose=recap_purpose.text())
    for step in ("remind", "close"):
        ctx.runtime.cancel(f"checkin-{step}:{checkin.number}:{ctx.circle_id}")


def checkin_recap_text(
    ctx: CommandContext,
    number: int,
    answers: list[tuple[str, str]],
    members: dict[str, str | None],
) -> Text:
    """The check-in's recap: who answered, structure by structure, and what the answers
    bring (blockers, story ideas), shortened to fit a phone screen; the whole answers stay
    in the check-in's thread."""
    participants = {author for author, _ in answers}
    lines = [
        ctx.t(
            "checkin.recap.absent_line" if part.is_absent else "checkin.recap.line",
            structure=part.structure,
            present=len(part.participants),
            members=len(part.members),
        )
        # People without a structure are no structure: they count among those who answered.
        for part in participation_by_structure(participants, members)
        if part.structure is not None
    ]
    parts = [ctx.t("checkin.recap.header", number=number, n=len(participants))]
    if not participants:
        parts.append(ctx.t("checkin.recap.nobody"))
    if lines:
        parts.append(Text.join(lines, "\n"))
    findings = answers_findings([text for _, text in answers])
    found = [
        (ctx.t("checkin.recap.blockers"), "checkin.recap.blocker_line", findings.blockers),
        (ctx.t("checkin.recap.ideas"), "checkin.recap.idea_line", findings.story_ideas),
    ]
    found = [(title, key, texts) for title, key, texts in found if texts]
    room = PHONE_SCREEN - length([*parts, *(title for title, _, _ in found)])
    for title, key, texts in found:
        share = room // len(found)
        found_lines = [ctx.t(key, text=shorten(text, FINDING_CHARS)) for text in texts]

        def more(k: int) -> Text:
            return ctx.t("checkin.recap.more", n=k)

        parts.append(title)
        parts.append(Text.join(fit_lines(found_lines, more, share - len(PARAGRAPH)), "\n"))
    return Text.join(parts)


# ---- jobs ----
async def open_job(runtime: Runtime, circle_id: str) -> None:
    async with runtime.job(circle_id) as ctx:
        await store.set_last_run(ctx.db, open_job_id(circle_id), ctx.now)
        if not await may_send(ctx.db, circle_id, "checkin", ctx.now, ctx.circle.settings.timezone):
            log.info("check-in of %s skipped: the circle is paused", circle_id)
            return
        if await store.open_checkin(ctx.db, circle_id) is None:
            await open_new_checkin(ctx)


async def remind_job(runtime: Runtime, circle_id: str, number: int) -> None:
    async with runtime.job(circle_id) as ctx:
        checkin = await store.get_checkin(ctx.db, circle_id, number)
        if checkin is None or checkin.status != "open" or checkin.reminded:
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


async def schedule_circle_checkins(runtime: Runtime, circle_id: str) -> None:
    """The monthly job of one circle, plus one late run if a check-in was missed while down."""
    settings = runtime.circle(circle_id).settings
    rule = await circle_rule(runtime, circle_id)
    trigger = cron_trigger(rule, settings.timezone)
    job_id = open_job_id(circle_id)
    now = runtime.now()
    last = await store.last_run(runtime.db, job_id)
    if last is None:
        await store.set_last_run(runtime.db, job_id, now)
    elif coalesced(last, now, trigger, grace=LATE_GRACE) is not None:
        runtime.schedule_at(job_id + ":late", now, open_job, circle_id)
    runtime.schedule_repeat(job_id, trigger, open_job, circle_id)


async def rebuild_checkin_jobs(runtime: Runtime) -> None:
    for circle_id in runtime.circle_ids():
        await schedule_circle_checkins(runtime, circle_id)
    for checkin in await store.all_open_checkins(runtime.db):
        schedule_checkin_steps(runtime, checkin)


# ---- answers ----
MAX_ANSWER_CHARS = 2000  # a check-in answer is kept up to this length


async def on_answer_edit(ctx: CommandContext) -> bool:
    """An answer corrected in Element: the recap quotes the corrected text."""
    original, text = ctx.message.edits, ctx.message.body.strip()[:MAX_ANSWER_CHARS]
    if original is None or not text:
        return False
    return await store.correct_answer(ctx.db, original, ctx.sender, text)


async def on_checkin_answer(ctx: CommandContext) -> bool:
    """A reply in a check-in's thread (or to its message) is an answer."""
    anchor = ctx.message.thread_root or ctx.message.reply_to
    if anchor is None:
        return False
    purpose = Purpose.parse(await outbox.purpose_of_sent(ctx.db, anchor) or "")
    if purpose is None or purpose.kind not in ANSWERED_PURPOSES:
        return False
    circle_id = purpose.circle_id
    checkin = await store.get_checkin(ctx.db, circle_id, purpose.number)
    if checkin is None or checkin.status != "open":
        return True
    text = ctx.message.body.strip()[:MAX_ANSWER_CHARS]
    if text:
        await store.add_answer(
            ctx.db, ctx.message.event_id, circle_id, checkin.number, ctx.sender, text, ctx.now
        )
    return True


# ---- commands ----
async def checkin_default(ctx: CommandContext, args: str) -> None:
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
    upcoming = await upcoming_checkins(ctx, await circle_rule(ctx.runtime, ctx.circle_id), 1)
    if upcoming:
        parts.append(ctx.t("checkin.next", when=when_text(ctx, upcoming[0])))
    if pause is not None:
        parts.append(_pause_text(ctx, pause.until))
    await ctx.reply_text(Text.join(parts))


async def upcoming_checkins(ctx: CommandContext, rule: CalendarRule, count: int) -> list[datetime]:
    """The next check-ins that will really go out: none falls in a pause."""
    pause = await store.get_pause(ctx.db, ctx.circle_id)
    since = rhythm_resumes_at(pause, ctx.now, ctx.circle.settings.timezone)
    if since is None:
        return []
    return next_occurrences(rule, since, ctx.circle.settings.timezone, count)


def _pause_text(ctx: CommandContext, until: object) -> Text:
    if until is None:
        return ctx.t("checkin.paused_open")
    return ctx.t("checkin.paused_until", until=format_date(until, ctx.lang, ctx.now))  # type: ignore[arg-type]


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
            Text.join([ctx.t("checkin.planned_paused", rule=text), _pause_text(ctx, None)])
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
    parts = [ctx.t("checkin.paused"), _pause_text(ctx, new.until)]
    upcoming = await upcoming_checkins(ctx, await circle_rule(ctx.runtime, ctx.circle_id), 1)
    if upcoming:
        parts.append(ctx.t("checkin.next", when=when_text(ctx, upcoming[0])))
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


FEATURE = Feature(
    "checkins",
    commands=(checkin_command(),),
    chat=(Hooked(ChatOrder.CHECKIN, on_checkin_answer),),
    edits=(Hooked(ChatOrder.CHECKIN, on_answer_edit),),
    on_start=(rebuild_checkin_jobs,),
    on_circle_joined=(schedule_circle_checkins,),
)
