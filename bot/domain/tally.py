"""Counting a prioritisation vote: dot points, impact ÷ cost, participation per structure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.domain.ballots import DotBallot, ScoreBallot

AnyBallot = TypeVar("AnyBallot", DotBallot, ScoreBallot)


@dataclass(frozen=True)
class RankedStory:
    """A story's place in a dot vote; equal points share a rank (1, 1, 3)."""

    story: int
    points: int
    voters: int
    rank: int


@dataclass(frozen=True)
class DotResult:
    """Every candidate ranked (0 points included); ``voters``: who voted, sorted, never what."""

    ranking: list[RankedStory]
    voters: tuple[str, ...]

    @property
    def voter_count(self) -> int:
        return len(self.voters)

    @property
    def points_given(self) -> int:
        return sum(entry.points for entry in self.ranking)


@dataclass(frozen=True)
class ScoredStory:
    """A story's means on the impact and cost scales; ``ratio`` and ``rank`` None if unscored."""

    story: int
    mean_impact: float | None
    mean_cost: float | None
    ratio: float | None
    scorers: int
    rank: int | None


@dataclass(frozen=True)
class ScoreResult:
    """Scored stories ranked, then unscored ones; ``voters``: who scored any story, sorted."""

    ranking: list[ScoredStory]
    voters: tuple[str, ...]

    @property
    def voter_count(self) -> int:
        return len(self.voters)


@dataclass(frozen=True)
class StructureParticipation:
    structure: str
    voted: int
    members: int


@dataclass(frozen=True)
class VoteResults:
    """What a closed vote keeps of its tally (stored, then read by summaries and exports).

    ``ranking``: every candidate, best first; ``points``: each story's dot points (empty for
    a score vote); ``voters``: how many voted; ``top``: the next chantier's proposal.
    """

    kind: str
    ranking: tuple[int, ...]
    points: Mapping[int, int]
    voters: int
    top: tuple[int, ...]

    @classmethod
    def from_tally(cls, kind: str, result: DotResult | ScoreResult, top: int = 3) -> VoteResults:
        points = (
            {entry.story: entry.points for entry in result.ranking}
            if isinstance(result, DotResult)
            else {}
        )
        return cls(
            kind=kind,
            ranking=tuple(entry.story for entry in result.ranking),
            points=points,
            voters=len(result.voters),
            top=tuple(top_stories(result, top)),
        )

    def rank_of(self, story: int) -> int:
        """The story's place in the ranking (1 for the first), 0 if it was not a candidate."""
        return self.ranking.index(story) + 1 if story in self.ranking else 0

    def points_of(self, story: int) -> int | None:
        """The story's dot points; None in a score vote or for a story that was not ranked."""
        return self.points.get(story)


def latest_ballots(ballots: Iterable[AnyBallot]) -> list[AnyBallot]:
    """Each voter's latest dot ballot, or latest score per (voter, story), in the order cast.

    Later means a later ``cast_at``, then a greater ``event_id`` for ballots cast together.
    """
    latest: dict[Hashable, AnyBallot] = {}
    for ballot in ballots:
        key = _replacement_key(ballot)
        kept = latest.get(key)
        if kept is None or (ballot.cast_at, ballot.event_id) > (kept.cast_at, kept.event_id):
            latest[key] = ballot
    return sorted(latest.values(), key=lambda ballot: (ballot.cast_at, ballot.event_id))


def tally_dot_votes(ballots: Iterable[DotBallot], candidates: Sequence[int]) -> DotResult:
    """Points per candidate from each voter's latest ballot, best first; other stories ignored."""
    stories = list(dict.fromkeys(candidates))
    points = dict.fromkeys(stories, 0)
    voters_per_story = dict.fromkeys(stories, 0)
    voters: set[str] = set()
    for ballot in latest_ballots(ballots):
        if ballot.points_given == 0:
            continue  # every poll answer withdrawn: not a voter any more
        voters.add(ballot.voter)
        for story, given in ballot.points.items():
            if story in points and given > 0:
                points[story] += given
                voters_per_story[story] += 1
    ordered = sorted(stories, key=lambda story: (-points[story], story))
    ranks = _competition_ranks([points[story] for story in ordered])
    ranking = [
        RankedStory(story, points[story], voters_per_story[story], rank)
        for story, rank in zip(ordered, ranks, strict=True)
    ]
    return DotResult(ranking=ranking, voters=tuple(sorted(voters)))


def tally_scores(ballots: Iterable[ScoreBallot], candidates: Sequence[int]) -> ScoreResult:
    """Mean impact and cost per story, ranked by impact ÷ cost, then impact, then number.

    Stories nobody scored come last, unranked.
    """
    stories = list(dict.fromkeys(candidates))
    impact_sum: dict[int, int] = defaultdict(int)
    cost_sum: dict[int, int] = defaultdict(int)
    scorers: dict[int, int] = defaultdict(int)
    voters: set[str] = set()
    wanted = set(stories)
    for ballot in latest_ballots(ballots):
        if ballot.story not in wanted:
            continue
        voters.add(ballot.voter)
        impact_sum[ballot.story] += ballot.impact
        cost_sum[ballot.story] += ballot.cost
        scorers[ballot.story] += 1

    scored = [story for story in stories if scorers[story]]
    # Integer division is correctly rounded: equal ratios give equal floats, so ties hold.
    keys = {
        story: (impact_sum[story] / cost_sum[story], impact_sum[story] / scorers[story])
        for story in scored
    }
    scored.sort(key=lambda story: (-keys[story][0], -keys[story][1], story))
    ranks = _competition_ranks([keys[story] for story in scored])
    ranking = [
        ScoredStory(
            story=story,
            mean_impact=impact_sum[story] / scorers[story],
            mean_cost=cost_sum[story] / scorers[story],
            ratio=impact_sum[story] / cost_sum[story],
            scorers=scorers[story],
            rank=rank,
        )
        for story, rank in zip(scored, ranks, strict=True)
    ]
    ranking += [
        ScoredStory(story, None, None, None, scorers=0, rank=None)
        for story in sorted(set(stories) - set(scored))
    ]
    return ScoreResult(ranking=ranking, voters=tuple(sorted(voters)))


def participation_by_structure(
    voters: Iterable[str], members_by_structure: Mapping[str, Iterable[str]]
) -> list[StructureParticipation]:
    """How many members of each structure voted, in the mapping's order."""
    voted = set(voters)
    participation = []
    for structure, members in members_by_structure.items():
        unique = set(members)
        participation.append(StructureParticipation(structure, len(unique & voted), len(unique)))
    return participation


def structures_absent(
    voters: Iterable[str], members_by_structure: Mapping[str, Iterable[str]]
) -> list[str]:
    """Structures that have members, none of whom voted (to name them in reminders)."""
    return [
        entry.structure
        for entry in participation_by_structure(voters, members_by_structure)
        if entry.members and not entry.voted
    ]


def top_stories(result: DotResult | ScoreResult, n: int) -> list[int]:
    """The ``n`` best-ranked stories that got points or scores: the next chantier's proposal."""
    if isinstance(result, DotResult):
        chosen = [entry.story for entry in result.ranking if entry.points > 0]
    else:
        chosen = [entry.story for entry in result.ranking if entry.rank is not None]
    return chosen[: max(n, 0)]


def _replacement_key(ballot: DotBallot | ScoreBallot) -> Hashable:
    if isinstance(ballot, ScoreBallot):
        return ("score", ballot.voter, ballot.story)
    return ("dots", ballot.voter)


def _competition_ranks(keys: Sequence[object]) -> list[int]:
    """Ranks of already sorted keys, equal keys sharing the first rank: 1, 1, 3."""
    ranks: list[int] = []
    for position, key in enumerate(keys):
        ranks.append(ranks[-1] if position and key == keys[position - 1] else position + 1)
    return ranks
