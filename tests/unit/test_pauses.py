"""Pauses of a circle's rhythm: when check-ins go out again."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.checkin_rule import next_occurrences, parse_monthly_rule
from bot.domain.pauses import Pause, rhythm_resumes_at

_PARIS = "Europe/Paris"
_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo(_PARIS))


def test_without_a_pause_the_rhythm_runs_from_now() -> None:
    assert rhythm_resumes_at(None, _NOW, _PARIS) == _NOW


def test_a_dated_pause_lets_the_rhythm_run_from_the_day_after_it() -> None:
    since = rhythm_resumes_at(Pause(until=date(2027, 1, 5)), _NOW, _PARIS)
    assert since is not None
    rule = parse_monthly_rule("premier lundi 10:00")
    # 7 December and 4 January fall in the pause: the next is 1 February
    assert next_occurrences(rule, since, _PARIS, 1)[0] == datetime(
        2027, 2, 1, 10, 0, tzinfo=ZoneInfo(_PARIS)
    )
    # a check-in on the very first day after the pause goes out
    midnight = parse_monthly_rule("premier mercredi 00:00")
    assert next_occurrences(midnight, since, _PARIS, 1)[0].date() == date(2027, 1, 6)


def test_a_pause_already_over_lets_the_rhythm_run_from_now() -> None:
    assert rhythm_resumes_at(Pause(until=date(2026, 11, 22)), _NOW, _PARIS) == _NOW


def test_an_open_pause_has_no_next_check_in() -> None:
    assert rhythm_resumes_at(Pause(until=None), _NOW, _PARIS) is None
