"""Element polls of a dot vote: one single-choice poll per point, their answers as ballots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.commands.context import CommandContext
from bot.domain.ballots import DotBallot, points_from_point_polls
from bot.features.votes.status import refresh_status
from bot.features.votes.wording import ballot_example
from bot.matrix.incoming import IncomingPollResponse
from bot.matrix.messages import POLL_START
from bot.store import outbox
from bot.store import votes as store
from bot.store.purposes import Purpose, PurposeKind
from bot.store.votes import VoteRow

MAX_POLL_ANSWERS = 20
# Element shows polls as single choice, so N points are offered as N polls, one per point;
# beyond this many points the polls would fill the screen: text and DM ballots only.
MAX_POINT_POLLS = 5


def poll_purpose(vote: VoteRow, point: int = 0) -> str:
    """``vote-poll:N:circle`` (one poll of several choices, before December 2026) or
    ``vote-poll-K:N:circle``: the poll of point K."""
    return Purpose(PurposeKind.VOTE_POLL, vote.number, vote.circle_id, point).text()


def parse_poll_purpose(purpose: str) -> tuple[int, int, str] | None:
    """(point, vote number, circle) of a poll purpose; point 0 for an old multi-choice poll."""
    parsed = Purpose.parse(purpose)
    if parsed is None or parsed.kind is not PurposeKind.VOTE_POLL:
        return None
    return parsed.point, parsed.number, parsed.circle_id


def offers_point_polls(vote: VoteRow) -> bool:
    return (
        vote.kind == "dots"
        and len(vote.candidates) <= MAX_POLL_ANSWERS
        and vote.points <= MAX_POINT_POLLS
    )


async def send_point_polls(ctx: CommandContext, vote: VoteRow, titles: dict[int, str]) -> None:
    """Queue one poll per point (if the vote offers them)."""
    if not offers_point_polls(vote):
        return
    for point in range(1, vote.points + 1):
        await ctx.post_event(
            POLL_START, point_poll(ctx, vote, titles, point), poll_purpose(vote, point)
        )


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


async def sent_polls(ctx: CommandContext, vote: VoteRow) -> list[str]:
    """Event ids of the vote's polls that were sent (point polls, or the old single poll)."""
    purposes = [poll_purpose(vote)] + [poll_purpose(vote, k) for k in range(1, vote.points + 1)]
    sent = [await outbox.sent_event_for(ctx.db, purpose) for purpose in purposes]
    return [event_id for event_id in sent if event_id is not None]


async def on_poll_response(ctx: CommandContext, response: IncomingPollResponse) -> bool:
    """An answer to one of the vote's polls replaces the person's dot ballot."""
    parsed = parse_poll_purpose(await outbox.purpose_of_sent(ctx.db, response.poll_event_id) or "")
    if parsed is None:
        return False
    point, number, circle_id = parsed
    vote = await store.get_vote(ctx.db, circle_id, number)
    if vote is None or not vote.is_open or response.server_ts / 1000 > vote.closes_at.timestamp():
        return True  # responses after the end are ignored
    cast_at = datetime.fromtimestamp(response.server_ts / 1000).astimezone()
    if point:
        points = await _points_from_point_polls(ctx, vote, response, point, cast_at)
        if points is None:
            return True  # an older answer arriving late, or the same one again
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


async def _points_from_point_polls(
    ctx: CommandContext,
    vote: VoteRow,
    response: IncomingPollResponse,
    point: int,
    cast_at: datetime,
) -> dict[int, int] | None:
    """Keep the answer to the poll of ``point``, then the person's points from all their
    answers; None if this answer is not newer than the one kept."""
    story = next(iter(_chosen_story(response.answer_ids[:1], vote)), None)
    kept = await store.record_point_answer(
        ctx.db, vote.circle_id, vote.number, response.sender, point, story, response.event_id,
        cast_at,
    )  # fmt: skip
    if not kept:
        return None
    answers = await store.point_answers(ctx.db, vote.circle_id, vote.number, response.sender)
    return points_from_point_polls(answers, set(vote.candidates))


def _chosen_story(answer_ids: tuple[str, ...], vote: VoteRow) -> dict[int, int]:
    chosen: dict[int, int] = {}
    for answer in answer_ids:
        if answer.startswith("s") and answer[1:].isdigit() and int(answer[1:]) in vote.candidates:
            chosen[int(answer[1:])] = 1
    return chosen
