"""A vote's part of people's data: a ballot whose message is deleted before the close no
longer counts (the status says how many were withdrawn); a member's ballots in her file;
forgetting her: her ballots in open votes go, those of closed votes count under her alias
(a closed vote's results never change)."""

from __future__ import annotations

from typing import Any

from bot.commands.context import CommandContext
from bot.commands.runtime import PersonalData
from bot.domain.ballots import points_from_point_polls
from bot.domain.personal_data import Forgetting
from bot.features.votes.status import refresh_status
from bot.matrix.incoming import IncomingRedaction
from bot.store import personal_data as people
from bot.store import votes as store
from bot.store.database import Database


async def on_ballot_redacted(ctx: CommandContext, redaction: IncomingRedaction) -> None:
    """Withdraw the ballot the deleted message carried, if its vote is still open."""
    origin = await store.ballot_of_event(ctx.db, redaction.redacts)
    if origin is None or not _deleted_where_cast(ctx, origin, redaction):
        return
    vote = await store.get_vote(ctx.db, origin.circle_id, origin.vote_number)
    if vote is None or not vote.is_open or redaction.server_ts / 1000 > vote.closes_at.timestamp():
        return  # after the close the results stand: nothing changes
    await store.withdraw_ballot(ctx.db, redaction.redacts, origin, ctx.now)
    if origin.source == "poll":
        answers = await store.point_answers(ctx.db, vote.circle_id, vote.number, origin.voter)
        if answers:
            points = points_from_point_polls(answers, set(vote.candidates))
            await store.set_latest_poll_points(
                ctx.db, vote.circle_id, vote.number, origin.voter, points
            )
    await refresh_status(_in_circle(ctx, vote.circle_id), vote)


def _deleted_where_cast(
    ctx: CommandContext, origin: store.BallotOrigin, redaction: IncomingRedaction
) -> bool:
    """The redaction is in the room the ballot came in: the circle's, or for a secret
    ballot the voter's own direct chat (where only she and the bot write)."""
    if origin.source == "dm":
        return ctx.in_direct_chat and redaction.sender == origin.voter
    return redaction.room_id == origin.circle_id


def _in_circle(ctx: CommandContext, circle_id: str) -> CommandContext:
    return ctx if ctx.circle_id == circle_id else ctx.runtime.context(circle_id)


# ---- a member's data ----
async def export_ballots(db: Database, user_id: str) -> list[dict[str, Any]]:
    return [
        {
            "circle": row["circle_id"],
            "vote": row["vote_number"],
            "how": row["source"],
            "points": row["points_json"],
            "story": row["story"],
            "impact": row["impact"],
            "cost": row["cost"],
            "cast_at": row["cast_at"],
        }
        for row in await people.rows_of(db, "ballots", "voter", user_id)
    ]


async def forget_ballots(ctx: CommandContext, forgetting: Forgetting) -> None:
    user = forgetting.user_id
    open_votes = await store.open_vote_numbers_of(ctx.db, user)
    await store.delete_open_ballots_of(ctx.db, user)
    await people.give_to_alias(ctx.db, "ballots", "voter", user, forgetting.alias)
    await people.give_to_alias(ctx.db, "votes", "opened_by", user, forgetting.alias)
    for circle_id, number in open_votes:
        vote = await store.get_vote(ctx.db, circle_id, number)
        if vote is not None:
            await refresh_status(ctx.runtime.context(circle_id), vote)


VOTE_DATA = PersonalData("ballots", export_ballots, forget_ballots)
