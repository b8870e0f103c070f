"""A fake clock walks the circle's rhythm across months and daylight-saving changes.

Europe/Paris leaves summer time on 2026-10-25 (03:00 CEST -> 02:00 CET) and enters it
on 2027-03-28 (02:00 CET -> 03:00 CEST). The simulated bot wakes at each job's next fire
time and also every few hours (as a poll would), asks ``coalesced`` what to run, runs it,
and stores the fire time as the job's last run. Downtime windows model outages: the bot
does not wake inside them and catches up when it comes back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.domain.checkin_rule import (
    DEFAULT_CHECKIN_RULE,
    DEFAULT_RECAP_RULE,
    coalesced,
    cron_fields,
    cron_trigger,
    due_fires,
    parse_monthly_rule,
)
from bot.domain.checkins import due_steps, open_checkin
from bot.domain.pauses import (
    Pause,
    PauseError,
    is_paused,
    should_send,
    start_pause,
)

TZ = "Europe/Paris"
PARIS = ZoneInfo(TZ)
CEST, CET = timedelta(hours=2), timedelta(hours=1)


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, fold: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS, fold=fold)


@dataclass(frozen=True)
class Fire:
    job: str
    scheduled: datetime
    ran_at: datetime


@dataclass
class FakeClockBot:
    """The bot's scheduling loop, on a fake clock: pure, deterministic, fast."""

    jobs: dict[str, Any]
    start: datetime
    grace: timedelta | None = None
    poll: timedelta = timedelta(hours=11, minutes=7)
    downtime: Sequence[tuple[datetime, datetime]] = ()
    on_fire: Callable[[Fire], None] | None = None
    last_run: dict[str, datetime] = field(default_factory=dict)
    fires: list[Fire] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A job that never ran counts from the moment its rule was set.
        self.last_run = {name: self.start for name in self.jobs}

    def run_until(self, end: datetime) -> list[Fire]:
        now = self.start.astimezone(UTC)
        end = end.astimezone(UTC)
        while now <= end:
            self._wake(now)
            now = self._next_wake(now)
        return self.fires

    def _wake(self, now: datetime) -> None:
        local_now = now.astimezone(PARIS)
        for name, trigger in self.jobs.items():
            missed = due_fires(self.last_run[name], local_now, trigger)
            if not missed:
                continue
            fire = coalesced(self.last_run[name], local_now, trigger, self.grace)
            self.last_run[name] = missed[-1]  # stored even when dropped as misfired
            if fire is not None:
                self.fires.append(Fire(name, fire, local_now))
                if self.on_fire is not None:
                    self.on_fire(self.fires[-1])

    def _next_wake(self, now: datetime) -> datetime:
        candidates = [now + self.poll]
        for name, trigger in self.jobs.items():
            upcoming = trigger.get_next_fire_time(self.last_run[name], now)
            if upcoming is not None and upcoming.astimezone(UTC) > now:
                candidates.append(upcoming.astimezone(UTC))
        wake = min(candidates)
        for down_from, down_until in self.downtime:
            if down_from.astimezone(UTC) <= wake < down_until.astimezone(UTC):
                wake = down_until.astimezone(UTC)
        return wake


def rhythm_jobs() -> dict[str, Any]:
    return {
        "checkin": cron_trigger(DEFAULT_CHECKIN_RULE, TZ),
        "recap": cron_trigger(DEFAULT_RECAP_RULE, TZ),
    }


def scheduled(fires: Sequence[Fire], job: str) -> list[datetime]:
    return [fire.scheduled for fire in fires if fire.job == job]


START, END = paris(2026, 9, 1), paris(2027, 5, 1)

CHECKINS = [
    paris(2026, 9, 7, 10),
    paris(2026, 10, 5, 10),
    paris(2026, 11, 2, 10),
    paris(2026, 12, 7, 10),
    paris(2027, 1, 4, 10),
    paris(2027, 2, 1, 10),
    paris(2027, 3, 1, 10),
    paris(2027, 4, 5, 10),
]
RECAPS = [
    paris(2026, 9, 30, 17),
    paris(2026, 10, 31, 17),
    paris(2026, 11, 30, 17),
    paris(2026, 12, 31, 17),
    paris(2027, 1, 31, 17),
    paris(2027, 2, 28, 17),
    paris(2027, 3, 31, 17),
    paris(2027, 4, 30, 17),
]


def test_each_checkin_fires_once_a_month_on_first_monday_at_ten_local() -> None:
    fires = FakeClockBot(rhythm_jobs(), START).run_until(END)
    assert scheduled(fires, "checkin") == CHECKINS
    assert all((fire.hour, fire.minute) == (10, 0) for fire in scheduled(fires, "checkin"))
    # The UTC instant moves with daylight saving; the local time does not.
    offsets = [fire.utcoffset() for fire in scheduled(fires, "checkin")]
    assert offsets == [CEST, CEST, CET, CET, CET, CET, CET, CEST]


def test_monthly_recap_fires_once_on_the_last_day_at_seventeen_local() -> None:
    fires = FakeClockBot(rhythm_jobs(), START).run_until(END)
    assert scheduled(fires, "recap") == RECAPS
    offsets = [fire.utcoffset() for fire in scheduled(fires, "recap")]
    assert offsets == [CEST, CET, CET, CET, CET, CET, CEST, CEST]


def test_every_job_fires_exactly_once_per_month_and_on_time() -> None:
    fires = FakeClockBot(rhythm_jobs(), START).run_until(END)
    per_month = Counter((fire.job, fire.scheduled.year, fire.scheduled.month) for fire in fires)
    assert len(per_month) == 16
    assert set(per_month.values()) == {1}
    assert all(fire.ran_at == fire.scheduled for fire in fires)


def test_a_slow_poll_alone_still_fires_each_job_once() -> None:
    bot = FakeClockBot(rhythm_jobs(), START, poll=timedelta(hours=3, minutes=17))
    bot._next_wake = lambda now: now + bot.poll  # type: ignore[method-assign]
    fires = bot.run_until(END)
    assert scheduled(fires, "checkin") == CHECKINS
    assert scheduled(fires, "recap") == RECAPS
    assert all(timedelta(0) <= fire.ran_at - fire.scheduled < bot.poll for fire in fires)


# --- A rule whose time falls in a daylight-saving change --------------------------------
# « dernier dimanche 02:30 » hits both change nights. In the autumn, 02:30 happens twice
# (summer time, then winter time): the job fires once, at the first pass, as cron does.
# In the spring, 02:30 never happens: the job fires once, at 03:30 summer time (the same
# instant as 02:30 winter time would have been), rather than being skipped.

NIGHT_RULE = parse_monthly_rule("dernier dimanche 02:30")


def test_a_rule_in_the_repeated_hour_fires_once_at_the_first_pass() -> None:
    bot = FakeClockBot({"night": cron_trigger(NIGHT_RULE, TZ)}, paris(2026, 10, 24))
    bot.poll = timedelta(minutes=5)
    fires = bot.run_until(paris(2026, 10, 26))
    assert [fire.scheduled for fire in fires] == [paris(2026, 10, 25, 2, 30)]
    assert fires[0].scheduled.utcoffset() == CEST
    assert fires[0].scheduled.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_plain_apscheduler_cron_would_fire_twice_in_the_repeated_hour() -> None:
    # Why cron_trigger() returns a WallClockCronTrigger: APScheduler 3.11 finds 02:30 in
    # each pass of the repeated hour.
    plain = CronTrigger(timezone=TZ, **cron_fields(NIGHT_RULE))
    fires = due_fires(paris(2026, 10, 24), paris(2026, 10, 26), plain)
    assert [fire.astimezone(UTC).hour for fire in fires] == [0, 1]


def test_a_restart_between_the_two_passes_does_not_fire_again() -> None:
    trigger = cron_trigger(NIGHT_RULE, TZ)
    first_pass = paris(2026, 10, 25, 2, 30)
    during_second_pass = paris(2026, 10, 25, 2, 45, fold=1)
    assert due_fires(first_pass, during_second_pass, trigger) == []
    # A job rebuilt at that moment, without its history, waits for next month.
    assert trigger.get_next_fire_time(None, during_second_pass) == paris(2026, 11, 29, 2, 30)


def test_a_first_pass_fire_is_due_when_the_bot_wakes_in_the_second_pass() -> None:
    # 02:15 winter time comes an hour after 02:30 summer time, though it reads earlier.
    trigger = cron_trigger(NIGHT_RULE, TZ)
    second_pass = paris(2026, 10, 25, 2, 15, fold=1)
    assert due_fires(paris(2026, 10, 24), second_pass, trigger) == [paris(2026, 10, 25, 2, 30)]


def test_a_rule_in_the_skipped_hour_fires_once_at_half_past_three_summer_time() -> None:
    bot = FakeClockBot({"night": cron_trigger(NIGHT_RULE, TZ)}, paris(2027, 3, 27))
    bot.poll = timedelta(minutes=5)
    fires = bot.run_until(paris(2027, 3, 29))
    assert len(fires) == 1
    assert fires[0].scheduled == paris(2027, 3, 28, 3, 30)
    assert fires[0].scheduled.utcoffset() == CEST
    assert fires[0].scheduled.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_a_night_rule_fires_once_every_month_through_both_changes() -> None:
    fires = FakeClockBot({"night": cron_trigger(NIGHT_RULE, TZ)}, START).run_until(END)
    local = [(f.scheduled.month, f.scheduled.day, f.scheduled.hour) for f in fires]
    assert local == [
        (9, 27, 2),
        (10, 25, 2),
        (11, 29, 2),
        (12, 27, 2),
        (1, 31, 2),
        (2, 28, 2),
        (3, 28, 3),
        (4, 25, 2),
    ]


# --- Outages: missed jobs run late, once -------------------------------------------------


def test_a_fire_missed_during_an_outage_runs_once_when_the_bot_is_back() -> None:
    outage = (paris(2026, 10, 4, 22), paris(2026, 10, 6, 12))
    fires = FakeClockBot(rhythm_jobs(), START, downtime=[outage]).run_until(END)
    assert scheduled(fires, "checkin") == CHECKINS
    late = [fire for fire in fires if fire.ran_at != fire.scheduled]
    assert late == [Fire("checkin", paris(2026, 10, 5, 10), paris(2026, 10, 6, 12))]


def test_a_long_outage_coalesces_its_missed_fires_into_one() -> None:
    outage = (paris(2026, 10, 1), paris(2027, 1, 10, 9))
    fires = FakeClockBot(rhythm_jobs(), START, downtime=[outage]).run_until(END)
    assert scheduled(fires, "checkin") == [CHECKINS[0], *CHECKINS[4:]]
    assert scheduled(fires, "recap") == [RECAPS[0], *RECAPS[3:]]
    late = [(fire.job, fire.scheduled) for fire in fires if fire.ran_at != fire.scheduled]
    assert late == [("checkin", paris(2027, 1, 4, 10)), ("recap", paris(2026, 12, 31, 17))]
    assert {fire.ran_at for fire in fires if fire.ran_at != fire.scheduled} == {outage[1]}


def test_a_fire_older_than_the_grace_time_is_skipped_not_run_late() -> None:
    outage = (paris(2026, 11, 1), paris(2026, 11, 20))
    bot = FakeClockBot(rhythm_jobs(), START, downtime=[outage], grace=timedelta(days=3))
    fires = bot.run_until(END)
    assert paris(2026, 11, 2, 10) not in scheduled(fires, "checkin")
    assert scheduled(fires, "checkin") == [c for c in CHECKINS if c.month != 11]
    assert all(fire.ran_at == fire.scheduled for fire in fires)


def test_a_restart_right_after_a_fire_does_not_fire_it_again() -> None:
    trigger = cron_trigger(DEFAULT_CHECKIN_RULE, TZ)
    fire = paris(2026, 10, 5, 10)
    assert coalesced(fire, fire + timedelta(minutes=1), trigger) is None
    assert coalesced(fire, fire, trigger) is None


# --- A check-in's reminder and close are local-calendar days, across the change ----------


def test_checkin_reminder_and_close_keep_local_time_across_the_autumn_change() -> None:
    rule = parse_monthly_rule("4e jeudi 10:00")  # 22 October 2026, three days before
    bot = FakeClockBot({"checkin": cron_trigger(rule, TZ)}, paris(2026, 10, 1))
    steps: list[tuple[str, datetime]] = []
    opened: list[Any] = []

    def on_fire(fire: Fire) -> None:
        opened.append(open_checkin(fire.scheduled, number=len(opened) + 1, circle_id="!c"))

    bot.on_fire = on_fire
    now = paris(2026, 10, 1).astimezone(UTC)
    while now <= paris(2026, 11, 1).astimezone(UTC):
        bot._wake(now)
        for checkin in opened:
            for step in due_steps(checkin, now.astimezone(PARIS)):
                steps.append((step, now.astimezone(PARIS)))
                checkin.reminded = True
                checkin.status = "closed" if step == "close" else checkin.status
        now += timedelta(minutes=30)
    assert [checkin.opened_at for checkin in opened] == [paris(2026, 10, 22, 10)]
    assert steps == [("remind", paris(2026, 10, 25, 10)), ("close", paris(2026, 10, 29, 10))]
    assert steps[0][1].utcoffset() == CET


# --- Pauses: no check-in, reminder or nudge; the recap still goes out ---------------------


def test_a_paused_circle_skips_checkins_but_keeps_its_recaps_and_resumes() -> None:
    paused_on = date(2026, 10, 20)
    pause = start_pause(date(2026, 12, 31), today=paused_on)
    sent: list[Fire] = []

    def on_fire(fire: Fire) -> None:
        current = pause if fire.ran_at.date() >= paused_on else None
        if should_send(fire.job, fire.ran_at, current):  # type: ignore[arg-type]
            sent.append(fire)

    FakeClockBot(rhythm_jobs(), START, on_fire=on_fire).run_until(END)
    assert scheduled(sent, "checkin") == [c for c in CHECKINS if not (11 <= c.month <= 12)]
    assert scheduled(sent, "recap") == RECAPS


def test_a_pause_covers_its_last_day_and_resumes_the_day_after() -> None:
    pause = Pause(until=date(2026, 9, 1))
    assert is_paused(pause, date(2026, 8, 15))
    assert is_paused(pause, date(2026, 9, 1))
    assert not is_paused(pause, date(2026, 9, 2))
    assert pause.resumes_on == date(2026, 9, 2)


def test_an_open_ended_pause_lasts_until_resumed() -> None:
    pause = Pause(until=None)
    assert is_paused(pause, date(2099, 1, 1))
    assert pause.resumes_on is None


def test_no_pause_means_not_paused() -> None:
    assert not is_paused(None, date(2026, 9, 1))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("checkin", False), ("reminder", False), ("nudge", False), ("recap", True)],
)
def test_should_send_holds_back_everything_but_the_recap_during_a_pause(
    kind: str, expected: bool
) -> None:
    pause = Pause(until=date(2026, 9, 1))
    assert should_send(kind, paris(2026, 8, 31, 17), pause) is expected  # type: ignore[arg-type]
    assert should_send(kind, paris(2026, 9, 2, 10), pause) is True  # type: ignore[arg-type]
    assert should_send(kind, paris(2026, 8, 31, 17), None) is True  # type: ignore[arg-type]


def test_should_send_uses_the_local_day_of_now() -> None:
    pause = Pause(until=date(2026, 9, 1))
    just_after_midnight = paris(2026, 9, 2, 0, 30)  # still 1 September in UTC
    assert should_send("checkin", just_after_midnight, pause) is True
    assert should_send("checkin", just_after_midnight.astimezone(UTC), pause) is False


def test_should_send_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError):
        should_send("vote", paris(2026, 9, 1), None)  # type: ignore[arg-type]


def test_a_pause_cannot_end_in_the_past() -> None:
    with pytest.raises(PauseError) as caught:
        start_pause(date(2026, 8, 31), today=date(2026, 9, 1))
    assert caught.value.code == "until_in_past"
    assert start_pause(date(2026, 9, 1), today=date(2026, 9, 1)) == Pause(date(2026, 9, 1))


def test_the_pause_end_is_read_from_french_or_english_words() -> None:
    from bot.domain.pauses import PauseError, parse_pause_until

    now = datetime(2026, 6, 20, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    for text in ("jusqu'au 1/9", "jusqu’au 1er septembre", "until 1/9", "1/9", "au 1/9"):
        assert parse_pause_until(text, now, "Europe/Paris", "fr") == date(2026, 9, 1), text
    assert parse_pause_until("", now, "Europe/Paris", "fr") is None
    with pytest.raises(PauseError):
        parse_pause_until("jusqu'aux calendes grecques", now, "Europe/Paris", "fr")
