from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.checkin_rule import (
    DEFAULT_CHECKIN_RULE,
    DEFAULT_RECAP_RULE,
    LAST,
    MonthEndRule,
    MonthlyRule,
    RuleError,
    WallClockCronTrigger,
    coalesced,
    cron_fields,
    cron_trigger,
    due_fires,
    next_occurrences,
    parse_monthly_rule,
    parse_time_of_day,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("premier lundi 10:00", MonthlyRule(1, 0, 10, 0)),
        ("1er lundi 10h", MonthlyRule(1, 0, 10, 0)),
        ("deuxième mardi 18h30", MonthlyRule(2, 1, 18, 30)),
        ("2e mardi 18:30", MonthlyRule(2, 1, 18, 30)),
        ("troisième jeudi à 9h", MonthlyRule(3, 3, 9, 0)),
        ("quatrième mercredi 14h", MonthlyRule(4, 2, 14, 0)),
        ("dernier vendredi 17h", MonthlyRule(LAST, 4, 17, 0)),
        ("dernière samedi 9h", MonthlyRule(LAST, 5, 9, 0)),
        ("« premier lundi 10:00 »", MonthlyRule(1, 0, 10, 0)),
        ('"premier lundi 10:00"', MonthlyRule(1, 0, 10, 0)),
        ("PREMIER LUNDI 10H", MonthlyRule(1, 0, 10, 0)),
        ("deuxieme mardi 18h30", MonthlyRule(2, 1, 18, 30)),
        ("chaque premier lundi du mois à 10 h 30", MonthlyRule(1, 0, 10, 30)),
        ("tous les premiers lundis 10h", MonthlyRule(1, 0, 10, 0)),
        ("le dernier jeudi à midi", MonthlyRule(LAST, 3, 12, 0)),
        ("first monday 10:00", MonthlyRule(1, 0, 10, 0)),
        ("second tuesday 18:30", MonthlyRule(2, 1, 18, 30)),
        ("last friday 17:00", MonthlyRule(LAST, 4, 17, 0)),
        ("last friday 5pm", MonthlyRule(LAST, 4, 17, 0)),
        ("every 3rd thursday of the month at 9:15am", MonthlyRule(3, 3, 9, 15)),
        ("1st mon 10:00", MonthlyRule(1, 0, 10, 0)),
        ("premier dimanche 0h", MonthlyRule(1, 6, 0, 0)),
    ],
)
def test_parse_monthly_rule_reads_french_and_english(text: str, expected: MonthlyRule) -> None:
    assert parse_monthly_rule(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "token"),
    [
        ("", "bad_form", None),
        ("« »", "bad_form", None),
        ("lundi 10h", "bad_form", None),
        ("bonjour", "bad_form", None),
        ("premier lundi du mois de mars 10h", "bad_form", None),
        ("cinquième lundi 10h", "bad_ordinal", "cinquième"),
        ("5e lundi 10h", "bad_ordinal", "5e"),
        ("avant-dernier vendredi 17h", "bad_ordinal", "avant-dernier"),
        ("premier lundo 10h", "bad_weekday", "lundo"),
        ("premier", "bad_form", None),
        ("premier lundi 25h", "bad_time", "25h"),
        ("premier lundi 10h75", "bad_time", "10h75"),
        ("premier lundi 13pm", "bad_time", "13pm"),
        ("premier lundi matin", "bad_time", "matin"),
        ("premier lundi", "missing_time", None),
    ],
)
def test_parse_monthly_rule_reports_what_is_wrong(text: str, code: str, token: str | None) -> None:
    with pytest.raises(RuleError) as caught:
        parse_monthly_rule(text)
    assert caught.value.code == code
    assert caught.value.token == token


def test_a_rule_without_time_takes_the_default_time() -> None:
    assert parse_monthly_rule("dernier vendredi", default_time=(17, 30)) == MonthlyRule(
        LAST, 4, 17, 30
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:00", (10, 0)),
        ("10h", (10, 0)),
        ("10H", (10, 0)),
        ("18h30", (18, 30)),
        ("9", (9, 0)),
        ("07:05", (7, 5)),
        ("12am", (0, 0)),
        ("12pm", (12, 0)),
        ("5:30pm", (17, 30)),
        ("midi", (12, 0)),
    ],
)
def test_parse_time_of_day_reads_common_forms(text: str, expected: tuple[int, int]) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["24:00", "10:60", "0pm", "10h5", "soir", ""])
def test_parse_time_of_day_rejects_what_is_not_a_time(text: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_time_of_day(text)
    assert caught.value.code == "bad_time"


@given(
    ordinal=st.sampled_from([1, 2, 3, 4, LAST]),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
def test_a_rule_key_parses_back_to_the_same_rule(
    ordinal: int, weekday: int, hour: int, minute: int
) -> None:
    rule = MonthlyRule(ordinal, weekday, hour, minute)
    assert parse_monthly_rule(rule.key) == rule


def test_the_default_rule_is_first_monday_at_ten() -> None:
    assert DEFAULT_CHECKIN_RULE.key == "1st mon 10:00"
    assert parse_monthly_rule("premier lundi 10:00") == DEFAULT_CHECKIN_RULE


@pytest.mark.parametrize(
    "fields",
    [
        {"ordinal": 5, "weekday": 0, "hour": 10, "minute": 0},
        {"ordinal": 0, "weekday": 0, "hour": 10, "minute": 0},
        {"ordinal": 1, "weekday": 7, "hour": 10, "minute": 0},
        {"ordinal": 1, "weekday": 0, "hour": 24, "minute": 0},
        {"ordinal": 1, "weekday": 0, "hour": 10, "minute": 60},
    ],
)
def test_a_monthly_rule_refuses_impossible_values(fields: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        MonthlyRule(**fields)


def test_cron_fields_use_apscheduler_day_expressions() -> None:
    assert cron_fields(MonthlyRule(1, 0, 10, 0)) == {"day": "1st mon", "hour": 10, "minute": 0}
    assert cron_fields(MonthlyRule(LAST, 4, 17, 0)) == {"day": "last fri", "hour": 17, "minute": 0}
    assert cron_fields(MonthlyRule(2, 6, 8, 45)) == {"day": "2nd sun", "hour": 8, "minute": 45}
    assert cron_fields(DEFAULT_RECAP_RULE) == {"day": "last", "hour": 17, "minute": 0}


def test_cron_trigger_runs_in_the_circle_time_zone() -> None:
    trigger = cron_trigger(DEFAULT_CHECKIN_RULE, "Europe/Paris")
    assert isinstance(trigger, WallClockCronTrigger)
    assert str(trigger.timezone) == "Europe/Paris"


def test_next_occurrences_of_the_default_rule_are_first_mondays_at_ten() -> None:
    fires = next_occurrences(DEFAULT_CHECKIN_RULE, paris(2026, 9, 1), "Europe/Paris", 4)
    assert fires == [
        paris(2026, 9, 7, 10),
        paris(2026, 10, 5, 10),
        paris(2026, 11, 2, 10),
        paris(2026, 12, 7, 10),
    ]
    assert [fire.utcoffset() for fire in fires] == [timedelta(hours=h) for h in (2, 2, 1, 1)]


def test_next_occurrences_start_strictly_after_the_given_moment() -> None:
    fires = next_occurrences(DEFAULT_CHECKIN_RULE, paris(2026, 9, 7, 10), "Europe/Paris", 1)
    assert fires == [paris(2026, 10, 5, 10)]


def test_next_occurrences_accept_a_moment_in_another_time_zone() -> None:
    after = datetime(2026, 9, 7, 7, 59, tzinfo=UTC)  # 09:59 in Paris
    fires = next_occurrences(DEFAULT_CHECKIN_RULE, after, "Europe/Paris", 1)
    assert fires == [paris(2026, 9, 7, 10)]
    assert fires[0].tzinfo == PARIS


def test_next_occurrences_of_last_friday_handle_february() -> None:
    rule = parse_monthly_rule("dernier vendredi 17h")
    fires = next_occurrences(rule, paris(2027, 2, 1), "Europe/Paris", 2)
    assert fires == [paris(2027, 2, 26, 17), paris(2027, 3, 26, 17)]


def test_month_end_rule_fires_on_the_last_day_leap_years_included() -> None:
    fires = next_occurrences(MonthEndRule(), paris(2028, 1, 15), "Europe/Paris", 3)
    assert fires == [paris(2028, 1, 31, 17), paris(2028, 2, 29, 17), paris(2028, 3, 31, 17)]


def test_next_occurrences_refuse_a_naive_moment() -> None:
    with pytest.raises(ValueError):
        next_occurrences(DEFAULT_CHECKIN_RULE, datetime(2026, 9, 1), "Europe/Paris", 1)


@given(
    ordinal=st.sampled_from([1, 2, 3, 4, LAST]),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31)),
)
def test_every_occurrence_is_the_rule_day_at_the_rule_local_time(
    ordinal: int, weekday: int, hour: int, minute: int, start: date
) -> None:
    rule = MonthlyRule(ordinal, weekday, hour, minute)
    after = datetime(start.year, start.month, start.day, tzinfo=PARIS)
    fires = next_occurrences(rule, after, "Europe/Paris", 3)
    assert len(fires) == 3
    months = {(fire.year, fire.month) for fire in fires}
    assert len(months) == 3  # one per month
    for fire in fires:
        assert fire > after
        assert fire.weekday() == weekday
        if ordinal == LAST:
            assert (fire + timedelta(days=7)).month != fire.month
        else:
            assert (fire.day - 1) // 7 + 1 == ordinal
        wall = datetime(fire.year, fire.month, fire.day, hour, minute, tzinfo=PARIS)
        if wall.astimezone(UTC).astimezone(PARIS).hour == hour:
            assert (fire.hour, fire.minute) == (hour, minute)
        else:  # the rule's time does not exist that day (clocks go forward): one hour later
            assert (fire.hour, fire.minute) == (hour + 1, minute)


def test_due_fires_without_a_last_run_is_empty() -> None:
    trigger = cron_trigger(DEFAULT_CHECKIN_RULE, "Europe/Paris")
    assert due_fires(None, paris(2027, 1, 1), trigger) == []


def test_due_fires_lists_every_missed_fire_oldest_first() -> None:
    trigger = cron_trigger(DEFAULT_CHECKIN_RULE, "Europe/Paris")
    fires = due_fires(paris(2026, 9, 7, 10), paris(2026, 12, 7, 10), trigger)
    assert fires == [paris(2026, 10, 5, 10), paris(2026, 11, 2, 10), paris(2026, 12, 7, 10)]


def test_due_fires_is_bounded_by_its_limit() -> None:
    trigger = cron_trigger(DEFAULT_CHECKIN_RULE, "Europe/Paris")
    assert len(due_fires(paris(2020, 1, 1), paris(2030, 1, 1), trigger, limit=5)) == 5


def test_coalesced_keeps_only_the_latest_missed_fire() -> None:
    trigger = cron_trigger(DEFAULT_CHECKIN_RULE, "Europe/Paris")
    fire = coalesced(paris(2026, 9, 7, 10), paris(2026, 12, 8, 9), trigger)
    assert fire == paris(2026, 12, 7, 10)


def test_coalesced_is_none_when_nothing_was_missed() -> None:
    trigger = cron_trigger(DEFAULT_CHECKIN_RULE, "Europe/Paris")
    assert coalesced(paris(2026, 9, 7, 10), paris(2026, 10, 5, 9, 59), trigger) is None


def test_coalesced_drops_a_fire_older_than_the_grace_time() -> None:
    trigger = cron_trigger(DEFAULT_CHECKIN_RULE, "Europe/Paris")
    last_run, now = paris(2026, 9, 7, 10), paris(2026, 10, 7, 10)
    assert coalesced(last_run, now, trigger, grace=timedelta(days=3)) == paris(2026, 10, 5, 10)
    assert coalesced(last_run, now, trigger, grace=timedelta(days=1)) is None


def test_a_time_skipped_by_daylight_saving_is_given_with_its_real_offset() -> None:
    rule = parse_monthly_rule("dernier dimanche 02:30")
    fires = next_occurrences(rule, paris(2027, 3, 1), "Europe/Paris", 1)
    assert (fires[0].day, fires[0].hour, fires[0].minute) == (28, 3, 30)
    assert fires[0].utcoffset() == timedelta(hours=2)
    trigger = cron_trigger(rule, "Europe/Paris")
    next_run = trigger.get_next_fire_time(None, paris(2027, 3, 1))
    assert next_run is not None
    assert (next_run.hour, next_run.utcoffset()) == (3, timedelta(hours=2))
