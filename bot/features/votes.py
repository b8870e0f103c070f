"""Prioritisation votes: ``!vote`` — dot voting or impact/cost scores, Element polls, DM ballots.

Results stay hidden until the close; the status message is edited in place as
ballots arrive. Closing (by command or at the deadline) tallies, posts the
ranking, ends the Element poll and then uploads the picture.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.commands.context import CommandContext
from bot.commands.registry import Command, CommandRefused, Subcommand, UsageError
from bot.domain.ballots import (
    SCORE_MAX,
    SCORE_MIN,
    BallotError,
    BallotSource,
    DotBallot,
    ScoreBallot,
    is_score_ballot,
    parse_dot_ballot,
    parse_score_ballot,
    points_from_point_polls,
)
from bot.domain.dates import format_datetime
from bot.domain.folding import fold
from bot.domain.paging import PHONE_SCREEN
from bot.domain.stories import Story, StoryStatus
from bot.domain.structures import by_declared_structure
from bot.domain.tally import (
    DotResult,
    ScoreResult,
    latest_ballots,
    participation_by_structure,
    structures_absent,
    tally_dot_votes,
    tally_scores,
    top_stories,
)
from bot.domain.vote_options import (
    DEADLINE_WORDS,
    POINTS_WORDS,
    VoteOptionError,
    parse_vote_options,
)
from bot.features.feature import Feature
from bot.features.fitting import PARAGRAPH, fit_lines, length
from bot.features.story_text import story_title
from bot.matrix.incoming import IncomingPollResponse
from bot.matrix.messages import REDACTION, Markdown, Text, escape_markdown
from bot.store import outbox
from bot.store import stories as story_store
from bot.store import votes as store
from bot.store.votes import VoteRow

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime

log = logging.getLogger(__name__)

POLL_START = "org.matrix.msc3381.poll.start"
TEXT_BLOCK = "org.matrix.msc1767.text"
MAX_POLL_ANSWERS = 20
# Element shows polls as single choice, so N points are offered as N polls, one per point;
# beyond this many points the polls would fill the screen: text and DM ballots only.
MAX_POINT_POLLS = 5
MAX_CANDIDATES = 100
# The status names who voted and how many of their points counted, while it fits a phone.
MAX_NAMED_VOTERS = 25


def status_purpose(vote: VoteRow) -> str:
    return f"vote-status:{vote.number}:{vote.circle_id}"


def poll_purpose(vote: VoteRow, point: int = 0) -> str:
    """``vote-poll:N:circle`` (one poll of several choices, before December 2026) or
    ``vote-poll-K:N:circle``: the poll of point K."""
    kind = f"vote-poll-{point}" if point else "vote-poll"
    return f"{kind}:{vote.number}:{vote.circle_id}"


def parse_poll_purpose(purpose: str) -> tuple[int, int, str] | None:
    """(point, vote number, circle) of a poll purpose; point 0 for an old multi-choice poll."""
    kind, _, rest = purpose.partition(":")
    number_text, _, circle_id = rest.partition(":")
    if not kind.startswith("vote-poll") or not number_text.isdigit() or not circle_id:
        return None
    point_text = kind.removeprefix("vote-poll").removeprefix("-")
    if point_text and not point_text.isdigit():
        return None
    return int(point_text or 0), int(number_text), circle_id


def offers_point_polls(vote: VoteRow) -> bool:
    return (
        vote.kind == "dots"
        and len(vote.candidates) <= MAX_POLL_ANSWERS
        and vote.points <= MAX_POINT_POLLS
    )


def when_text(ctx: CommandContext, at: datetime) -> str:
    glue = ctx.prompts.template(ctx.lang, "date.glue")
    return format_datetime(at.astimezone(ctx.circle.tz), ctx.lang, ctx.now, glue=glue)


async def _titles(ctx: CommandContext, numbers: list[int]) -> dict[int, str]:
    titles: dict[int, str] = {}
    for number in numbers:
        story = await story_store.get_story(ctx.db, ctx.circle_id, number)
        if story is not None:
            titles[number] = story_title(story)
    return titles


# ---- !vote (status or ballot) ----
async def vote_default(ctx: CommandContext, args: str) -> None:
    vote = await store.open_vote(ctx.db, ctx.circle_id)
    if not args.strip():
        if vote is None:
            await _no_open_vote(ctx)
            return
        await ctx.reply_text(await status_text(ctx, vote))
        return
    if vote is None:
        await _no_open_vote(ctx)
        return
    if ctx.message.server_ts and ctx.message.server_ts / 1000 > vote.closes_at.timestamp():
        raise CommandRefused("vote.error.closed", number=vote.number)
    source: BallotSource = "dm" if ctx.in_direct_chat else "text"
    cast_at = datetime.fromtimestamp(ctx.message.server_ts / 1000).astimezone()
    candidates = set(vote.candidates)
    try:
        if vote.kind == "scores" or is_score_ballot(args):
            if vote.kind != "scores":
                raise CommandRefused("vote.error.not_scores", number=vote.number)
            story, impact, cost = parse_score_ballot(args, candidates)
            await store.add_score_ballot(
                ctx.db,
                ctx.circle_id,
                vote.number,
                ScoreBallot(ctx.sender, story, impact, cost, cast_at, source, ctx.message.event_id),
            )
            ack = ctx.t("vote.ack.scores", story=story, impact=impact, cost=cost)
        else:
            points = parse_dot_ballot(args, vote.points, candidates)
            await store.add_dot_ballot(
                ctx.db,
                ctx.circle_id,
                vote.number,
                DotBallot(ctx.sender, points, cast_at, source, ctx.message.event_id),
            )
            ack = ctx.t("vote.ack.dots", given=_points_text(ctx, points), n=sum(points.values()))
    except BallotError as exc:
        raise UsageError(
            f"vote.error.{exc.code}",
            hint_key=f"vote.hint.{vote.kind}",
            **_ballot_fields(vote, exc.data),
        ) from None
    if ctx.in_direct_chat:
        ack = Text.join([ack, ctx.t("vote.ack.secret")])
    await ctx.reply_text(ack)
    await refresh_status(ctx, vote)


def _ballot_fields(vote: VoteRow, data: dict[str, object]) -> dict[str, object]:
    fields: dict[str, object] = {k: v for k, v in data.items() if isinstance(v, int | str)}
    fields.setdefault("allowed", vote.points)
    fields.setdefault("min", SCORE_MIN)
    fields.setdefault("max", SCORE_MAX)
    fields["candidates"] = " ".join(f"#{n}" for n in vote.candidates)
    fields["example"] = ballot_example(vote.candidates, vote.points)
    fields["first"] = vote.candidates[0]
    return fields


def _points_text(ctx: CommandContext, points: dict[int, int]) -> str:
    return ", ".join(
        ctx.prompts.text(ctx.lang, "vote.points_for", story=story, n=count)
        for story, count in sorted(points.items())
    )


async def _no_open_vote(ctx: CommandContext) -> None:
    last = await store.latest_closed_vote(ctx.db, ctx.circle_id)
    if last is None:
        await ctx.reply("vote.none")
    else:
        await ctx.reply("vote.none_since", number=last.number)


async def _structures(ctx: CommandContext) -> dict[str, list[str]]:
    return by_declared_structure(await ctx.runtime.members(ctx.circle_id))


async def points_counted(ctx: CommandContext, vote: VoteRow) -> dict[str, int]:
    """Each voter's points as they count now (latest ballot of each; empty ones left out)."""
    ballots = await store.dot_ballots(ctx.db, ctx.circle_id, vote.number)
    counted = {b.voter: b.points_given for b in latest_ballots(ballots)}
    return {voter: given for voter, given in counted.items() if given > 0}


async def status_text(ctx: CommandContext, vote: VoteRow) -> Text:
    if vote.kind == "dots":
        counted = await points_counted(ctx, vote)
        voters = set(counted)
    else:
        counted = {}
        voters = await store.voters(ctx.db, ctx.circle_id, vote.number)
    absent = structures_absent(voters, await _structures(ctx))
    parts = [
        ctx.t(
            "vote.status",
            number=vote.number,
            kind=ctx.t(f"vote.kind.{vote.kind}", points=vote.points, n=vote.points),
            n=len(voters),
            closes=when_text(ctx, vote.closes_at),
        ),
        ctx.t("vote.candidates", list=Markdown(" ".join(f"#{n}" for n in vote.candidates))),
    ]
    if counted and len(counted) <= MAX_NAMED_VOTERS:
        # What counted, so a pioneer who voted in the polls sees her points arrive.
        named = sorted((ctx.display_name(voter), given) for voter, given in counted.items())
        parts.append(
            ctx.t(
                "vote.points_counted",
                list=Text.join(
                    [
                        ctx.t("vote.voter_points", name=name, n=given, total=vote.points)
                        for name, given in named
                    ],
                    " · ",
                ),
            )
        )
    if absent:
        parts.append(ctx.t("vote.absent_structures", structures=", ".join(absent)))
    parts.append(ctx.t("vote.results_hidden"))
    return Text.join(parts)


async def refresh_status(ctx: CommandContext, vote: VoteRow) -> None:
    """Edit the vote's status message in place (if it has been sent already)."""
    original = await outbox.sent_event_for(ctx.db, status_purpose(vote))
    if original is None:
        return
    content = ctx.builder.build(await status_text(ctx, vote))
    # During a burst of ballots only the latest unsent edit is kept.
    await outbox.replace_pending(
        ctx.db,
        ctx.circle_id,
        "m.room.message",
        ctx.builder.edit(original, content),
        f"edit:{status_purpose(vote)}",
    )


# ---- !vote ouvrir ----
async def open_command(ctx: CommandContext, args: str) -> None:
    current = await store.open_vote(ctx.db, ctx.circle_id)
    if current is not None:
        raise CommandRefused("vote.error.already_open", number=current.number)
    now_local = ctx.now.astimezone(ctx.circle.tz)
    try:
        options = parse_vote_options(args, now_local, ctx.circle.settings.timezone, ctx.lang)
    except VoteOptionError as exc:
        fields: dict[str, Any] = {k: v for k, v in exc.data.items() if isinstance(v, int | str)}
        raise UsageError(f"vote.error.{exc.code}", **fields) from None
    stories = await story_store.all_stories(ctx.db, ctx.circle_id)
    by_number = {s.number: s for s in stories}
    if options.stories is None:
        candidates = [s.number for s in stories if s.status is StoryStatus.PROPOSED]
    else:
        unknown = [n for n in options.stories if n not in by_number or not by_number[n].is_open]
        if unknown:
            raise CommandRefused(
                "vote.error.bad_candidates", numbers=" ".join(f"#{n}" for n in unknown)
            )
        candidates = list(options.stories)
    if not candidates:
        raise CommandRefused("vote.error.no_candidates")
    if len(candidates) > MAX_CANDIDATES:
        raise CommandRefused("vote.error.too_many_candidates", limit=MAX_CANDIDATES)
    # The circle's own defaults apply to what the facilitator did not say.
    said = {w.strip("'’") for w in fold(args).replace("'", " ").split()}
    points = options.points if said & POINTS_WORDS else ctx.circle.settings.vote_points
    closes_at = options.closes_at
    if not said & DEADLINE_WORDS:
        closes_at = ctx.now + timedelta(days=ctx.circle.settings.vote_duration_days)
    number = await store.insert_vote(
        ctx.db,
        ctx.circle_id,
        options.kind,
        points,
        candidates,
        ctx.sender,
        ctx.now,
        closes_at,
    )
    vote = await store.get_vote(ctx.db, ctx.circle_id, number)
    assert vote is not None
    titles = {n: story_title(by_number[n]) for n in candidates}
    lines = [ctx.t("vote.candidate_line", number=n, text=titles[n]) for n in candidates]
    how = "vote.how.scores" if vote.kind == "scores" else "vote.how.dots"
    if offers_point_polls(vote):
        how = "vote.how.dots_polls"
    example = ballot_example(candidates, vote.points)
    head = ctx.t(
        "vote.opened",
        number=number,
        kind=ctx.t(f"vote.kind.{vote.kind}", points=points, n=points),
        closes=when_text(ctx, vote.closes_at),
    )
    how_text = ctx.t(how, n=points, example=example, first=candidates[0])
    room = PHONE_SCREEN - length([head, how_text]) - 2 * len(PARAGRAPH)
    shown = _fit_stories(ctx, lines, candidates, room, "vote.candidates_more")
    await ctx.post_text(Text.join([head, Text.join(shown, "\n"), how_text]))
    if offers_point_polls(vote):
        for point in range(1, vote.points + 1):
            await outbox.enqueue(
                ctx.db,
                ctx.circle_id,
                POLL_START,
                point_poll(ctx, vote, titles, point),
                poll_purpose(vote, point),
            )
    await ctx.post_text(await status_text(ctx, vote), purpose=status_purpose(vote))
    schedule_close(ctx.runtime, vote)


def ballot_example(candidates: list[int], points: int) -> str:
    """A text ballot with this vote's own numbers: « 1 2 1 » for #1 #2 and 3 points."""
    return " ".join(str(n) for n in (candidates * points)[:points])


def point_poll(
    ctx: CommandContext, vote: VoteRow, titles: dict[int, str], point: int
) -> dict[str, Any]:
    """The single-choice poll of one point: « Vote #1 · point 2 sur 3 : quelle histoire ? »."""
    if vote.points == 1:
        question = ctx.prompts.text(ctx.lang, "vote.poll.question", number=vote.number)
    else:
        question = ctx.prompts.text(
            ctx.lang, "vote.poll.point_question", number=vote.number, point=point, n=vote.points
        )
    fallback = ctx.prompts.text(
        ctx.lang,
        "vote.poll.fallback",
        number=vote.number,
        p=ctx.prefix,
        example=ballot_example(vote.candidates, vote.points),
    )
    answers = [(f"s{n}", f"#{n} {titles[n]}") for n in vote.candidates]
    return ctx.builder.poll_start(question, answers, fallback)


# ---- !vote clore and the deadline ----
async def close_command(ctx: CommandContext, args: str) -> None:
    vote = await store.open_vote(ctx.db, ctx.circle_id)
    if vote is None:
        await _no_open_vote(ctx)
        return
    await close_vote(ctx, vote)


async def close_vote(ctx: CommandContext, vote: VoteRow) -> None:
    """Tally, store the results, post them, end the poll; the picture follows after commit."""
    members = await _structures(ctx)
    titles = await _titles(ctx, vote.candidates)
    result: DotResult | ScoreResult
    unpointed: list[int] = []
    if vote.kind == "scores":
        result = tally_scores(
            await store.score_ballots(ctx.db, ctx.circle_id, vote.number), vote.candidates
        )
        tied = _tied_ranks([s.rank for s in result.ranking if s.rank is not None])
        lines = [
            ctx.t(
                "vote.result.score_line" if s.ratio is not None else "vote.result.unscored_line",
                rank=_rank(ctx, s.rank or 0),
                tie=_tie(ctx, s.rank or 0, tied),
                number=s.story,
                text=titles.get(s.story, ""),
                impact=_decimal(ctx, s.mean_impact),
                cost=_decimal(ctx, s.mean_cost),
                ratio=_decimal(ctx, s.ratio),
                n=s.scorers,
            )
            for s in result.ranking
        ]
    else:
        result = tally_dot_votes(
            await store.dot_ballots(ctx.db, ctx.circle_id, vote.number), vote.candidates
        )
        pointed = [s for s in result.ranking if s.points > 0]
        tied = _tied_ranks([s.rank for s in pointed])
        lines = [
            ctx.t(
                "vote.result.dot_line",
                rank=_rank(ctx, s.rank),
                tie=_tie(ctx, s.rank, tied),
                number=s.story,
                text=titles.get(s.story, ""),
                n=s.points,
            )
            for s in pointed
        ]
        unpointed = [s.story for s in result.ranking if s.points == 0]
    voters = result.voters
    participation = participation_by_structure(voters, members)
    top = top_stories(result, 3)
    results = {
        "kind": vote.kind,
        "ranking": [r.story for r in result.ranking],
        "points": {str(r.story): getattr(r, "points", None) for r in result.ranking},
        "voters": len(voters),
        "top": top,
    }
    await store.close_vote(ctx.db, ctx.circle_id, vote.number, ctx.now, results)
    header = ctx.t(
        "vote.result.header",
        number=vote.number,
        kind=ctx.t(f"vote.kind.{vote.kind}", points=vote.points, n=vote.points),
        n=len(voters),
    )
    parts: list[Text] = []
    if participation:
        parts.append(
            ctx.t(
                "vote.result.participation",
                lines=Text.join(
                    [
                        ctx.t(
                            "vote.result.structure_line",
                            structure=p.structure,
                            voted=p.voted,
                            members=p.members,
                        )
                        for p in participation
                    ],
                    "\n",
                ),
            )
        )
    polls = await _sent_polls(ctx, vote)
    if polls:
        parts.append(ctx.t("vote.result.polls_removed"))
    if top:
        parts.append(
            ctx.t(
                "vote.result.proposal",
                stories=Markdown(" ".join(f"#{n}" for n in top)),
                numbers=Markdown(" ".join(str(n) for n in top)),
            )
        )
    if voters:
        # The whole ranking is in the picture and in `!histoire N`: the message keeps
        # what fits one phone screen; stories nobody gave a point to are named by number.
        tail = [_tags_line(ctx, "vote.result.no_points", unpointed)] if unpointed else []
        ranked = [entry.story for entry in result.ranking if entry.story not in unpointed]
        room = PHONE_SCREEN - length([header, *parts, *tail]) - 3 * len(PARAGRAPH)
        shown = _fit_stories(ctx, lines, ranked, room, "vote.result.more")
        ranking = Text.lines([*shown, *tail])
    else:
        ranking = ctx.t("vote.result.nobody")
    await ctx.post_text(
        Text.join([header, ranking, *parts]),
        purpose=f"vote-results:{vote.number}:{vote.circle_id}",
    )
    # An ended poll would show Element's own count of its answers (a trophy on its leader)
    # above a ranking that also counts text and private ballots: the polls are withdrawn.
    reason = ctx.prompts.text(ctx.lang, "vote.poll.withdrawn", number=vote.number)
    for poll_id in polls:
        await outbox.enqueue(
            ctx.db, ctx.circle_id, REDACTION, ctx.builder.redaction(poll_id, reason)
        )
    closed = await store.get_vote(ctx.db, ctx.circle_id, vote.number)
    if closed is not None:
        original = await outbox.sent_event_for(ctx.db, status_purpose(vote))
        if original is not None:
            content = ctx.builder.build(
                ctx.t("vote.status_closed", number=vote.number, n=len(voters))
            )
            await outbox.enqueue(
                ctx.db, ctx.circle_id, "m.room.message", ctx.builder.edit(original, content)
            )
    ctx.runtime.cancel(close_job_id(vote))
    runtime = ctx.runtime
    runtime.after_commit(lambda: send_picture(runtime, vote.circle_id, vote.number))


def _tags_line(ctx: CommandContext, key: str, numbers: list[int]) -> Text:
    return ctx.t(key, stories=Markdown(" ".join(f"#{n}" for n in numbers)))


def _fit_stories(
    ctx: CommandContext, lines: list[Text], numbers: list[int], room: int, more_key: str
) -> list[Text]:
    """The lines that fit in ``room``, then « … et #14 #15 » for the stories left out."""

    def more(k: int) -> Text:
        return _tags_line(ctx, more_key, numbers[-k:])

    return fit_lines(lines, more, room)


async def _sent_polls(ctx: CommandContext, vote: VoteRow) -> list[str]:
    """Event ids of the vote's polls that were sent (point polls, or the old single poll)."""
    purposes = [poll_purpose(vote)] + [poll_purpose(vote, k) for k in range(1, vote.points + 1)]
    sent = [await outbox.sent_event_for(ctx.db, purpose) for purpose in purposes]
    return [event_id for event_id in sent if event_id is not None]


def _tied_ranks(ranks: list[int]) -> set[int]:
    return {rank for rank in ranks if ranks.count(rank) > 1}


def _rank(ctx: CommandContext, rank: int) -> Text:
    """« 2. », escaped so that Element shows it as written: an HTML list would be
    renumbered 1, 2, 3 and hide a tie."""
    label = ctx.prompts.text(ctx.lang, "vote.result.rank", rank=rank)
    return Text(escape_markdown(label), label)


def _tie(ctx: CommandContext, rank: int, tied: set[int]) -> Text:
    """« (ex æquo) » after a story that shares its rank."""
    return ctx.t("vote.result.tie") if rank in tied else Text("", "")


def _decimal(ctx: CommandContext, value: float | None) -> str:
    if value is None:
        return "—"
    from babel.numbers import format_decimal

    return str(format_decimal(round(value, 2), locale=ctx.lang))


async def send_picture(runtime: Runtime, circle_id: str, number: int) -> None:
    """Draw and upload the results picture of a closed vote, then post it (once)."""
    ctx = runtime.context(circle_id)
    vote = await store.get_vote(ctx.db, circle_id, number)
    if vote is None or vote.picture_state != "pending":
        return
    titles = await _titles(ctx, vote.candidates)
    title = ctx.prompts.text(ctx.lang, "vote.picture.title", number=number)
    from bot.rendering.drawing_process import draw_dot_chart, draw_score_matrix

    if vote.kind == "scores":
        scores = tally_scores(await store.score_ballots(ctx.db, circle_id, number), vote.candidates)
        labels = {
            k: ctx.prompts.text(ctx.lang, f"vote.picture.{k}")
            for k in ("impact", "cost", "quick_wins")
        }
        png = await draw_score_matrix(scores, titles, title, labels)
    else:
        dots = tally_dot_votes(await store.dot_ballots(ctx.db, circle_id, number), vote.candidates)
        png = await draw_dot_chart(dots, titles, title)
    try:
        await runtime.post_image(circle_id, png, f"vote-{number}.png", title)
    except Exception:
        log.exception("could not post the picture of vote %s in %s", number, circle_id)
        return
    await store.set_picture_state(ctx.db, circle_id, number, "sent")


# ---- Element poll responses ----
async def on_poll_response(ctx: CommandContext, response: IncomingPollResponse) -> bool:
    purpose = await outbox.purpose_of_sent(ctx.db, response.poll_event_id)
    parsed = parse_poll_purpose(purpose or "")
    if parsed is None:
        return False
    point, number, circle_id = parsed
    vote = await store.get_vote(ctx.db, circle_id, number)
    if vote is None or not vote.is_open or response.server_ts / 1000 > vote.closes_at.timestamp():
        return True  # responses after the end are ignored
    cast_at = datetime.fromtimestamp(response.server_ts / 1000).astimezone()
    if point:
        chosen = _chosen_story(response.answer_ids[:1], vote)
        story = next(iter(chosen), None)
        kept = await store.record_point_answer(
            ctx.db, circle_id, number, response.sender, point, story, response.event_id, cast_at
        )
        if not kept:
            return True  # an older answer arriving late, or the same one again
        answers = await store.point_answers(ctx.db, circle_id, number, response.sender)
        points = points_from_point_polls(answers, set(vote.candidates))
    else:
        points = _chosen_story(response.answer_ids[: min(vote.points, len(vote.candidates))], vote)
    await store.add_dot_ballot(
        ctx.db,
        circle_id,
        vote.number,
        DotBallot(response.sender, points, cast_at, "poll", response.event_id),
    )
    await refresh_status(ctx, vote)
    return True


def _chosen_story(answer_ids: tuple[str, ...], vote: VoteRow) -> dict[int, int]:
    chosen: dict[int, int] = {}
    for answer in answer_ids:
        if answer.startswith("s") and answer[1:].isdigit() and int(answer[1:]) in vote.candidates:
            chosen[int(answer[1:])] = 1
    return chosen


def vote_command() -> Command:
    return Command(
        "vote",
        "vote",
        vote_default,
        subcommands=(
            Subcommand("ouvrir", "open", open_command, facilitator_only=True),
            Subcommand("clore", "close", close_command, facilitator_only=True),
        ),
        works_in_direct_chat=True,
    )


def close_job_id(vote: VoteRow) -> str:
    return f"vote-close:{vote.number}:{vote.circle_id}"


def schedule_close(runtime: Runtime, vote: VoteRow) -> None:
    runtime.schedule_at(
        close_job_id(vote), vote.closes_at, close_due_vote, vote.circle_id, vote.number
    )


async def close_due_vote(runtime: Runtime, circle_id: str, number: int) -> None:
    """The deadline job: close the vote if it is still open (once, even after a restart)."""
    async with runtime.job(circle_id) as ctx:
        vote = await store.get_vote(ctx.db, circle_id, number)
        if vote is not None and vote.is_open:
            await close_vote(ctx, vote)


async def rebuild_close_jobs(runtime: Runtime) -> None:
    """At start: the deadline of every open vote, from the database."""
    for vote in await store.all_open_votes(runtime.db):
        schedule_close(runtime, vote)


async def resend_pending_pictures(runtime: Runtime) -> None:
    """After a restart: pictures of closed votes that were not posted yet."""
    for vote in await store.pending_pictures(runtime.db):
        await send_picture(runtime, vote.circle_id, vote.number)


async def story_votes_line(ctx: CommandContext, story: Story) -> Text | None:
    """« Votes : vote #1 : 4 points (rang 1) » for ``!histoire 12``; open votes stay hidden."""
    lines: list[Text] = []
    for vote in await store.all_votes(ctx.db, ctx.circle_id):
        if vote.results is None or story.number not in vote.candidates:
            continue
        ranking = list(vote.results.get("ranking", []))
        rank = ranking.index(story.number) + 1 if story.number in ranking else 0
        points = vote.results.get("points", {}).get(str(story.number))
        if vote.kind == "dots" and points is not None:
            lines.append(ctx.t("vote.story_points", number=vote.number, n=int(points), rank=rank))
        else:
            lines.append(ctx.t("vote.story_rank", number=vote.number, rank=rank))
    if not lines:
        return None
    return ctx.t("vote.story_header", votes=Text.join(lines, " ; " if ctx.lang == "fr" else "; "))


FEATURE = Feature(
    "votes",
    commands=(vote_command(),),
    polls=(on_poll_response,),
    on_start=(rebuild_close_jobs,),
    on_first_sync=(resend_pending_pictures,),
    story_lines=(story_votes_line,),
)
