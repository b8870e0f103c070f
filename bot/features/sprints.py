"""Mini-chantiers: ``!chantier`` — plan one, choose its stories, follow it, close it.

A chantier is announced when it starts (its stories, porteurs wanted), nudged
``sprint_nudge_days_before`` days before its end, and closed on its last day at
18:00 in the circle's zone (the last day still counts as a working day; the
summary arrives at the end of it) or earlier by ``!chantier clore``. The close
posts a summary, then the retrospective questions in a separate message whose
thread collects the answers.

Jobs are rebuilt from the database at every start; each one re-reads its flag
(``announced``, ``nudged``, the ``closed`` status) inside its transaction, so it
acts once even across restarts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel.lists import format_list

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand, UsageError
from bot.domain import stories as story_rules
from bot.domain.dates import format_date, format_day_month, parse_when
from bot.domain.folding import fold
from bot.domain.paging import PHONE_SCREEN
from bot.domain.shortening import shorten
from bot.domain.sprints import (
    MAX_SPRINT_NAME_LENGTH,
    MAX_STORIES_PER_SPRINT,
    Sprint,
    SprintError,
    StoryView,
    add_stories,
    nudge_date,
    plan_sprint,
    propose_next,
    remove_stories,
    sprint_name,
    summarise_sprint,
)
from bot.domain.stories import Story, StoryStatus
from bot.features.date_refusals import date_refused
from bot.features.feature import ChatOrder, Feature, Hooked
from bot.features.fitting import PARAGRAPH, fit_lines, length
from bot.features.pause_state import may_send
from bot.features.stories import parse_number
from bot.features.story_text import status_text, story_title
from bot.matrix.messages import Markdown, Mention, Text
from bot.store import outbox
from bot.store import sprints as store
from bot.store import stories as story_store
from bot.store import votes as vote_store
from bot.store.database import Database
from bot.store.sprints import RetroAnswer, SprintRow
from bot.store.votes import VoteRow

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

log = logging.getLogger(__name__)

ANNOUNCE_AT = time(9, 0)  # a chantier starting on a later day is announced that morning
NUDGE_AT = time(10, 0)
CLOSE_AT = time(18, 0)  # on the last day; see the module docstring
LATE_CLOSE_AT = time(23, 59)  # a chantier created on its last day after 18:00
PROPOSAL_SIZE = 3
TITLE_CHARS = 45
RETRO_LINE_CHARS = 140  # a retrospective answer in the summary; whole in the export
MAX_SPRINT_DAYS = 366  # a chantier lasts, and is planned ahead, at most a year
MAX_RETRO_ANSWER_CHARS = 2000
RETRO_PURPOSE = "sprint-retro"

START_MARKERS = frozenset({"du", "from"})
END_MARKERS = frozenset({"au", "jusqu'au", "to", "until"})
SKIPPED_WORDS = frozenset({"et", "and"})
_LIST_SEPARATORS = re.compile(r"[\s,;]+")


def _today(ctx: CommandContext) -> date:
    return ctx.now.astimezone(ctx.circle.tz).date()


def _day(ctx: CommandContext, day: date) -> str:
    return format_date(day, ctx.lang, ctx.now)


def _short_day(ctx: CommandContext, day: date) -> str:
    """« 2 décembre », for a summary that must fit a phone (the year when it is not this one)."""
    return format_day_month(day, ctx.lang, year=day.year != _today(ctx).year)


def _title(story: Story, lang: str) -> str:
    """A story as a chantier's lines show it: its short title (the full text is one
    ``!histoire 12`` away), so that a chantier of several stories fits a phone screen."""
    return story_title(story, TITLE_CHARS, lang)


def _tags(numbers: Iterable[int]) -> Markdown:
    """« #3 #7 »: story numbers as the bot writes them."""
    return Markdown(" ".join(f"#{n}" for n in numbers))


def _plain_numbers(numbers: Iterable[int]) -> Markdown:
    """« 3 7 »: story numbers as a command takes them."""
    return Markdown(" ".join(str(n) for n in numbers))


def _is_started(row: SprintRow, today: date) -> bool:
    return row.sprint.status != "closed" and row.sprint.starts_on <= today


def current_row(rows: Iterable[SprintRow], today: date) -> SprintRow | None:
    """The chantier under way: started, not closed (the latest started if several)."""
    started = [r for r in rows if _is_started(r, today)]
    return max(started, key=lambda r: (r.sprint.starts_on, r.number), default=None)


def _next_planned(rows: Iterable[SprintRow], today: date) -> SprintRow | None:
    """The chantier being prepared: not started yet (the latest planned if several)."""
    planned = [r for r in rows if r.sprint.status != "closed" and r.sprint.starts_on > today]
    return max(planned, key=lambda r: r.number, default=None)


async def _open_rows(ctx: CommandContext) -> list[SprintRow]:
    return [
        r for r in await store.all_sprints(ctx.db, ctx.circle_id) if r.sprint.status != "closed"
    ]


async def _stories(ctx: CommandContext) -> dict[int, Story]:
    return {s.number: s for s in await story_store.all_stories(ctx.db, ctx.circle_id)}


def _refusal(sprint: Sprint | None, exc: SprintError) -> Exception:
    """The friendly answer to a ``SprintError`` (as an exception the router turns into a reply)."""
    fields: dict[str, Any] = {
        "number": sprint.number if sprint else 0,
        "stories": _tags(exc.stories),
        "limit": MAX_STORIES_PER_SPRINT
        if exc.code == "too_many_stories"
        else MAX_SPRINT_NAME_LENGTH,
    }
    if exc.code in ("empty_name", "no_stories"):
        return UsageError(f"sprint.error.{exc.code}", **fields)
    return CommandRefused(f"sprint.error.{exc.code}", **fields)


# ---- job times ----
def _at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def close_time(row: SprintRow, tz: ZoneInfo) -> datetime:
    """When the chantier closes by itself: its last day at 18:00 (23:59 if created later)."""
    at = _at(row.sprint.ends_on, CLOSE_AT, tz)
    return at if row.created_at < at else _at(row.sprint.ends_on, LATE_CLOSE_AT, tz)


def _job_ids(circle_id: str, number: int) -> dict[str, str]:
    return {kind: f"sprint-{kind}:{number}:{circle_id}" for kind in ("start", "nudge", "close")}


def schedule_sprint_jobs(runtime: Runtime, row: SprintRow) -> None:
    """Schedule the start announcement, the nudge and the close still due for ``row``."""
    circle = runtime.circle(row.circle_id)
    ids = _job_ids(row.circle_id, row.number)
    args = (row.circle_id, row.number)
    if row.sprint.status == "planned":
        start_at = _at(row.sprint.starts_on, ANNOUNCE_AT, circle.tz)
        runtime.schedule_at(ids["start"], start_at, start_due_sprint, *args)
    nudge_day = nudge_date(row.sprint, circle.settings.sprint_nudge_days_before)
    if not row.nudged and nudge_day is not None:
        nudge_at = _at(nudge_day, NUDGE_AT, circle.tz)
        runtime.schedule_at(ids["nudge"], nudge_at, nudge_due_sprint, *args)
    runtime.schedule_at(ids["close"], close_time(row, circle.tz), close_due_sprint, *args)


def _cancel_jobs(runtime: Runtime, circle_id: str, number: int) -> None:
    for job_id in _job_ids(circle_id, number).values():
        runtime.cancel(job_id)


async def rebuild_sprint_jobs(runtime: Runtime) -> None:
    """At start: the jobs of every chantier not closed yet, in the circles the bot serves."""
    served = set(runtime.circle_ids())
    for row in await store.open_sprints(runtime.db):
        if row.circle_id in served:
            schedule_sprint_jobs(runtime, row)


# ---- !chantier nouveau ----
def _marker(word: str) -> str:
    return fold(word).replace("’", "'")


def _date_after_marker(
    ctx: CommandContext, words: list[str], markers: frozenset[str], now: datetime
) -> tuple[date | None, int]:
    """The date after the last marker word (« au 31/12 ») and where the marker stands.

    Returns (None, len(words)) when the words end with no date: « Chantier du jardin »
    is a name. A tail with a digit that is no date is a mistyped date, not a name.
    """
    for index in range(len(words) - 1, -1, -1):
        if _marker(words[index]) not in markers:
            continue
        tail = " ".join(words[index + 1 :])
        if not tail:
            break
        found = parse_when(tail, now, ctx.circle.settings.timezone, ctx.lang)
        if found is not None:
            return found.at.date(), index
        if any(ch.isdigit() for ch in tail):
            raise date_refused(tail, "sprint.error.bad_date", ctx.lang)
        break
    return None, len(words)


def parse_plan(ctx: CommandContext, args: str) -> tuple[str, date | None, date | None]:
    """(name, start, end) of « Planning partagé du 1/12 au 31/12 »; dates optional.

    Also « Compost jusqu'au 15 janvier », « Compost du lundi prochain », "Compost from
    1/12 to 31/12". The end is read relative to the start when both are given.
    """
    words = args.split()
    end, end_index = _date_after_marker(ctx, words, END_MARKERS, ctx.now)
    head = words[:end_index]
    start, start_index = _date_after_marker(ctx, head, START_MARKERS, ctx.now)
    if start is not None and end is not None:
        from_start = _at(start, time(0, 0), ctx.circle.tz)
        end, _ = _date_after_marker(ctx, words, END_MARKERS, from_start)
    return " ".join(head[:start_index]), start, end


async def new_command(ctx: CommandContext, args: str) -> None:
    today = _today(ctx)
    name, start, end = parse_plan(ctx, args)
    try:
        display = sprint_name(name)
        starts_on, ends_on = plan_sprint(display, today, start, end)
    except SprintError as exc:
        if exc.code == "end_before_start" and start is not None and end is not None:
            raise CommandRefused(
                "sprint.error.end_before_start", start=_day(ctx, start), end=_day(ctx, end)
            ) from None
        raise _refusal(None, exc) from None
    if (ends_on - starts_on).days > MAX_SPRINT_DAYS or (starts_on - today).days > MAX_SPRINT_DAYS:
        # e.g. « au 45/13 », which the date reader takes for 13 November 2045
        raise CommandRefused(
            "sprint.error.too_long", start=_day(ctx, starts_on), end=_day(ctx, ends_on)
        )
    for other in await _open_rows(ctx):
        if starts_on <= other.sprint.ends_on and ends_on >= other.sprint.starts_on:
            raise CommandRefused(
                "sprint.error.overlap",
                number=other.number,
                name=other.sprint.name,
                start=_day(ctx, other.sprint.starts_on),
                end=_day(ctx, other.sprint.ends_on),
            )
    number = await store.next_sprint_number(ctx.db, ctx.circle_id)
    sprint = Sprint(
        number=number,
        circle_id=ctx.circle_id,
        name=display,
        starts_on=starts_on,
        ends_on=ends_on,
        status="active" if starts_on <= today else "planned",
        created_by=ctx.sender,
    )
    await store.insert_sprint(ctx.db, sprint, ctx.now)
    parts = [
        ctx.t(
            "sprint.created",
            number=number,
            name=display,
            start=_day(ctx, starts_on),
            end=_day(ctx, ends_on),
        )
    ]
    if sprint.status == "planned":
        parts.append(ctx.t("sprint.created_future", start=_day(ctx, starts_on)))
    parts.append(await _proposal_text(ctx))
    await ctx.reply_text(Text.join(parts))
    row = await store.get_sprint(ctx.db, ctx.circle_id, number)
    assert row is not None
    runtime = ctx.runtime

    async def schedule() -> None:
        schedule_sprint_jobs(runtime, row)

    runtime.after_commit(schedule)


def ranked_stories(vote: VoteRow) -> list[int]:
    """The stories a closed vote ranked, best first (its top, then the others that scored)."""
    results = vote.results or {}
    top = [int(n) for n in results.get("top", [])]
    points = results.get("points") or {}
    rest = [
        int(n)
        for n in results.get("ranking", [])
        if int(n) not in top and (results.get("kind") != "dots" or (points.get(str(n)) or 0) > 0)
    ]
    return top + rest


async def _proposal_text(ctx: CommandContext) -> Text:
    """The best-ranked stories of the last closed vote still free to take, with the command."""
    vote = await vote_store.latest_closed_vote(ctx.db, ctx.circle_id)
    stories = await _stories(ctx)
    if vote is None:
        return ctx.t("sprint.proposal.none")
    free = {n for n, s in stories.items() if s.status is StoryStatus.PROPOSED}
    chosen = propose_next(ranked_stories(vote), set(stories) - free, PROPOSAL_SIZE)
    chosen = [n for n in chosen if n in free]
    if not chosen:
        return ctx.t("sprint.proposal.none")
    lines = [
        ctx.t("sprint.story_line", number=n, text=_title(stories[n], ctx.lang)) for n in chosen
    ]
    return Text.join(
        [
            ctx.t("sprint.proposal.header", vote=vote.number),
            Text.join(lines, "\n"),
            ctx.t("sprint.proposal.how", numbers=_plain_numbers(chosen)),
        ]
    )


# ---- !chantier ajouter / retirer ----
def parse_story_numbers(args: str) -> list[int]:
    """Story numbers of « 12 15 », « #12, #15 » or « 12 et 15 »; UsageError otherwise."""
    numbers: list[int] = []
    for word in _LIST_SEPARATORS.split(args.strip()):
        if not word or fold(word) in SKIPPED_WORDS:
            continue
        number = parse_number(word)
        if number is None:
            raise UsageError("sprint.error.bad_number", word=word)
        numbers.append(number)
    if not numbers:
        raise UsageError("sprint.error.no_stories")
    return numbers


async def _target(ctx: CommandContext) -> SprintRow:
    """The chantier ``ajouter``/``retirer`` change: the latest planned of those not closed.

    Right after « !chantier nouveau … » that is the one just planned, whether it starts
    today or next month; while one runs and the next is being prepared, the next.
    """
    rows = await _open_rows(ctx)
    row = max(rows, key=lambda r: r.number, default=None)
    if row is None:
        raise CommandRefused("sprint.error.none")
    return row


async def add_command(ctx: CommandContext, args: str) -> None:
    numbers = parse_story_numbers(args)
    row = await _target(ctx)
    stories = await _stories(ctx)
    known = {n: s.status.value for n, s in stories.items()}
    try:
        changed = add_stories(row.sprint, numbers, known)
    except SprintError as exc:
        raise _refusal(row.sprint, exc) from None
    added = [n for n in changed.stories if n not in row.sprint.stories]
    for number in added:
        story = stories[number]
        if story.status is StoryStatus.SELECTED:
            holder = await _open_sprint_holding(ctx, number, row.number)
            if holder is not None:
                raise CommandRefused("sprint.error.in_other_sprint", story=number, number=holder)
            continue  # « retenue » already, in no other chantier: nothing to change
        await story_store.save_story(ctx.db, story_rules.select(story))
    await store.save_stories(ctx.db, changed)
    await ctx.reply(
        "sprint.added", n=len(added), number=row.number, stories=_tags(added), first=added[0]
    )
    if _is_started(row, _today(ctx)) and not row.announced:
        refreshed = await store.get_sprint(ctx.db, ctx.circle_id, row.number)
        assert refreshed is not None
        await announce(ctx, refreshed)


async def _open_sprint_holding(ctx: CommandContext, story: int, other_than: int) -> int | None:
    for number in await store.sprints_with_story(ctx.db, ctx.circle_id, story):
        row = await store.get_sprint(ctx.db, ctx.circle_id, number)
        if number != other_than and row is not None and row.sprint.status != "closed":
            return number
    return None


async def remove_command(ctx: CommandContext, args: str) -> None:
    numbers = parse_story_numbers(args)
    row = await _target(ctx)
    try:
        changed = remove_stories(row.sprint, numbers)
    except SprintError as exc:
        raise _refusal(row.sprint, exc) from None
    removed = [n for n in row.sprint.stories if n not in changed.stories]
    stories = await _stories(ctx)
    for number in removed:
        story = stories.get(number)
        if story is not None and story.status is StoryStatus.SELECTED:
            await story_store.save_story(ctx.db, story_rules.unselect(story))
    await store.save_stories(ctx.db, changed)
    await ctx.reply("sprint.removed", n=len(removed), number=row.number, stories=_tags(removed))


# ---- !chantier, !chantier 2, !chantier liste ----
def _porteur_text(ctx: CommandContext, story: Story) -> Text:
    if story.porteur:
        return ctx.t("sprint.porteur", name=ctx.display_name(story.porteur))
    return ctx.t("sprint.porteur_wanted")


async def status_text_of(ctx: CommandContext, row: SprintRow, after: Sequence[Text] = ()) -> Text:
    """A chantier not closed: dates, days left or first day, stories and porteurs (as many
    as fit a phone screen with what comes ``after`` in the same message)."""
    sprint, today = row.sprint, _today(ctx)
    if _is_started(row, today):
        left = sprint.days_left(today)
        when = ctx.t("sprint.status.days_left", n=left) if left else ctx.t("sprint.status.last_day")
    else:
        when = ctx.t("sprint.status.starts", start=_day(ctx, sprint.starts_on))
    parts = [
        ctx.t(
            "sprint.status.header",
            number=sprint.number,
            name=sprint.name,
            start=_day(ctx, sprint.starts_on),
            end=_day(ctx, sprint.ends_on),
            when=when,
        )
    ]
    stories = await _stories(ctx)
    mine = [stories[n] for n in sprint.stories if n in stories]
    if not mine:
        parts.append(ctx.t("sprint.status.no_stories"))
        return Text.join(parts)
    lines = [
        ctx.t(
            "sprint.status.story_line",
            number=s.number,
            text=_title(s, ctx.lang),
            status=status_text(ctx, s),
            porteur=_porteur_text(ctx, s),
        )
        for s in mine
    ]
    counted = [s for s in mine if s.status is not StoryStatus.WITHDRAWN]
    done = sum(1 for s in counted if s.status is StoryStatus.DONE)
    progress = ctx.t("sprint.status.progress", n=done, total=len(counted))
    parts.append(_folded(ctx, lines, [s.number for s in mine], [*parts, progress, *after]))
    parts.append(progress)
    return Text.join(parts)


def _folded(ctx: CommandContext, lines: list[Text], numbers: list[int], rest: list[Text]) -> Text:
    """``lines`` (one per story of ``numbers``) as many as fit a phone screen beside ``rest``,
    the others named by number (« … et #9 #12 »)."""

    def more(k: int) -> Text:
        return ctx.t("sprint.summary.more", stories=_tags(numbers[-k:]))

    room = PHONE_SCREEN - length(rest) - len(PARAGRAPH)
    return Text.join(fit_lines(lines, more, room), "\n")


async def show_command(ctx: CommandContext, args: str) -> None:
    """``!chantier`` (the current one) or ``!chantier 2`` (that one)."""
    words = args.split()
    if words:
        number = parse_number(words[0])
        if number is None or len(words) > 1:
            raise UsageError()
        row = await store.get_sprint(ctx.db, ctx.circle_id, number)
        if row is None:
            raise CommandRefused("sprint.error.unknown", number=number)
        if row.sprint.status == "closed":
            await ctx.reply_text(await sprint_summary_text(ctx, number))
        else:
            await ctx.reply_text(await status_text_of(ctx, row))
        return
    rows = await store.all_sprints(ctx.db, ctx.circle_id)
    today = _today(ctx)
    current = current_row(rows, today)
    planned = _next_planned(rows, today)
    if current is None and planned is None:
        closed = [r.number for r in rows]
        if closed:
            await ctx.reply("sprint.none_since", number=max(closed))
        else:
            await ctx.reply("sprint.none")
        return
    shown = current or planned
    assert shown is not None
    after = []
    if current is not None and planned is not None:
        after.append(
            ctx.t(
                "sprint.status.next",
                number=planned.number,
                name=planned.sprint.name,
                start=_day(ctx, planned.sprint.starts_on),
            )
        )
    parts = [await status_text_of(ctx, shown, after), *after]
    await ctx.reply_text(Text.join(parts))


def _state(ctx: CommandContext, row: SprintRow) -> Text:
    status = row.sprint.status
    if status == "planned" and _is_started(row, _today(ctx)):
        status = "active"
    return ctx.t(f"sprint.state.{status}")


async def list_command(ctx: CommandContext, args: str) -> None:
    rows = await store.all_sprints(ctx.db, ctx.circle_id)
    if not rows:
        await ctx.reply("sprint.none")
        return
    stories = await _stories(ctx)
    lines = []
    for row in reversed(rows):
        counted = [
            n
            for n in row.sprint.stories
            if n in stories and stories[n].status is not StoryStatus.WITHDRAWN
        ]
        if row.summary is not None:
            done = len(row.summary.get("done", []))
            total = done + len(row.summary.get("not_done", []))
        else:
            done = sum(1 for n in counted if stories[n].status is StoryStatus.DONE)
            total = len(counted)
        lines.append(
            ctx.t(
                "sprint.list.line",
                number=row.number,
                name=row.sprint.name,
                start=_day(ctx, row.sprint.starts_on),
                end=_day(ctx, row.sprint.ends_on),
                state=_state(ctx, row),
                done=done,
                n=total,
            )
        )
    await ctx.reply_text(
        Text.join([ctx.t("sprint.list.header", n=len(rows)), Text.join(lines, "\n")])
    )


# ---- the start announcement and the nudge ----
async def announce(ctx: CommandContext, row: SprintRow) -> None:
    """« The chantier starts »: its stories; authors of stories without porteur are pinged."""
    sprint = row.sprint
    stories = await _stories(ctx)
    lines, numbers = [], []
    for number in sprint.stories:
        story = stories.get(number)
        if story is None or story.status is StoryStatus.WITHDRAWN:
            continue
        numbers.append(number)
        text = _title(story, ctx.lang)
        if story.porteur:
            lines.append(
                ctx.t(
                    "sprint.announce.carried",
                    number=number,
                    text=text,
                    porteur=ctx.display_name(story.porteur),
                )
            )
        else:
            author = Mention(story.author, ctx.display_name(story.author))
            lines.append(ctx.t("sprint.announce.wanted", number=number, text=text, author=author))
    header = ctx.t(
        "sprint.announce.header",
        number=sprint.number,
        name=sprint.name,
        start=_day(ctx, sprint.starts_on),
        end=_day(ctx, sprint.ends_on),
    )
    how = ctx.t("sprint.announce.how")
    message = Text.join([header, _folded(ctx, lines, numbers, [header, how]), how])
    await ctx.post_text(message, notify=True)
    await store.mark_announced(ctx.db, ctx.circle_id, sprint.number)
    await store.set_status(ctx.db, ctx.circle_id, sprint.number, "active")


async def nudge(ctx: CommandContext, row: SprintRow) -> bool:
    """« A few days left »: the unfinished stories, their porteurs pinged. False: nothing to say."""
    sprint = row.sprint
    stories = await _stories(ctx)
    unfinished = [
        stories[n]
        for n in sprint.stories
        if n in stories and stories[n].status in (StoryStatus.PROPOSED, StoryStatus.SELECTED)
    ]
    if not unfinished:
        return False
    lines = []
    for story in unfinished:
        porteur: Mention | Text = (
            Mention(story.porteur, ctx.display_name(story.porteur))
            if story.porteur
            else ctx.t("sprint.porteur_wanted")
        )
        lines.append(
            ctx.t(
                "sprint.nudge.line",
                number=story.number,
                text=_title(story, ctx.lang),
                porteur=porteur,
            )
        )
    left = sprint.days_left(_today(ctx))
    header = ctx.t(
        "sprint.nudge.header",
        n=left,
        number=sprint.number,
        name=sprint.name,
        end=_day(ctx, sprint.ends_on),
    )
    how = ctx.t("sprint.nudge.how")
    numbers = [story.number for story in unfinished]
    message = Text.join([header, _folded(ctx, lines, numbers, [header, how]), how])
    await ctx.post_text(message, notify=True)
    return True


# ---- the close: summary, then the retrospective ----
def _vote_facts(vote: VoteRow | None) -> dict[str, Any] | None:
    if vote is None or not vote.results:
        return None
    ranking = [int(n) for n in vote.results.get("ranking", [])]
    points = vote.results.get("points") or {}
    return {
        "number": vote.number,
        "kind": vote.kind,
        "points": {str(n): points.get(str(n)) for n in ranking},
        "ranks": {str(n): position for position, n in enumerate(ranking, start=1)},
    }


async def summary_facts(
    db: Database, lang: str, sprint: Sprint, stories: dict[int, Story]
) -> dict[str, Any]:
    """What a summary says, as JSON-ready facts (stored at the close, read by the export)."""
    views = {
        n: StoryView(n, _title(stories[n], lang), stories[n].status.value, stories[n].porteur)
        for n in sprint.stories
        if n in stories
    }
    vote = await vote_store.latest_closed_vote(db, sprint.circle_id)
    facts = _vote_facts(vote)
    points = {
        int(n): int(p) for n, p in (facts["points"] if facts else {}).items() if p is not None
    }
    summary = summarise_sprint(sprint, views, points)
    return {
        "number": sprint.number,
        "name": sprint.name,
        "starts_on": sprint.starts_on.isoformat(),
        "ends_on": sprint.ends_on.isoformat(),
        "stories": [
            {
                "number": v.number,
                "title": v.title,
                "status": v.status,
                "porteur": v.porteur,
                "author": stories[v.number].author,
            }
            for v in views.values()
        ],
        "done": [v.number for v in summary.done],
        "not_done": [v.number for v in summary.not_done],
        "withdrawn": [v.number for v in summary.withdrawn],
        "porteurs": summary.porteurs,
        "without_porteur": summary.without_porteur,
        "vote": facts,
        "proposal": [],
    }


def _next_proposal(vote: VoteRow | None, stories: dict[int, Story]) -> list[int]:
    if vote is None:
        return []
    free = {n for n, s in stories.items() if s.status is StoryStatus.PROPOSED}
    chosen = propose_next(ranked_stories(vote), set(stories) - free, PROPOSAL_SIZE)
    return [n for n in chosen if n in free]


def retro_purpose(circle_id: str, number: int) -> str:
    return f"{RETRO_PURPOSE}:{number}:{circle_id}"


async def close_sprint(ctx: CommandContext, row: SprintRow) -> None:
    """Close now: freeze and post the summary, then the retrospective questions.

    Unfinished stories go back to « proposée »: they can be voted on and taken again.
    """
    sprint = row.sprint
    stories = await _stories(ctx)
    facts = await summary_facts(ctx.db, ctx.lang, sprint, stories)
    for number in sprint.stories:
        story = stories.get(number)
        if story is not None and story.status is StoryStatus.SELECTED:
            stories[number] = story_rules.unselect(story)
            await story_store.save_story(ctx.db, stories[number])
    vote = await vote_store.latest_closed_vote(ctx.db, ctx.circle_id)
    facts["proposal"] = _next_proposal(vote, stories)
    await store.close_sprint(ctx.db, ctx.circle_id, sprint.number, ctx.now, facts)
    await ctx.post_text(
        summary_text(ctx, facts, None, closed=True),
        purpose=f"sprint-summary:{sprint.number}:{ctx.circle_id}",
    )
    await ctx.post_text(
        ctx.t("sprint.retro.questions", number=sprint.number, name=sprint.name),
        purpose=retro_purpose(ctx.circle_id, sprint.number),
    )
    _cancel_jobs(ctx.runtime, ctx.circle_id, sprint.number)


def _story_line(ctx: CommandContext, facts: dict[str, Any], story: dict[str, Any]) -> Text:
    porteur: str | Text = (
        ctx.display_name(story["porteur"])
        if story.get("porteur")
        else ctx.t("sprint.summary.nobody")
    )
    # Titles frozen before titles were short are shortened here.
    title = shorten(str(story["title"]), TITLE_CHARS)
    fields: dict[str, Any] = {"number": story["number"], "text": title, "porteur": porteur}
    vote = facts.get("vote")
    key = str(story["number"])
    if vote and vote["points"].get(key) is not None:
        votes = ctx.t("sprint.summary.vote_points", n=vote["points"][key], vote=vote["number"])
        return ctx.t("sprint.summary.story_line_voted", votes=votes, **fields)
    if vote and key in vote["ranks"]:
        votes = ctx.t("sprint.summary.vote_rank", rank=vote["ranks"][key], vote=vote["number"])
        return ctx.t("sprint.summary.story_line_voted", votes=votes, **fields)
    return ctx.t("sprint.summary.story_line", **fields)


def summary_text(
    ctx: CommandContext,
    facts: dict[str, Any],
    retro: list[RetroAnswer] | None,
    closed: bool,
) -> Text:
    """A chantier's summary from its facts (``summary_facts``), with its retrospective answers.

    It fits a phone screen: stories beyond the room left are named by number only, and
    retrospective answers are shortened, the rest pointed to in the retrospective's thread.
    """
    by_number = {s["number"]: s for s in facts["stories"]}
    done, not_done = facts["done"], facts["not_done"]
    header_fields = {
        "number": facts["number"],
        "name": facts["name"],
        "start": _short_day(ctx, date.fromisoformat(facts["starts_on"])),
        "end": _short_day(ctx, date.fromisoformat(facts["ends_on"])),
        "n": len(done),
        "total": len(done) + len(not_done),
    }
    header = "sprint.summary.header" if closed else "sprint.summary.live_header"
    head = [ctx.t(header, **header_fields)]
    if not done and not not_done:
        head.append(ctx.t("sprint.summary.no_stories"))
    tail: list[Text] = []
    if facts["withdrawn"]:
        tail.append(ctx.t("sprint.summary.withdrawn", stories=_tags(facts["withdrawn"])))
    # Thanks go to whoever carried a story to the end (everyone is named on the lines).
    porteurs: dict[str, list[int]] = facts["porteurs"]
    thanked = [user for user, numbers in porteurs.items() if set(numbers) & set(done)]
    if thanked or porteurs:
        names = [ctx.display_name(user) for user in thanked or porteurs]
        tail.append(ctx.t("sprint.summary.thanks", people=format_list(names, locale=ctx.lang)))
    if closed:
        proposal = facts.get("proposal") or []
        if proposal:
            tail.append(
                ctx.t(
                    "sprint.summary.next",
                    stories=_tags(proposal),
                    numbers=_plain_numbers(proposal),
                    vote=(facts.get("vote") or {}).get("number", ""),
                )
            )
        else:
            tail.append(ctx.t("sprint.summary.next_none"))
    sections = [
        (ctx.t("sprint.summary.done", n=len(done)), done),
        (
            ctx.t(
                "sprint.summary.not_done" if closed else "sprint.summary.in_progress",
                n=len(not_done),
            ),
            not_done,
        ),
    ]
    sections = [(title, numbers) for title, numbers in sections if numbers]
    in_thread = ctx.t("sprint.summary.retro_in_thread", n=len(retro)) if retro else None
    fixed = [*head, *(title for title, _ in sections), *tail, *([in_thread] if in_thread else [])]
    room = PHONE_SCREEN - length(fixed)  # each line then costs its length and a line break
    lines = {n: _story_line(ctx, facts, by_number[n]) for n in [*done, *not_done]}
    fits = sum(len(line.plain) + 1 for line in lines.values()) <= room
    story_parts, spare = [], 0
    for title, numbers in sections:

        def more(k: int, numbers: list[int] = numbers) -> Text:
            return ctx.t("sprint.summary.more", stories=_tags(numbers[-k:]))

        # Each list gets its share of the room, and what the lists before it left.
        share = room if fits else room * len(numbers) // len(lines) + spare
        shown = fit_lines([lines[n] for n in numbers], more, share)
        spare = share - sum(len(line.plain) + 1 for line in shown)
        story_parts.append(Text.join([title, *shown], "\n"))
    parts = [*head, *story_parts, *tail]
    if retro:
        # What room the stories leave: the whole answers are in the retrospective's thread.
        retro_header = ctx.t("sprint.summary.retro_header", n=len(retro))
        answers = [
            ctx.t(
                "sprint.summary.retro_line",
                author=ctx.display_name(a.author),
                text=shorten(a.text, RETRO_LINE_CHARS),
            )
            for a in retro
        ]
        room = PHONE_SCREEN - length(parts) - len(PARAGRAPH) - len(retro_header.plain)

        def more_answers(k: int) -> Text:
            return ctx.t("sprint.summary.retro_more", n=k)

        shown = fit_lines(answers, more_answers, room, keep=0)
        if shown[0] is not answers[0] and in_thread is not None:  # none fits: where they are
            parts.append(in_thread)
        else:
            parts.append(Text.join([retro_header, *shown], "\n"))
    return Text.join(parts)


async def close_command(ctx: CommandContext, args: str) -> None:
    rows = await _open_rows(ctx)
    today = _today(ctx)
    row = current_row(rows, today)
    if row is None:
        planned = _next_planned(rows, today)
        if planned is not None:
            raise CommandRefused(
                "sprint.error.not_started",
                number=planned.number,
                start=_day(ctx, planned.sprint.starts_on),
            )
        raise CommandRefused("sprint.error.none")
    await close_sprint(ctx, row)


# ---- what other features call ----
async def sprint_summary_text(ctx: CommandContext, number: int | None = None) -> Text:
    """The summary of chantier ``number`` (``!bilan chantier 2``), retrospective included.

    ``None``: the current chantier, else the latest one. A chantier not closed yet gets
    its progress so far. Raises ``CommandRefused`` (``sprint.error.unknown`` or
    ``sprint.error.none``) for the router to answer.
    """
    rows = await store.all_sprints(ctx.db, ctx.circle_id)
    if number is None:
        row = current_row(rows, _today(ctx)) or (rows[-1] if rows else None)
        if row is None:
            raise CommandRefused("sprint.error.none")
    else:
        found = [r for r in rows if r.number == number]
        if not found:
            raise CommandRefused("sprint.error.unknown", number=number)
        row = found[0]
    if row.sprint.status == "closed" and row.summary is not None:
        retro = await store.retro_answers(ctx.db, ctx.circle_id, row.number)
        return summary_text(ctx, row.summary, retro, closed=True)
    if not _is_started(row, _today(ctx)):
        return await status_text_of(ctx, row)
    facts = await summary_facts(ctx.db, ctx.lang, row.sprint, await _stories(ctx))
    return summary_text(ctx, facts, None, closed=False)


async def sprint_summaries(
    db: Database, circle_id: str, include_open: bool = False, lang: str = "fr"
) -> list[dict[str, Any]]:
    """Every closed chantier of the circle (and the others with ``include_open``), oldest first.

    Keys: ``number``, ``name``, ``status`` (planned, active, closed), ``starts_on``/``ends_on``
    (date), ``closed_at`` (datetime or None), ``stories`` (list of {number, title, status,
    porteur, author}: as at the close, or as now for a chantier not closed), ``done``/
    ``not_done``/``withdrawn`` (story numbers), ``porteurs`` (user id -> story numbers),
    ``without_porteur``, ``vote`` (None or {number, kind, points: {"12": 5}, ranks:
    {"12": 1}}), ``proposal`` (story numbers for the next chantier; empty until the close),
    ``retro`` (list of {author: user id, text, answered_at: datetime}). ``lang`` only
    shapes the titles of chantiers not closed (closed ones keep the titles of their close).
    """
    summaries = []
    stories: dict[int, Story] | None = None
    for row in await store.all_sprints(db, circle_id):
        if row.sprint.status == "closed" and row.summary is not None:
            facts = row.summary
        elif include_open and row.sprint.status != "closed":
            if stories is None:
                stories = {s.number: s for s in await story_store.all_stories(db, circle_id)}
            facts = await summary_facts(db, lang, row.sprint, stories)
        else:
            continue
        retro = await store.retro_answers(db, circle_id, row.number)
        summaries.append(
            {
                **facts,
                "status": row.sprint.status,
                "starts_on": row.sprint.starts_on,
                "ends_on": row.sprint.ends_on,
                "closed_at": row.sprint.closed_at,
                "retro": [
                    {"author": a.author, "text": a.text, "answered_at": a.answered_at}
                    for a in retro
                ],
            }
        )
    return summaries


async def story_sprint_line(ctx: CommandContext, story: Story) -> Text | None:
    """« In mini-chantier #2 » for ``!histoire 12``: the open chantier holding it, else the last."""
    numbers = await store.sprints_with_story(ctx.db, ctx.circle_id, story.number)
    rows = [r for n in numbers if (r := await store.get_sprint(ctx.db, ctx.circle_id, n))]
    if not rows:
        return None
    row = next((r for r in rows if r.sprint.status != "closed"), rows[0])
    return ctx.t(
        "sprint.story_extra", number=row.number, name=row.sprint.name, state=_state(ctx, row)
    )


# ---- the retrospective thread ----
async def on_retro_edit(ctx: CommandContext) -> bool:
    """A retrospective answer corrected in Element: the summary shows the corrected text."""
    original, text = ctx.message.edits, ctx.message.body.strip()[:MAX_RETRO_ANSWER_CHARS]
    if original is None or not text:
        return False
    return await store.correct_retro_answer(ctx.db, original, ctx.sender, text)


async def on_retro_answer(ctx: CommandContext) -> bool:
    """A message in the retrospective's thread (or a reply to it): an answer, kept."""
    message = ctx.message
    root = message.thread_root or message.reply_to
    if root is None or ctx.in_direct_chat:
        return False
    purpose = await outbox.purpose_of_sent(ctx.db, root)
    if not purpose or not purpose.startswith(RETRO_PURPOSE + ":"):
        return False
    _, number_text, circle_id = purpose.split(":", 2)
    text = message.body.strip()
    if not text or circle_id != ctx.circle_id:
        return True
    answered_at = datetime.fromtimestamp(message.server_ts / 1000, UTC)
    stored = await store.add_retro_answer(
        ctx.db,
        message.event_id,
        circle_id,
        int(number_text),
        message.sender,
        text[:MAX_RETRO_ANSWER_CHARS],
        answered_at,
    )
    if stored:
        thanks = {
            "m.relates_to": {
                "rel_type": "m.annotation",
                "event_id": message.event_id,
                "key": ctx.prompts.text(ctx.lang, "sprint.retro.ack_reaction"),
            }
        }
        await outbox.enqueue(ctx.db, ctx.circle.room_id, "m.reaction", thanks)
    return True


# ---- jobs ----
async def start_due_sprint(runtime: Runtime, circle_id: str, number: int) -> None:
    """The first day has come: the chantier is under way; announce it if it has stories."""
    async with runtime.job(circle_id) as ctx:
        row = await store.get_sprint(ctx.db, circle_id, number)
        if row is None or row.sprint.status != "planned":
            return
        await store.set_status(ctx.db, circle_id, number, "active")
        if row.sprint.stories and not row.announced:
            await announce(ctx, row)


async def nudge_due_sprint(runtime: Runtime, circle_id: str, number: int) -> None:
    """A few days before the end: ping the porteurs of unfinished stories (not in a pause)."""
    async with runtime.job(circle_id) as ctx:
        row = await store.get_sprint(ctx.db, circle_id, number)
        if row is None or row.sprint.status == "closed" or row.nudged:
            return
        await store.mark_nudged(ctx.db, circle_id, number)
        if ctx.now >= close_time(row, ctx.circle.tz) - timedelta(minutes=1):
            return  # the bot was down past the end: the summary says it all
        if not await may_send(ctx.db, circle_id, "nudge", ctx.now, ctx.circle.settings.timezone):
            log.info("chantier %s of %s: nudge skipped, the circle is paused", number, circle_id)
            return
        await nudge(ctx, row)


async def close_due_sprint(runtime: Runtime, circle_id: str, number: int) -> None:
    """The last day's evening: close the chantier if it is still open (once)."""
    async with runtime.job(circle_id) as ctx:
        row = await store.get_sprint(ctx.db, circle_id, number)
        if row is not None and row.sprint.status != "closed":
            await close_sprint(ctx, row)


def sprint_command() -> Command:
    return Command(
        "chantier",
        "sprint",
        show_command,
        subcommands=(
            Subcommand("nouveau", "new", new_command, facilitator_only=True),
            Subcommand("ajouter", "add", add_command, facilitator_only=True),
            Subcommand("retirer", "remove", remove_command, facilitator_only=True),
            Subcommand("liste", "list", list_command),
            Subcommand("clore", "close", close_command, facilitator_only=True),
        ),
        shortcuts=(("chantiers", "liste"), ("sprints", "liste")),
    )


FEATURE = Feature(
    "sprints",
    commands=(sprint_command(),),
    chat=(Hooked(ChatOrder.RETROSPECTIVE, on_retro_answer),),
    edits=(Hooked(ChatOrder.RETROSPECTIVE, on_retro_edit),),
    on_start=(rebuild_sprint_jobs,),
    story_lines=(story_sprint_line,),
)
