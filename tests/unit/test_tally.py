from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.ballots import DotBallot, ScoreBallot
from bot.domain.tally import (
    DotResult,
    RankedStory,
    StructureParticipation,
    latest_ballots,
    participation_by_structure,
    structures_absent,
    tally_dot_votes,
    tally_scores,
    top_stories,
)

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def dots(voter: str, points: dict[int, int], minute: int = 0, event: str = "") -> DotBallot:
    return DotBallot(
        voter, points, START + timedelta(minutes=minute), "text", event or f"${voter}{minute}"
    )


def score(
    voter: str, story: int, impact: int, cost: int, minute: int = 0, event: str = ""
) -> ScoreBallot:
    return ScoreBallot(
        voter,
        story,
        impact,
        cost,
        START + timedelta(minutes=minute),
        "text",
        event or f"${voter}{story}{minute}",
    )


# --- latest ballots --------------------------------------------------------------------------


def test_a_second_ballot_replaces_the_first() -> None:
    first, second = dots("@a", {3: 3}, minute=1), dots("@a", {7: 3}, minute=2)
    assert latest_ballots([second, first]) == [second]


def test_the_event_id_breaks_a_tie_between_ballots_cast_at_the_same_time() -> None:
    early, late = dots("@a", {3: 1}, event="$a"), dots("@a", {7: 1}, event="$b")
    assert latest_ballots([late, early]) == [late]
    assert latest_ballots([early, late]) == [late]


def test_a_new_score_replaces_only_that_story_score() -> None:
    old7, new7, only12 = score("@a", 7, 2, 2, 1), score("@a", 7, 5, 1, 3), score("@a", 12, 3, 3, 2)
    assert latest_ballots([old7, only12, new7]) == [only12, new7]


# --- dot votes -------------------------------------------------------------------------------


def test_dot_points_add_up_per_story_and_rank_best_first() -> None:
    result = tally_dot_votes(
        [dots("@a", {3: 2, 7: 1}), dots("@b", {7: 3}), dots("@c", {12: 1})], candidates=[3, 7, 12]
    )
    assert result.ranking == [
        RankedStory(story=7, points=4, voters=2, rank=1),
        RankedStory(story=3, points=2, voters=1, rank=2),
        RankedStory(story=12, points=1, voters=1, rank=3),
    ]
    assert result.voter_count == 3
    assert result.points_given == 7


def test_equal_points_share_a_rank_and_are_ordered_by_number() -> None:
    result = tally_dot_votes([dots("@a", {12: 2, 7: 2}), dots("@b", {3: 1})], candidates=[12, 7, 3])
    assert [(entry.story, entry.rank) for entry in result.ranking] == [(7, 1), (12, 1), (3, 3)]


def test_candidates_nobody_chose_are_listed_with_zero_points() -> None:
    result = tally_dot_votes([dots("@a", {3: 1})], candidates=[3, 7, 12])
    assert [(entry.story, entry.points, entry.rank) for entry in result.ranking] == [
        (3, 1, 1),
        (7, 0, 2),
        (12, 0, 2),
    ]


def test_only_the_latest_ballot_of_each_voter_counts() -> None:
    result = tally_dot_votes(
        [dots("@a", {3: 3}, minute=1), dots("@a", {7: 3}, minute=5)], candidates=[3, 7]
    )
    assert [(entry.story, entry.points) for entry in result.ranking] == [(7, 3), (3, 0)]
    assert result.voters == ("@a",)


def test_points_for_a_story_no_longer_a_candidate_are_ignored() -> None:
    result = tally_dot_votes([dots("@a", {3: 1, 99: 2})], candidates=[3])
    assert result.ranking == [RankedStory(story=3, points=1, voters=1, rank=1)]


def test_an_empty_dot_vote_tallies_fine() -> None:
    result = tally_dot_votes([], candidates=[3, 7])
    assert result.voter_count == 0
    assert [(entry.points, entry.rank) for entry in result.ranking] == [(0, 1), (0, 1)]
    assert top_stories(result, 3) == []


def test_a_vote_without_candidates_tallies_fine() -> None:
    assert tally_dot_votes([dots("@a", {3: 1})], candidates=[]).ranking == []


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["@a", "@b", "@c", "@d"]),
            st.dictionaries(st.integers(1, 6), st.integers(1, 3), max_size=3),
            st.integers(0, 30),
        ),
        max_size=30,
    )
)
def test_a_dot_rank_is_one_plus_the_stories_with_more_points(
    raw: list[tuple[str, dict[int, int], int]],
) -> None:
    ballots = [
        dots(voter, points, minute, f"$e{i}") for i, (voter, points, minute) in enumerate(raw)
    ]
    result = tally_dot_votes(ballots, candidates=[1, 2, 3, 4, 5, 6])
    points = [entry.points for entry in result.ranking]
    assert points == sorted(points, reverse=True)
    for entry in result.ranking:
        assert entry.rank == 1 + sum(other > entry.points for other in points)
    assert sum(points) == sum(ballot.points_given for ballot in latest_ballots(ballots))


# --- impact / cost scores --------------------------------------------------------------------


def test_scores_are_averaged_and_ranked_by_impact_over_cost() -> None:
    result = tally_scores(
        [score("@a", 7, 4, 2), score("@b", 7, 2, 2), score("@a", 12, 5, 1), score("@a", 3, 2, 4)],
        candidates=[3, 7, 12],
    )
    assert [entry.story for entry in result.ranking] == [12, 7, 3]
    seven = result.ranking[1]
    assert (seven.mean_impact, seven.mean_cost, seven.ratio, seven.scorers, seven.rank) == (
        3.0,
        2.0,
        1.5,
        2,
        2,
    )
    assert result.voters == ("@a", "@b")


def test_an_equal_ratio_is_broken_by_the_higher_impact() -> None:
    result = tally_scores([score("@a", 3, 2, 1), score("@a", 7, 4, 2)], candidates=[3, 7])
    assert [(entry.story, entry.rank) for entry in result.ranking] == [(7, 1), (3, 2)]


def test_equal_ratio_and_impact_share_a_rank_ordered_by_number() -> None:
    result = tally_scores([score("@a", 12, 4, 2), score("@b", 7, 4, 2)], candidates=[7, 12])
    assert [(entry.story, entry.rank) for entry in result.ranking] == [(7, 1), (12, 1)]


def test_equal_ratios_from_different_sums_tie() -> None:
    many = [score(f"@{name}", 7, 1, 3) for name in "abc"]  # 3/9
    result = tally_scores([*many, score("@d", 12, 1, 3)], candidates=[7, 12])  # 1/3
    assert [entry.rank for entry in result.ranking] == [1, 1]


def test_stories_nobody_scored_come_last_unranked() -> None:
    result = tally_scores([score("@a", 7, 1, 5)], candidates=[12, 7, 3])
    assert [(entry.story, entry.rank, entry.ratio) for entry in result.ranking] == [
        (7, 1, 0.2),
        (3, None, None),
        (12, None, None),
    ]
    assert top_stories(result, 5) == [7]


def test_only_the_latest_score_of_a_voter_for_a_story_counts() -> None:
    result = tally_scores(
        [score("@a", 7, 1, 5, minute=1), score("@a", 7, 5, 1, minute=2)], candidates=[7]
    )
    assert result.ranking[0].mean_impact == 5.0
    assert result.ranking[0].scorers == 1


def test_an_empty_score_vote_tallies_fine() -> None:
    result = tally_scores([], candidates=[3])
    assert result.voter_count == 0
    assert result.ranking[0].rank is None


# --- participation ---------------------------------------------------------------------------

MEMBERS = {
    "Les Amis du Vélo": ["@a", "@b"],
    "Coop Pain": ["@c"],
    "Asso Vide": [],
    "Tiers-Lieu": ["@d", "@e", "@d"],
}


def test_participation_counts_voters_and_members_per_structure() -> None:
    assert participation_by_structure(["@a", "@d", "@zz"], MEMBERS) == [
        StructureParticipation("Les Amis du Vélo", voted=1, members=2),
        StructureParticipation("Coop Pain", voted=0, members=1),
        StructureParticipation("Asso Vide", voted=0, members=0),
        StructureParticipation("Tiers-Lieu", voted=1, members=2),
    ]


def test_structures_absent_are_those_with_members_and_no_voter() -> None:
    assert structures_absent(["@a"], MEMBERS) == ["Coop Pain", "Tiers-Lieu"]


# --- next chantier ---------------------------------------------------------------------------


def test_top_stories_proposes_the_best_ranked_with_points() -> None:
    result = DotResult(
        ranking=[
            RankedStory(7, 5, 3, 1),
            RankedStory(3, 2, 1, 2),
            RankedStory(12, 0, 0, 3),
        ],
        voters=("@a",),
    )
    assert top_stories(result, 2) == [7, 3]
    assert top_stories(result, 5) == [7, 3]
    assert top_stories(result, 0) == []
