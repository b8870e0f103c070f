"""What a chantier's summary says: its facts (frozen at the close) and the typed summaries
the recap and the memory export read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.sprints import Sprint, SprintStatus, StoryView, free_proposal, summarise_sprint
from bot.domain.stories import Story
from bot.features.sprints.wording import title
from bot.store import sprints as store
from bot.store import stories as story_store
from bot.store import votes as vote_store
from bot.store.database import Database
from bot.store.sprints import FrozenStory, RetroAnswer, SummaryFacts, VoteFacts
from bot.store.votes import VoteRow

PROPOSAL_SIZE = 3


@dataclass(frozen=True)
class SprintSummary:
    """A chantier as the recap and the export read it: its summary facts (as at the close,
    or as now for a chantier not closed), its status and dates, its retrospective answers."""

    facts: SummaryFacts
    status: SprintStatus
    starts_on: date
    ends_on: date
    closed_at: datetime | None
    retro: list[RetroAnswer]

    @property
    def number(self) -> int:
        return self.facts.number

    @property
    def name(self) -> str:
        return self.facts.name

    @property
    def stories(self) -> list[FrozenStory]:
        return self.facts.stories


def ranked_stories(vote: VoteRow) -> list[int]:
    """The stories a closed vote ranked, best first (its top, then the others that scored)."""
    results = vote.results
    if results is None:
        return []
    top = list(results.top)
    rest = [
        n
        for n in results.ranking
        if n not in top and (results.kind != "dots" or (results.points_of(n) or 0) > 0)
    ]
    return top + rest


def next_proposal(vote: VoteRow | None, stories: dict[int, Story]) -> list[int]:
    """The best-ranked stories of ``vote`` still free to take (empty without a vote)."""
    if vote is None:
        return []
    statuses = {n: s.status.value for n, s in stories.items()}
    return free_proposal(ranked_stories(vote), statuses, PROPOSAL_SIZE)


def _vote_facts(vote: VoteRow | None) -> VoteFacts | None:
    if vote is None or not vote.results:
        return None
    results = vote.results
    return VoteFacts(
        number=vote.number,
        kind=vote.kind,
        points={n: results.points_of(n) for n in results.ranking},
        ranks={n: results.rank_of(n) for n in results.ranking},
    )


async def summary_facts(
    db: Database, lang: str, sprint: Sprint, stories: dict[int, Story]
) -> SummaryFacts:
    """What a summary says (stored at the close, read by the export)."""
    views = {
        n: StoryView(n, title(stories[n], lang), stories[n].status.value, stories[n].porteur)
        for n in sprint.stories
        if n in stories
    }
    vote = _vote_facts(await vote_store.latest_closed_vote(db, sprint.circle_id))
    points = {n: int(p) for n, p in (vote.points if vote else {}).items() if p is not None}
    outcome = summarise_sprint(sprint, views, points)
    return SummaryFacts(
        number=sprint.number,
        name=sprint.name,
        starts_on=sprint.starts_on,
        ends_on=sprint.ends_on,
        stories=[
            FrozenStory(v.number, v.title, v.status, v.porteur, stories[v.number].author)
            for v in views.values()
        ],
        done=[v.number for v in outcome.done],
        not_done=[v.number for v in outcome.not_done],
        withdrawn=[v.number for v in outcome.withdrawn],
        porteurs=outcome.porteurs,
        without_porteur=outcome.without_porteur,
        vote=vote,
    )


async def sprint_summaries(
    db: Database, circle_id: str, include_open: bool = False, lang: str = "fr"
) -> list[SprintSummary]:
    """Every closed chantier of the circle (and the others with ``include_open``), oldest first.

    A chantier not closed gets its stories as now and no proposal; ``lang`` only shapes
    its titles (closed ones keep the titles of their close).
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
        sprint = row.sprint
        retro = await store.retro_answers(db, circle_id, row.number)
        summaries.append(
            SprintSummary(
                facts, sprint.status, sprint.starts_on, sprint.ends_on, sprint.closed_at, retro
            )
        )
    return summaries
