from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.checkins import (
    Checkin,
    due_steps,
    open_checkin,
    reminder_targets,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def opened_on_first_monday() -> Checkin:
    return open_checkin(paris(2026, 12, 7, 10), number=4, circle_id="!cercle:example.org")


# --- open_checkin ----------------------------------------------------------------------


def test_open_checkin_reminds_after_three_days_and_closes_after_seven() -> None:
    checkin = opened_on_first_monday()
    assert checkin.number == 4
    assert checkin.circle_id == "!cercle:example.org"
    assert checkin.opened_at == paris(2026, 12, 7, 10)
    assert checkin.remind_at == paris(2026, 12, 10, 10)
    assert checkin.closes_at == paris(2026, 12, 14, 10)
    assert checkin.status == "open"
    assert checkin.reminded is False
    assert checkin.root_event_id is None


def test_open_checkin_takes_custom_durations() -> None:
    checkin = open_checkin(paris(2026, 12, 7, 10), remind_after_days=2, close_after_days=10)
    assert checkin.remind_at == paris(2026, 12, 9, 10)
    assert checkin.closes_at == paris(2026, 12, 17, 10)


def test_open_checkin_counts_local_days_across_a_daylight_saving_change() -> None:
    checkin = open_checkin(paris(2026, 10, 22, 10))  # clocks go back on the 25th
    assert checkin.remind_at == paris(2026, 10, 25, 10)
    assert checkin.remind_at.utcoffset() == timedelta(hours=1)
    elapsed = checkin.remind_at.astimezone(UTC) - checkin.opened_at.astimezone(UTC)
    assert elapsed == timedelta(days=3, hours=1)


def test_open_checkin_moves_a_reminder_time_that_does_not_exist() -> None:
    checkin = open_checkin(paris(2027, 3, 25, 2, 30))  # 02:30 is skipped on the 28th
    assert checkin.remind_at == paris(2027, 3, 28, 3, 30)
    assert checkin.remind_at.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(("remind", "close"), [(0, 7), (7, 7), (8, 7), (-1, 3)])
def test_open_checkin_refuses_a_reminder_outside_the_checkin(remind: int, close: int) -> None:
    with pytest.raises(ValueError):
        open_checkin(paris(2026, 12, 7, 10), remind_after_days=remind, close_after_days=close)


def test_open_checkin_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError):
        open_checkin(datetime(2026, 12, 7, 10))


# --- due_steps -------------------------------------------------------------------------


def test_nothing_is_due_before_the_reminder() -> None:
    assert due_steps(opened_on_first_monday(), paris(2026, 12, 10, 9, 59)) == []


def test_the_reminder_is_due_at_its_time_until_sent() -> None:
    checkin = opened_on_first_monday()
    assert due_steps(checkin, paris(2026, 12, 10, 10)) == ["remind"]
    checkin.reminded = True
    assert due_steps(checkin, paris(2026, 12, 11, 10)) == []


def test_the_close_is_due_at_its_time() -> None:
    checkin = replace(opened_on_first_monday(), reminded=True)
    assert due_steps(checkin, paris(2026, 12, 14, 10)) == ["close"]


def test_after_an_outage_over_both_times_only_the_close_is_due() -> None:
    assert due_steps(opened_on_first_monday(), paris(2026, 12, 20)) == ["close"]


def test_a_closed_checkin_has_nothing_due() -> None:
    checkin = replace(opened_on_first_monday(), status="closed")
    assert due_steps(checkin, paris(2027, 1, 1)) == []


def test_due_steps_compare_instants_not_wall_times() -> None:
    # Closes at 02:30 summer time on the night clocks go back; 02:15 winter time comes
    # after it, although its wall time reads earlier.
    checkin = replace(open_checkin(paris(2026, 10, 18, 2, 30)), reminded=True)
    assert checkin.closes_at.utcoffset() == timedelta(hours=2)
    first_pass = datetime(2026, 10, 25, 2, 15, tzinfo=PARIS, fold=0)
    second_pass = datetime(2026, 10, 25, 2, 15, tzinfo=PARIS, fold=1)
    assert due_steps(checkin, first_pass) == []
    assert due_steps(checkin, second_pass) == ["close"]


# --- reminder_targets ------------------------------------------------------------------

MEMBERS = {
    "@alice:ex.org": "Écoloc",
    "@bruno:ex.org": "Écoloc",
    "@chloe:ex.org": "La Ruche",
    "@dev:ex.org": "ecoloc",
    "@eve:ex.org": None,
    "@cerclebot:ex.org": None,
    "@zoe:ex.org": "Repair Café",
}


def test_reminder_pings_members_who_have_not_answered_sorted() -> None:
    targets = reminder_targets(MEMBERS, {"@alice:ex.org"}, bots={"@cerclebot:ex.org"})
    assert targets.users_to_ping == [
        "@bruno:ex.org",
        "@chloe:ex.org",
        "@dev:ex.org",
        "@eve:ex.org",
        "@zoe:ex.org",
    ]


def test_reminder_names_structures_that_have_not_answered() -> None:
    users, absent = reminder_targets(MEMBERS, {"@alice:ex.org"}, bots={"@cerclebot:ex.org"})
    assert "@cerclebot:ex.org" not in users
    assert absent == ["La Ruche", "Repair Café"]


def test_reminder_has_nobody_to_ping_when_everyone_answered() -> None:
    everyone = set(MEMBERS) - {"@cerclebot:ex.org"}
    assert reminder_targets(MEMBERS, everyone, bots={"@cerclebot:ex.org"}) == ([], [])


def test_a_bot_never_makes_its_structure_absent() -> None:
    members = {"@bot:ex.org": "Robots", "@ana:ex.org": "La Ruche"}
    targets = reminder_targets(members, {"@ana:ex.org"}, bots={"@bot:ex.org"})
    assert targets.absent_structures == []


def test_whoever_launched_the_checkin_is_not_reminded_but_her_structure_still_counts() -> None:
    members = {"@anna:ex.org": "Tiers-lieu", "@ben:ex.org": "La Ruche"}
    targets = reminder_targets(
        members, set(), bots={"@bot:ex.org"}, not_pinged=frozenset({"@anna:ex.org"})
    )
    assert targets.users_to_ping == ["@ben:ex.org"]
    assert targets.absent_structures == ["La Ruche", "Tiers-lieu"]
