"""A closed vote's results: typed once from the tally, stored as before, read back typed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.domain.ballots import DotBallot, ScoreBallot
from bot.domain.tally import VoteResults, tally_dot_votes, tally_scores
from bot.store.votes import parse_results, results_json

AT = datetime(2026, 12, 1, tzinfo=UTC)


def _dots() -> VoteResults:
    ballots = [
        DotBallot("@a:ex.org", {7: 2, 3: 1}, AT, "text", "$1"),
        DotBallot("@b:ex.org", {3: 1}, AT, "poll", "$2"),
    ]
    return VoteResults.from_tally("dots", tally_dot_votes(ballots, [3, 7, 9]))


def test_dot_results_keep_the_ranking_the_points_and_the_proposal() -> None:
    results = _dots()
    assert results.ranking == (3, 7, 9)
    assert dict(results.points) == {3: 2, 7: 2, 9: 0}
    assert results.voters == 2
    assert results.top == (3, 7)
    assert results.rank_of(7) == 2 and results.rank_of(12) == 0
    assert results.points_of(9) == 0 and results.points_of(12) is None


def test_score_results_have_no_points() -> None:
    ballots = [ScoreBallot("@a:ex.org", 4, 5, 1, AT, "text", "$1")]
    results = VoteResults.from_tally("scores", tally_scores(ballots, [4, 8]))
    assert results.ranking == (4, 8) and results.top == (4,) and results.voters == 1
    assert results.points_of(4) is None


def test_results_are_stored_in_the_format_of_the_rows_already_written() -> None:
    stored = json.loads(results_json(_dots()))
    assert stored == {
        "kind": "dots",
        "ranking": [3, 7, 9],
        "points": {"3": 2, "7": 2, "9": 0},
        "voters": 2,
        "top": [3, 7],
    }
    assert parse_results(results_json(_dots())) == _dots()


def test_an_old_score_row_reads_with_its_null_points() -> None:
    text = '{"kind": "scores", "ranking": [4, 8], "points": {"4": null, "8": null},'
    text += ' "voters": 1, "top": [4]}'
    results = parse_results(text)
    assert results == VoteResults("scores", (4, 8), {}, 1, (4,))
    assert json.loads(results_json(results)) == json.loads(text)


def test_a_row_missing_keys_reads_as_empty() -> None:
    assert parse_results("{}") == VoteResults("", (), {}, 0, ())
