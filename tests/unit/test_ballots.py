from datetime import UTC, datetime

import pytest

from bot.domain.ballots import (
    BallotError,
    DotBallot,
    is_score_ballot,
    parse_dot_ballot,
    parse_score_ballot,
    points_from_point_polls,
)

CANDIDATES = {3, 7, 12}


def dot_error(args: str, allowed: int = 3) -> BallotError:
    with pytest.raises(BallotError) as caught:
        parse_dot_ballot(args, allowed, CANDIDATES)
    return caught.value


def score_error(args: str) -> BallotError:
    with pytest.raises(BallotError) as caught:
        parse_score_ballot(args, CANDIDATES)
    return caught.value


# --- dot ballots -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", ["3 7 12", "3,7,12", "3, 7, 12", "#3 #7 #12", "# 3 #7,#12", " 3  7 12 "]
)
def test_a_dot_ballot_gives_one_point_per_number(args: str) -> None:
    assert parse_dot_ballot(args, 3, CANDIDATES) == {3: 1, 7: 1, 12: 1}


def test_a_repeated_number_stacks_its_points() -> None:
    assert parse_dot_ballot("7 3 7", 3, CANDIDATES) == {7: 2, 3: 1}


def test_fewer_points_than_allowed_is_a_partial_ballot() -> None:
    assert parse_dot_ballot("12", 3, CANDIDATES) == {12: 1}


def test_an_empty_dot_ballot_is_refused() -> None:
    assert dot_error("  , ").code == "empty"


def test_a_word_in_a_dot_ballot_is_named() -> None:
    error = dot_error("3 sept 12")
    assert (error.code, error.data) == ("not_a_number", {"token": "sept"})


def test_a_number_that_is_not_a_candidate_is_named() -> None:
    error = dot_error("3 8")
    assert (error.code, error.data) == ("not_a_candidate", {"number": 8})


def test_more_points_than_allowed_is_refused_with_both_counts() -> None:
    error = dot_error("3 3 7 12", allowed=3)
    assert (error.code, error.data) == ("too_many_points", {"given": 4, "allowed": 3})


def test_a_dot_ballot_knows_how_many_points_it_gives() -> None:
    ballot = DotBallot("@a:x", {3: 2, 7: 1}, datetime(2026, 1, 1, tzinfo=UTC), "text", "$e")
    assert ballot.points_given == 3


# --- score ballots ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        "7 impact 4 coût 2",
        "7 impact 4 cout 2",
        "#7 coût 2 impact 4",
        "7 IMPACT 4 COÛT 2",
        "7 impact 4 cost 2",
        "7 impact: 4, coût: 2",
        "impact 4 coût 2 #7",
    ],
)
def test_a_score_ballot_reads_story_impact_and_cost(args: str) -> None:
    assert parse_score_ballot(args, CANDIDATES) == (7, 4, 2)


@pytest.mark.parametrize(
    "args",
    [
        "7 impact coût 2",
        "impact 4 coût 2",
        "7 12 impact 4 coût 2",
        "7 impact 4 impact 3 coût 2",
        "7 impact 4 coût 2 merci",
        "7 impact 4.5 coût 2",
        "",
    ],
)
def test_a_score_ballot_in_another_form_is_refused(args: str) -> None:
    assert score_error(args).code == "bad_form"


@pytest.mark.parametrize(
    ("args", "code"), [("7 impact 4", "missing_cost"), ("7 coût 2", "missing_impact")]
)
def test_a_score_ballot_missing_one_score_says_which(args: str, code: str) -> None:
    error = score_error(args)
    assert (error.code, error.data) == (code, {"number": 7})


def test_a_score_for_a_story_that_is_not_a_candidate_is_named() -> None:
    error = score_error("8 impact 4 coût 2")
    assert (error.code, error.data) == ("not_a_candidate", {"number": 8})


@pytest.mark.parametrize(
    ("args", "field", "value"),
    [
        ("7 impact 6 coût 2", "impact", 6),
        ("7 impact 4 coût 0", "cost", 0),
        ("7 impact -1 coût 2", "impact", -1),
    ],
)
def test_a_score_outside_one_to_five_is_refused(args: str, field: str, value: int) -> None:
    error = score_error(args)
    assert error.code == "score_out_of_range"
    assert error.data == {"field": field, "value": value, "min": 1, "max": 5}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("7 impact 4 coût 2", True),
        ("7 Coût 2", True),
        ("7 cost 2", True),
        ("3 7 12", False),
        ("impactful 3", False),
        ("", False),
    ],
)
def test_is_score_ballot_looks_for_impact_or_cost(args: str, expected: bool) -> None:
    assert is_score_ballot(args) is expected


def test_each_point_poll_gives_one_point_and_the_same_story_twice_gets_two() -> None:
    assert points_from_point_polls({1: 7, 2: 7, 3: 12}, {7, 12}) == {7: 2, 12: 1}


def test_a_withdrawn_or_unknown_point_poll_answer_gives_nothing() -> None:
    assert points_from_point_polls({1: None, 2: 99, 3: 12}, {7, 12}) == {12: 1}
    assert points_from_point_polls({}, {7}) == {}
