"""``!vote clore`` and the deadline: tally, store, post the ranking, withdraw the polls.

The picture follows once the close has committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.commands.context import CommandContext
from bot.domain.paging import PHONE_SCREEN
from bot.domain.tally import (
    DotResult,
    ScoreResult,
    VoteResults,
    participation_by_structure,
    tally_dot_votes,
    tally_scores,
)
from bot.features.fitting import PARAGRAPH, length
from bot.features.votes.picture import send_picture
from bot.features.votes.polls import sent_polls
from bot.features.votes.ranking_lines import dot_lines, score_lines
from bot.features.votes.status import close_status, no_open_vote, structures
from bot.features.votes.wording import fit_stories, kind_text, tags, tags_line, titles
from bot.matrix.messages import Markdown, Text
from bot.store import votes as store
from bot.store.purposes import Purpose, PurposeKind
from bot.store.votes import VoteRow

if TYPE_CHECKING:
    from bot.commands.runtime import Runtime


@dataclass(frozen=True)
class _Tally:
    """A vote counted, with its ranking lines and the stories nobody gave a point to."""

    result: DotResult | ScoreResult
    lines: list[Text]
    unpointed: list[int]


async def close_command(ctx: CommandContext, args: str) -> None:
    vote = await store.open_vote(ctx.db, ctx.circle_id)
    if vote is None:
        await no_open_vote(ctx)
        return
    await close_vote(ctx, vote)


async def close_vote(ctx: CommandContext, vote: VoteRow) -> None:
    """Tally, store the results, post them, end the poll; the picture follows after commit."""
    tally = await _tally(ctx, vote)
    results = VoteResults.from_tally(vote.kind, tally.result)
    await store.close_vote(ctx.db, ctx.circle_id, vote.number, ctx.now, results)
    polls = await sent_polls(ctx, vote)
    purpose = Purpose(PurposeKind.VOTE_RESULTS, vote.number, vote.circle_id)
    text = await _results_text(ctx, vote, tally, results, withdrawn=bool(polls))
    await ctx.post_text(text, purpose=purpose.text())
    # An ended poll would show Element's own count of its answers (a trophy on its leader)
    # above a ranking that also counts text and private ballots: the polls are withdrawn.
    reason = ctx.prompts.text(ctx.lang, "vote.poll.withdrawn", number=vote.number)
    for poll_id in polls:
        await ctx.withdraw(poll_id, reason)
    await close_status(ctx, vote, results.voters)
    ctx.runtime.cancel(close_job_id(vote))
    runtime = ctx.runtime
    runtime.after_commit(lambda: send_picture(runtime, vote.circle_id, vote.number))


async def _tally(ctx: CommandContext, vote: VoteRow) -> _Tally:
    story_titles = await titles(ctx, vote.candidates)
    if vote.kind == "scores":
        scores = tally_scores(
            await store.score_ballots(ctx.db, ctx.circle_id, vote.number), vote.candidates
        )
        return _Tally(scores, score_lines(ctx, scores, story_titles), [])
    dots = tally_dot_votes(
        await store.dot_ballots(ctx.db, ctx.circle_id, vote.number), vote.candidates
    )
    unpointed = [s.story for s in dots.ranking if s.points == 0]
    return _Tally(dots, dot_lines(ctx, dots, story_titles), unpointed)


async def _results_text(
    ctx: CommandContext, vote: VoteRow, tally: _Tally, results: VoteResults, withdrawn: bool
) -> Text:
    """The header, the ranking (what fits a phone), participation, the polls' fate, the
    proposal."""
    header = ctx.t(
        "vote.result.header",
        number=vote.number,
        kind=kind_text(ctx, vote.kind, vote.points),
        n=results.voters,
    )
    parts: list[Text] = []
    participation = await _participation_text(ctx, tally.result.voters)
    if participation is not None:
        parts.append(participation)
    if withdrawn:
        parts.append(ctx.t("vote.result.polls_removed"))
    if results.top:
        top = list(results.top)
        numbers = Markdown(" ".join(str(n) for n in top))
        parts.append(ctx.t("vote.result.proposal", stories=tags(top), numbers=numbers))
    if not results.voters:
        return Text.join([header, ctx.t("vote.result.nobody"), *parts])
    # The whole ranking is in the picture and in `!histoire N`: the message keeps
    # what fits one phone screen; stories nobody gave a point to are named by number.
    unpointed = tally.unpointed
    tail = [tags_line(ctx, "vote.result.no_points", unpointed)] if unpointed else []
    ranked = [story for story in results.ranking if story not in unpointed]
    room = PHONE_SCREEN - length([header, *parts, *tail]) - 3 * len(PARAGRAPH)
    shown = fit_stories(ctx, tally.lines, ranked, room, "vote.result.more")
    return Text.join([header, Text.lines([*shown, *tail]), *parts])


async def _participation_text(ctx: CommandContext, voters: tuple[str, ...]) -> Text | None:
    """« Participation par structure » with one line per structure; None without structures."""
    participation = participation_by_structure(voters, await structures(ctx))
    if not participation:
        return None
    lines = [
        ctx.t("vote.result.structure_line", structure=p.structure, voted=p.voted, members=p.members)
        for p in participation
    ]
    return ctx.t("vote.result.participation", lines=Text.join(lines, "\n"))


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
    """At start: the deadlines still to come, from the database. A deadline passed while the
    bot was down waits for the first sync (``close_overdue``): the ballots sent before it,
    while the bot was down, are counted first."""
    now = runtime.now()
    for vote in await store.all_open_votes(runtime.db):
        if vote.closes_at > now:
            schedule_close(runtime, vote)


async def close_overdue(runtime: Runtime) -> None:
    """After the first sync: every open vote's deadline, the passed ones run now (once)."""
    for vote in await store.all_open_votes(runtime.db):
        schedule_close(runtime, vote)
