"""Recaps and memory: ``!bilan``, ``!bilan chantier [n]``, ``!bilan export``, the monthly job."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.lists import format_list

from bot.commands.context import CommandContext
from bot.commands.registry import Command, Subcommand, UsageError
from bot.domain.checkin_rule import MonthEndRule, coalesced, cron_trigger
from bot.domain.paging import PHONE_SCREEN
from bot.domain.personal_data import is_alias
from bot.domain.recaps import (
    MonthlyRecap,
    RecapDecision,
    RecapSprint,
    RecapStory,
    RecapVote,
    build_monthly_recap,
    month_bounds,
    tally_contributions,
)
from bot.domain.stories import Story, StoryStatus
from bot.domain.structures import participation_by_structure
from bot.features.feature import Feature
from bot.features.fitting import fit_lines, length
from bot.features.personal_data.naming import discretion
from bot.features.proposals import decisions_lines, decisions_of_month
from bot.features.rendezvous.history import post_attendance_picture, recap_lines
from bot.features.sprints import sprint_summaries, sprint_summary_text
from bot.features.story_text import story_title
from bot.matrix.messages import Markdown, Text
from bot.memory_export import export_markdown
from bot.store import rhythm as rhythm_store
from bot.store import stories as story_store
from bot.store import votes as vote_store
from bot.store.votes import VoteRow

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

log = logging.getLogger(__name__)
TITLE_CHARS = 50  # a story in the recap: its short title, cut between words
THANKED_BY_NAME = 15  # a phone screen's worth of names


def _local_day(moment: datetime | None, tz: ZoneInfo) -> date | None:
    return moment.astimezone(tz).date() if moment else None


async def monthly_recap_text(ctx: CommandContext, day: date) -> Text:
    """The recap of the month containing ``day`` (local), as a message."""
    tz = ctx.circle.tz
    start, end = month_bounds(day)

    def in_month(moment: datetime | None) -> bool:
        local = _local_day(moment, tz)
        return local is not None and start <= local <= end

    stories = await story_store.all_stories(ctx.db, ctx.circle_id)
    added = [s for s in stories if in_month(s.created_at)]
    done = [s for s in stories if s.status is StoryStatus.DONE and in_month(s.done_at)]
    blockers = [
        b for b in await story_store.all_blockers(ctx.db, ctx.circle_id) if in_month(b.created_at)
    ]
    votes = [v for v in await vote_store.all_votes(ctx.db, ctx.circle_id) if in_month(v.closed_at)]
    voters = await _voters(ctx, votes)
    checkins = [
        c for c in await rhythm_store.all_checkins(ctx.db, ctx.circle_id) if in_month(c.opened_at)
    ]
    answerers = await _answerers(ctx, [checkin.number for checkin in checkins])
    members = await ctx.runtime.members(ctx.circle_id)
    participation = participation_by_structure(answerers, members) if checkins else []
    sprints = await _recap_sprints(ctx, start, end)
    actors: list[str | None] = [
        *(s.author for s in added),
        *(b.author for b in blockers),
        *(s.porteur for s in done),
        *voters,
        *sorted(answerers),
    ]
    contributions = tally_contributions(actors)
    recap = build_monthly_recap(
        start, end,
        [RecapStory(s.number, _title(s, ctx.lang), s.author, s.porteur) for s in added],
        [RecapStory(s.number, _title(s, ctx.lang), s.author, s.porteur) for s in done],
        [_recap_vote(v) for v in votes],
        sprints, participation, contributions, checkin_people=len(answerers),
        decisions=await _recap_decisions(ctx, in_month),
    )  # fmt: skip
    rendezvous = await recap_lines(ctx, start, end)
    return recap_message(
        ctx, await discreet(ctx, recap), len(blockers), bool(checkins), extra=rendezvous
    )


async def discreet(ctx: CommandContext, recap: MonthlyRecap) -> MonthlyRecap:
    """Who declined thanks by name (``!merci non``) or was forgotten leaves the thanks;
    a story she carried reads « une personne de … »."""
    shown = await discretion(ctx)
    recap.thanks = [u for u in recap.thanks if shown(u) == u and not is_alias(u)]
    recap.stories_done = [replace(s, porteur=shown(s.porteur)) for s in recap.stories_done]
    return recap


def recap_message(
    ctx: CommandContext,
    recap: MonthlyRecap,
    blockers: int,
    checkin_held: bool,
    extra: Sequence[Text] = (),
) -> Text:
    """The recap as one message that fits a phone screen: counts, the stories done (those
    beyond the room named by number) and where to read more."""
    month_name = babel_date(recap.month_start, "MMMM y", locale=ctx.lang)
    head = [ctx.t("recap.header", month=month_name)]
    if recap.is_quiet:
        head.append(ctx.t("recap.quiet"))
    noted = ctx.t("recap.blockers_noted", n=blockers)
    head.append(ctx.t("recap.stories_added", n=len(recap.stories_added), blockers=noted))
    tail = _recap_tail(ctx, recap, checkin_held, extra)
    if not recap.stories_done:
        return Text.join([*head, *tail])
    return Text.join([*head, _done_part(ctx, recap, above=[*head, *tail]), *tail])


def _recap_tail(
    ctx: CommandContext, recap: MonthlyRecap, checkin_held: bool, extra: Sequence[Text] = ()
) -> list[Text]:
    """What comes after the stories: the decisions, the votes closed, the chantiers, the
    check-in, ``extra`` (the month's rendez-vous), thanks."""
    tail = decisions_lines(ctx, recap)
    tail += [
        ctx.t(
            "recap.vote_line",
            number=closed.number,
            n=closed.voters,
            top=Markdown(" ".join(f"#{n}" for n in closed.top_stories) or "—"),
        )
        for closed in recap.votes_closed
    ]
    tail += [
        ctx.t(
            "recap.sprint_line",
            number=sprint.number,
            name=sprint.name,
            n=sprint.stories_done,
            total=sprint.stories_total,
        )
        for sprint in recap.sprints
    ]
    if checkin_held:
        tail.append(_checkin_text(ctx, recap))
    tail += extra
    if recap.thanks:
        tail.append(_thanks_text(ctx, recap.thanks))
    return tail


def _thanks_text(ctx: CommandContext, thanks: list[str]) -> Text:
    """Thanks by name, most active first; beyond a phone screen of names, the others counted."""
    names = [ctx.display_name(u) for u in thanks[:THANKED_BY_NAME]]
    if len(thanks) > THANKED_BY_NAME:
        names.append(
            ctx.prompts.text(ctx.lang, "recap.thanks_others", n=len(thanks) - THANKED_BY_NAME)
        )
    return ctx.t("recap.thanks", names=format_list(names, locale=ctx.lang))


def _done_part(ctx: CommandContext, recap: MonthlyRecap, above: list[Text]) -> Text:
    """The stories done, as many as the room left by ``above`` holds, the others by number."""
    title = ctx.t("recap.stories_done", n=len(recap.stories_done))
    lines = [
        ctx.t(
            "recap.done_line",
            number=story.number,
            text=story.title,
            porteur=ctx.display_name(story.porteur) if story.porteur else "—",
        )
        for story in recap.stories_done
    ]
    numbers = [story.number for story in recap.stories_done]

    def more(k: int) -> Text:
        return ctx.t("recap.done_more", stories=Markdown(" ".join(f"#{n}" for n in numbers[-k:])))

    room = PHONE_SCREEN - length([title, *above])
    return Text.join([title, *fit_lines(lines, more, room)], "\n")


async def _voters(ctx: CommandContext, votes: list[VoteRow]) -> list[str]:
    """Who voted in ``votes``, once per vote they took part in."""
    voters: list[str] = []
    for vote in votes:
        voters.extend(await vote_store.voters(ctx.db, ctx.circle_id, vote.number))
    return voters


async def _answerers(ctx: CommandContext, checkins: list[int]) -> set[str]:
    """Who answered at least one of the check-ins numbered ``checkins``."""
    answerers: set[str] = set()
    for number in checkins:
        answerers |= {a for a, _ in await rhythm_store.answers(ctx.db, ctx.circle_id, number)}
    return answerers


def _title(story: Story, lang: str) -> str:
    return story_title(story, TITLE_CHARS, lang)


def _checkin_text(ctx: CommandContext, recap: MonthlyRecap) -> Text:
    """How many answered the month's check-in, and which structures were missing.

    People without a structure count among those who answered, never as a structure."""
    parts = [ctx.t("recap.checkin", n=recap.checkin_people)]
    if recap.expected_structures:
        parts.append(
            ctx.t(
                "recap.checkin_structures",
                present=recap.present_structures,
                total=recap.expected_structures,
            )
        )
    if recap.absent_structures:
        absent = format_list(recap.absent_structures, locale=ctx.lang)
        parts.append(
            ctx.t("recap.checkin_absent", n=len(recap.absent_structures), structures=absent)
        )
    return Text.join(parts, " ")


async def _recap_decisions(
    ctx: CommandContext, in_month: Callable[[datetime | None], bool]
) -> list[RecapDecision]:
    return [RecapDecision(p.number, p.text) for p in await decisions_of_month(ctx, in_month)]


def _recap_vote(vote: VoteRow) -> RecapVote:
    if vote.results is None:
        return RecapVote(vote.number, (), 0)
    return RecapVote(vote.number, vote.results.top, vote.results.voters)


async def _recap_sprints(ctx: CommandContext, start: date, end: date) -> list[RecapSprint]:
    return [
        RecapSprint(
            number=sprint.number,
            name=sprint.name,
            starts_on=sprint.starts_on,
            ends_on=sprint.ends_on,
            status=sprint.status,
            stories_done=sum(1 for s in sprint.stories if s.status == "done"),
            stories_total=len(sprint.stories),
        )
        for sprint in await sprint_summaries(ctx.db, ctx.circle_id, include_open=True)
        if sprint.starts_on <= end and sprint.ends_on >= start
    ]


# ---- commands ----
async def recap_default(ctx: CommandContext, args: str) -> None:
    if args.strip():
        raise UsageError()
    await ctx.reply_text(await monthly_recap_text(ctx, ctx.now.astimezone(ctx.circle.tz).date()))


async def sprint_recap(ctx: CommandContext, args: str) -> None:
    word = args.strip().lstrip("#")
    if word and not word.isdigit():
        raise UsageError("recap.error.sprint_number", word=args.strip())
    number = int(word) if word else None
    text = await sprint_summary_text(ctx, number)
    await ctx.reply_text(text)


async def export(ctx: CommandContext, args: str) -> None:
    markdown = await render_export(ctx)
    filename = f"memoire-cercle-{ctx.now.astimezone(ctx.circle.tz).date().isoformat()}.md"
    await ctx.reply("recap.export_coming")
    runtime, room = ctx.runtime, ctx.circle_id

    async def upload() -> None:
        await runtime.post_file(room, markdown.encode("utf-8"), filename, "text/markdown")

    runtime.after_commit(upload)


async def render_export(ctx: CommandContext) -> str:
    """The circle's memory for its wiki, as Markdown."""
    circle_id, settings = ctx.circle_id, ctx.circle.settings
    return await export_markdown(
        ctx.db, ctx.prompts, circle_id, settings.language, ctx.now, ctx.display_name,
        ctx.runtime.room_name(circle_id), sprint_summaries, tz=settings.timezone,
    )  # fmt: skip


def recap_command() -> Command:
    return Command(
        "bilan",
        "recap",
        recap_default,
        subcommands=(
            Subcommand("chantier", "sprint", sprint_recap),
            Subcommand("export", "export", export),
        ),
    )


# ---- the monthly job ----
def recap_job_id(circle_id: str) -> str:
    return f"recap:{circle_id}"


async def recap_job(runtime: Runtime, circle_id: str, fired_at: datetime | None = None) -> None:
    """Post the recap of the month of ``fired_at`` (the scheduled time, if run late)."""
    async with runtime.job(circle_id) as ctx:
        day = (fired_at or ctx.now).astimezone(ctx.circle.tz).date()
        await rhythm_store.set_last_run(ctx.db, recap_job_id(circle_id), ctx.now)
        if await rhythm_store.mark_recap_posted(ctx.db, circle_id, f"{day:%Y-%m}", ctx.now):
            await ctx.post_text(await monthly_recap_text(ctx, day))
            post_attendance_picture(ctx)


async def rebuild_recap_jobs(runtime: Runtime) -> None:
    for circle_id in runtime.circle_ids():
        await schedule_recap(runtime, circle_id)


async def schedule_recap(runtime: Runtime, circle_id: str) -> None:
    """The month-end job of one circle, plus one late run if a recap was missed while down."""
    settings = runtime.circle(circle_id).settings
    trigger = cron_trigger(MonthEndRule(hour=settings.recap_hour), settings.timezone)
    job_id = recap_job_id(circle_id)
    now = runtime.now()
    last = await rhythm_store.last_run(runtime.db, job_id)
    if last is None:
        await rhythm_store.set_last_run(runtime.db, job_id, now)
    elif (missed := coalesced(last, now, trigger)) is not None:
        runtime.schedule_at(job_id + ":late", now, recap_job, circle_id, missed)
    runtime.schedule_repeat(job_id, trigger, recap_job, circle_id)


FEATURE = Feature(
    "recaps",
    commands=(recap_command(),),
    on_start=(rebuild_recap_jobs,),
    on_circle_joined=(schedule_recap,),
)
