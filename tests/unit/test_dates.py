from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.dates import (
    When,
    days_between,
    format_date,
    format_datetime,
    format_time,
    parse_when,
)

PARIS = ZoneInfo("Europe/Paris")
TZ = "Europe/Paris"
FRIDAY = datetime(2026, 11, 20, 14, 30, tzinfo=PARIS)
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=PARIS)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def when(text: str, now: datetime = FRIDAY, lang: str = "fr") -> When | None:
    return parse_when(text, now, TZ, lang)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", at(2026, 12, 1)),
        ("01/12/2026", at(2026, 12, 1)),
        ("1/12", at(2026, 12, 1)),
        ("1er décembre", at(2026, 12, 1)),
        ("le 1er décembre", at(2026, 12, 1)),
        ("1 decembre", at(2026, 12, 1)),
        ("15 janvier", at(2027, 1, 15)),
        ("lundi", at(2026, 11, 23)),
        ("Lundi prochain", at(2026, 11, 23)),
        ("ce vendredi", at(2026, 11, 27)),
        ("demain", at(2026, 11, 21)),
        ("après-demain", at(2026, 11, 22)),
        ("après demain", at(2026, 11, 22)),
        ("dans 3 jours", at(2026, 11, 23)),
        ("dans 2 semaines", at(2026, 12, 4)),
        ("fin du mois", at(2026, 11, 30)),
        ("fin décembre", at(2026, 12, 31)),
        ("jusqu'au 3 décembre", at(2026, 12, 3)),
        ("jusqu’au lundi", at(2026, 11, 23)),
        ("au 1/12", at(2026, 12, 1)),
        ("lundi 7 décembre", at(2026, 12, 7)),
        ("décembre", at(2026, 12, 1)),
        ("décembre 2027", at(2027, 12, 1)),
        ("le mois prochain", at(2026, 12, 20)),
        ("dans un mois", at(2026, 12, 20)),
        ("next monday", at(2026, 11, 23)),
        ("in 2 weeks", at(2026, 12, 4)),
        ("end of the month", at(2026, 11, 30)),
        ("until friday", at(2026, 11, 27)),
    ],
)
def test_a_date_without_time_is_that_day_at_midnight(text: str, expected: datetime) -> None:
    assert when(text) == When(expected, has_time=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 18:00", at(2026, 12, 1, 18, 0)),
        ("2026-12-01T18:00", at(2026, 12, 1, 18, 0)),
        ("demain 18h", at(2026, 11, 21, 18, 0)),
        ("Demain à 18h30", at(2026, 11, 21, 18, 30)),
        ("demain 18 h 30", at(2026, 11, 21, 18, 30)),
        ("demain midi", at(2026, 11, 21, 12, 0)),
        ("1er décembre 18h", at(2026, 12, 1, 18, 0)),
        ("1/12 18h", at(2026, 12, 1, 18, 0)),
        ("mardi prochain à 18h30", at(2026, 11, 24, 18, 30)),
        ("samedi prochain 10h", at(2026, 11, 21, 10, 0)),
        ("fin du mois 17h", at(2026, 11, 30, 17, 0)),
        ("le 31 à 18h", at(2026, 12, 31, 18, 0)),
        ("lundi 7 décembre 2026 à 18h", at(2026, 12, 7, 18, 0)),
        ("tomorrow 6pm", at(2026, 11, 21, 18, 0)),
        ("dans 2h", at(2026, 11, 20, 16, 30)),
        ("à 18h", at(2026, 11, 20, 18, 0)),
        ("at 6pm", at(2026, 11, 20, 18, 0)),
    ],
)
def test_a_time_after_the_date_is_kept(text: str, expected: datetime) -> None:
    assert when(text) == When(expected, has_time=True)


def test_a_day_and_month_already_past_this_year_means_next_year() -> None:
    assert when("1/11") == When(at(2027, 11, 1), has_time=False)


def test_a_bare_day_number_is_its_next_occurrence() -> None:
    assert when("le 12") == When(at(2026, 12, 12), has_time=False)
    assert when("25") == When(at(2026, 11, 25), has_time=False)
    assert when("20") == When(at(2026, 11, 20), has_time=False)


def test_a_bare_31_skips_months_without_one() -> None:
    assert when("31", now=at(2027, 2, 10)) == When(at(2027, 3, 31), has_time=False)


def test_a_weekday_on_its_own_day_means_next_week() -> None:
    assert when("lundi", now=MONDAY) == When(at(2026, 11, 30), has_time=False)
    assert when("lundi prochain", now=MONDAY) == When(at(2026, 11, 30), has_time=False)


def test_the_result_is_in_the_circle_zone_whatever_zone_now_is_in() -> None:
    now_utc = FRIDAY.astimezone(UTC)
    result = parse_when("demain 18h", now_utc, TZ)
    assert result is not None
    assert result.at.tzinfo == PARIS
    assert result.at == at(2026, 11, 21, 18, 0)


def test_the_utc_offset_follows_daylight_saving_at_the_date() -> None:
    result = when("1/7 18h")
    assert result is not None
    assert result.at.utcoffset() == timedelta(hours=2)
    assert result.at.astimezone(UTC).hour == 16


def test_relative_words_follow_the_now_given_not_the_clock() -> None:
    result = parse_when("demain", datetime(2031, 5, 4, 10, 0, tzinfo=PARIS), TZ)
    assert result == When(at(2031, 5, 5), has_time=False)


def test_english_is_read_in_an_english_circle_and_french_still_works() -> None:
    assert when("next monday", lang="en") == When(at(2026, 11, 23), has_time=False)
    assert when("1/12", lang="en") == When(at(2026, 12, 1), has_time=False)
    assert when("demain", lang="en") == When(at(2026, 11, 21), has_time=False)


def test_a_weekday_that_contradicts_the_day_number_is_refused() -> None:
    assert when("mardi 25") is None  # the 25th of November 2026 is a Wednesday
    assert when("mercredi 25") == When(at(2026, 11, 25), has_time=False)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "asdf", "a", "un", "3 7 12", "31/02", "points 5", "x" * 200, "🎉", "le", "??"],
)
def test_garbage_is_not_a_date(text: str) -> None:
    assert when(text) is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_parse_when_never_raises(text: str) -> None:
    result = when(text)
    assert result is None or result.at.tzinfo == PARIS


def test_with_default_time_applies_only_when_no_time_was_typed() -> None:
    day = When(at(2026, 12, 1), has_time=False)
    timed = When(at(2026, 12, 1, 18, 0), has_time=True)
    assert day.with_default_time(time(23, 59)) == at(2026, 12, 1, 23, 59)
    assert timed.with_default_time(time(23, 59)) == at(2026, 12, 1, 18, 0)


def test_format_date_names_the_weekday_and_month() -> None:
    assert format_date(at(2026, 12, 7), "fr") == "lundi 7 décembre"
    assert format_date(at(2026, 12, 7), "en_GB") == "Monday 7 December"


def test_format_date_adds_the_year_only_when_it_is_not_this_year() -> None:
    assert format_date(at(2026, 12, 7), "fr", now=FRIDAY) == "lundi 7 décembre"
    assert format_date(at(2027, 1, 4), "fr", now=FRIDAY) == "lundi 4 janvier 2027"


def test_format_date_accepts_a_plain_date() -> None:
    assert format_date(date(2026, 12, 7), "fr") == "lundi 7 décembre"


def test_the_first_of_a_month_is_an_ordinal_in_french() -> None:
    assert format_date(at(2026, 12, 1), "fr") == "mardi 1ᵉʳ décembre"
    assert format_date(at(2027, 1, 1), "fr", now=FRIDAY) == "vendredi 1ᵉʳ janvier 2027"
    assert format_date(at(2026, 12, 11), "fr") == "vendredi 11 décembre"
    assert format_date(at(2026, 12, 21), "fr") == "lundi 21 décembre"


def test_the_first_of_a_month_stays_a_number_in_english() -> None:
    assert format_date(at(2026, 12, 1), "en_GB") == "Tuesday 1 December"


def test_format_datetime_on_the_first_says_1er() -> None:
    assert format_datetime(at(2026, 12, 1, 18, 0), "fr", glue="{date} à {time}") == (
        "mardi 1ᵉʳ décembre à 18:00"
    )
    assert format_datetime(at(2026, 12, 1, 18, 0), "fr") == "mardi 1ᵉʳ décembre, 18:00"


def test_a_first_of_the_month_as_the_bot_writes_it_is_read_back() -> None:
    assert when("1ᵉʳ décembre") == When(at(2026, 12, 1), has_time=False)


def test_format_datetime_uses_the_glue_from_prompts() -> None:
    assert format_datetime(at(2026, 12, 7, 18, 0), "fr", glue="{date} à {time}") == (
        "lundi 7 décembre à 18:00"
    )
    assert format_datetime(at(2026, 12, 7, 18, 0), "en_GB", glue="{date} at {time}") == (
        "Monday 7 December at 18:00"
    )


def test_format_datetime_without_glue_uses_babel_joining() -> None:
    assert format_datetime(at(2026, 12, 7, 18, 0), "fr") == "lundi 7 décembre, 18:00"


def test_format_time_follows_the_locale() -> None:
    assert format_time(at(2026, 12, 7, 18, 0), "fr") == "18:00"
    assert format_time(at(2026, 12, 7, 18, 0), "en") == "6:00\u202fPM"


def test_an_unknown_language_formats_in_french() -> None:
    assert format_date(at(2026, 12, 7), "xx") == "lundi 7 décembre"


def test_days_between_counts_whole_days_both_ways() -> None:
    assert days_between(date(2026, 11, 20), date(2026, 12, 1)) == 11
    assert days_between(date(2026, 12, 1), date(2026, 11, 20)) == -11
    assert days_between(date(2026, 3, 28), date(2026, 3, 30)) == 2


def test_impossible_day_month_numbers_are_not_read_as_years() -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    for text in ("45/13", "32/12", "13/45", "0/5"):
        assert parse_when(text, now, "Europe/Paris") is None, text
    assert parse_when("1/12", now, "Europe/Paris") is not None


def test_a_day_and_month_without_weekday_for_ranges_and_archives() -> None:
    from bot.domain.dates import format_day_month

    assert format_day_month(date(2026, 12, 1), "fr", year=True) == "1ᵉʳ décembre 2026"
    assert format_day_month(date(2026, 12, 20), "fr") == "20 décembre"
    assert format_day_month(date(2026, 12, 1), "en", year=True) == "1 December 2026"
