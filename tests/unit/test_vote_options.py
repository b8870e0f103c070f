from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.vote_options import VoteOptionError, VoteOptions, parse_vote_options

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 20, 14, 30, tzinfo=PARIS)


def options(args: str, lang: str = "fr") -> VoteOptions:
    return parse_vote_options(args, NOW, "Europe/Paris", lang)


def option_error(args: str) -> VoteOptionError:
    with pytest.raises(VoteOptionError) as caught:
        options(args)
    return caught.value


def test_no_option_opens_a_three_point_dot_vote_for_a_week_on_all_stories() -> None:
    assert options("") == VoteOptions(
        kind="dots", points=3, closes_at=NOW + timedelta(days=7), stories=None
    )


def test_the_default_deadline_is_in_the_circle_zone() -> None:
    result = parse_vote_options("", NOW.astimezone(UTC), "Europe/Paris", "fr")
    assert result.closes_at.tzinfo == PARIS
    assert result.closes_at == NOW + timedelta(days=7)


def test_every_option_together_in_french() -> None:
    result = options("points 5 jusqu'au 1er décembre 18h histoires 3 7 12")
    assert result == VoteOptions(
        kind="dots",
        points=5,
        closes_at=datetime(2026, 12, 1, 18, 0, tzinfo=PARIS),
        stories=[3, 7, 12],
    )


def test_options_may_come_in_any_order() -> None:
    first = options("histoires #3, #7 jusqu'à lundi prochain 5 points")
    second = options("5 points histoires 3 7 jusqu’au lundi prochain")
    assert first == second
    assert first.points == 5
    assert first.stories == [3, 7]


def test_impact_opens_a_score_vote() -> None:
    assert options("impact").kind == "scores"
    assert options("Scores").kind == "scores"


def test_english_keywords_work_too() -> None:
    result = options("point 2 score until next monday stories 4 9", lang="en")
    assert result == VoteOptions(
        kind="scores",
        points=2,
        closes_at=datetime(2026, 11, 23, 23, 59, tzinfo=PARIS),
        stories=[4, 9],
    )


@pytest.mark.parametrize(
    "deadline", ["jusqu'au 1/12", "jusqu' au 1/12", "jusqu au 1/12", "au 1/12"]
)
def test_a_date_without_time_closes_at_the_end_of_that_day(deadline: str) -> None:
    assert options(deadline).closes_at == datetime(2026, 12, 1, 23, 59, tzinfo=PARIS)


def test_a_story_listed_twice_is_kept_once() -> None:
    assert options("histoires 7 3 7").stories == [7, 3]


@pytest.mark.parametrize("value", ["0", "21", "beaucoup", "-2"])
def test_points_outside_one_to_twenty_are_refused(value: str) -> None:
    error = option_error(f"points {value}")
    assert (error.code, error.data) == ("bad_points", {"value": value, "min": 1, "max": 20})


def test_points_without_a_number_are_refused() -> None:
    assert option_error("points").code == "bad_points"


def test_an_unreadable_date_is_quoted_back() -> None:
    error = option_error("jusqu'au la saint-glinglin points 3")
    assert (error.code, error.data) == ("bad_date", {"text": "la saint-glinglin"})


def test_a_missing_date_is_refused() -> None:
    assert option_error("jusqu'au").data == {"text": ""}


def test_a_deadline_already_past_is_refused() -> None:
    error = option_error("jusqu'au 01/01/2026")
    assert error.code == "date_in_past"
    assert error.data == {"closes_at": datetime(2026, 1, 1, 23, 59, tzinfo=PARIS)}


def test_a_deadline_earlier_today_is_refused() -> None:
    assert option_error("jusqu'au aujourd'hui 10h").code == "date_in_past"


def test_today_without_time_closes_tonight() -> None:
    assert options("jusqu'au aujourd'hui").closes_at == datetime(2026, 11, 20, 23, 59, tzinfo=PARIS)


def test_an_unknown_word_is_named() -> None:
    error = option_error("points 3 vite")
    assert (error.code, error.data) == ("unknown_word", {"word": "vite"})


def test_a_bare_number_is_an_unknown_word() -> None:
    assert option_error("3 7").data == {"word": "3"}


def test_stories_keyword_without_numbers_is_refused() -> None:
    assert option_error("histoires jusqu'au 1/12").code == "no_stories_listed"
