"""Calendar rules of a circle's rhythm: the monthly check-in and the month-end recap.

A rule is turned into an APScheduler 3 ``CronTrigger`` (the bot's scheduler uses the
same trigger), so the dates shown to people and the dates the jobs fire never disagree.
Calendar rules use a cron trigger in the circle's time zone rather than an interval,
because fixed intervals drift by an hour at every daylight-saving change.

The functions below also answer "what should have fired while the bot was down":
``due_fires`` lists the missed fire times and ``coalesced`` keeps at most one of them,
mirroring APScheduler's ``coalesce=True`` and ``misfire_grace_time``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from bot.domain.folding import fold

LAST = -1
"""The ``ordinal`` of a rule that means "the last <weekday> of the month"."""

# fmt: off
_ORDINALS: dict[str, int] = {
    # French
    "premier": 1, "premiers": 1, "premiere": 1, "premieres": 1, "1er": 1, "1ers": 1,
    "1re": 1, "1ere": 1, "1e": 1,
    "deuxieme": 2, "deuxiemes": 2, "second": 2, "seconds": 2, "seconde": 2, "secondes": 2,
    "2e": 2, "2eme": 2, "2nd": 2, "2nde": 2,
    "troisieme": 3, "troisiemes": 3, "3e": 3, "3eme": 3,
    "quatrieme": 4, "quatriemes": 4, "4e": 4, "4eme": 4,
    "dernier": LAST, "derniers": LAST, "derniere": LAST, "dernieres": LAST,
    # English, which includes the cron spelling, so that "1st mon 10:00" parses
    "first": 1, "1st": 1, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": LAST,
}

_WEEKDAYS: dict[str, int] = {
    "lundi": 0, "lun": 0, "monday": 0, "mon": 0,
    "mardi": 1, "mar": 1, "tuesday": 1, "tue": 1, "tues": 1,
    "mercredi": 2, "mer": 2, "wednesday": 2, "wed": 2,
    "jeudi": 3, "jeu": 3, "thursday": 3, "thu": 3, "thurs": 3,
    "vendredi": 4, "ven": 4, "friday": 4, "fri": 4,
    "samedi": 5, "sam": 5, "saturday": 5, "sat": 5,
    "dimanche": 6, "dim": 6, "sunday": 6, "sun": 6,
}

# Words people put around a rule that carry no meaning: « chaque premier lundi du mois à 10h ».
_FILLER = frozenset({
    "le", "la", "les", "chaque", "tous", "toutes", "du", "de", "mois", "a", "vers",
    "the", "every", "each", "of", "month", "at", "on", "around",
})
# fmt: on

_CRON_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CRON_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", LAST: "last"}

_QUOTES = "«»\"“”„‘’'‹›`"
_ORDINAL_SHAPE = re.compile(r"^\d+(?:er|re|ere|e|eme|nde?|st|rd|th)s?$")
_TIME_24H = re.compile(r"^(\d{1,2})(?:[h:.](\d{2})?)?$")
_TIME_12H = re.compile(r"^(\d{1,2})(?::(\d{2}))?(am|pm)$")
_NAMED_TIMES = {"midi": (12, 0), "noon": (12, 0)}


class RuleError(ValueError):
    """A rule the user wrote that cannot be understood.

    ``code`` is one of ``bad_form``, ``bad_ordinal``, ``bad_weekday``, ``bad_time``,
    ``missing_time``; ``token`` is the word that was not understood, when there is one.
    """

    def __init__(self, code: str, token: str | None = None) -> None:
        super().__init__(code if token is None else f"{code}: {token!r}")
        self.code = code
        self.token = token


def _check_clock(hour: int, minute: int) -> None:
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"no such time of day: {hour}:{minute}")


@dataclass(frozen=True)
class MonthlyRule:
    """« premier lundi 10:00 »: the ``ordinal`` ``weekday`` of every month at ``hour:minute``.

    ``ordinal`` is 1..4, or ``LAST`` (-1); ``weekday`` is 0 for Monday .. 6 for Sunday.
    """

    ordinal: int
    weekday: int
    hour: int
    minute: int

    def __post_init__(self) -> None:
        if self.ordinal not in _CRON_ORDINALS:
            raise ValueError(f"ordinal must be 1..4 or -1, got {self.ordinal}")
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")
        _check_clock(self.hour, self.minute)

    @property
    def cron_day(self) -> str:
        """The APScheduler ``day`` expression, e.g. ``"1st mon"`` or ``"last fri"``."""
        return f"{_CRON_ORDINALS[self.ordinal]} {_CRON_WEEKDAYS[self.weekday]}"

    @property
    def key(self) -> str:
        """A stable text form for storage, which ``parse_monthly_rule`` reads back.

        >>> MonthlyRule(1, 0, 10, 0).key
        '1st mon 10:00'
        """
        return f"{self.cron_day} {self.hour:02d}:{self.minute:02d}"


DEFAULT_CHECKIN_RULE = MonthlyRule(ordinal=1, weekday=0, hour=10, minute=0)
"""The check-in rule of a new circle: first Monday of the month, 10:00."""


@dataclass(frozen=True)
class MonthEndRule:
    """The last day of every month at ``hour:minute`` (the monthly recap)."""

    hour: int = 17
    minute: int = 0

    def __post_init__(self) -> None:
        _check_clock(self.hour, self.minute)

    @property
    def cron_day(self) -> str:
        """The APScheduler ``day`` expression: ``"last"``."""
        return "last"


DEFAULT_RECAP_RULE = MonthEndRule()
"""The recap rule of a new circle: last day of the month, 17:00."""

CalendarRule = MonthlyRule | MonthEndRule


def parse_monthly_rule(text: str, default_time: tuple[int, int] | None = None) -> MonthlyRule:
    """Read a monthly rule written in French or English; case and accents are ignored.

    The form is ``<ordinal> <weekday> [à] <time>``; quotes and words such as « chaque »,
    « du mois », "every", "of the month" are allowed around it. When the time is left out,
    ``default_time`` (hour, minute) is used if given, else ``RuleError("missing_time")``.

    >>> parse_monthly_rule("« 2e mardi à 18h30 »")
    MonthlyRule(ordinal=2, weekday=1, hour=18, minute=30)
    >>> parse_monthly_rule("last friday 5pm")
    MonthlyRule(ordinal=-1, weekday=4, hour=17, minute=0)
    """
    tokens = _rule_tokens(text)
    if not tokens or len(tokens) > 3:
        raise RuleError("bad_form")
    words = [folded for folded, _ in tokens]
    ordinal = _ORDINALS.get(words[0])
    if ordinal is None:
        if _ORDINAL_SHAPE.match(words[0]) or (len(words) >= 2 and words[1] in _WEEKDAYS):
            raise RuleError("bad_ordinal", tokens[0][1])
        raise RuleError("bad_form")
    if len(words) < 2:
        raise RuleError("bad_form")
    weekday = _WEEKDAYS.get(words[1], _WEEKDAYS.get(words[1].removesuffix("s")))
    if weekday is None:
        raise RuleError("bad_weekday", tokens[1][1])
    if len(words) == 3:
        hour, minute = parse_time_of_day(tokens[2][1])
    elif default_time is not None:
        hour, minute = default_time
    else:
        raise RuleError("missing_time")
    return MonthlyRule(ordinal=ordinal, weekday=weekday, hour=hour, minute=minute)


def parse_time_of_day(text: str) -> tuple[int, int]:
    """Read a time of day: ``10:00``, ``10h``, ``18h30``, ``9``, ``5pm``, ``5:30pm``, « midi ».

    Raises ``RuleError("bad_time", text)`` when it is not a time of day.
    """
    token = re.sub(r"\s+", "", fold(text))
    if token in _NAMED_TIMES:
        return _NAMED_TIMES[token]
    hour: int
    minute: int
    if match := _TIME_24H.match(token):
        hour, minute = int(match[1]), int(match[2] or 0)
    elif match := _TIME_12H.match(token):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12:
            raise RuleError("bad_time", text)
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
    else:
        raise RuleError("bad_time", text)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise RuleError("bad_time", text)
    return hour, minute


def _rule_tokens(text: str) -> list[tuple[str, str]]:
    """The meaningful words of a rule, each as (folded, as written)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().strip(_QUOTES).strip()
    cleaned = re.sub(r"['’]", " ", cleaned)
    # Glue the parts of a time written with spaces: "10 h 30", "10 : 00", "5 pm".
    cleaned = re.sub(r"(\d)\s*([hH:.])\s*(\d)", r"\1\2\3", cleaned)
    cleaned = re.sub(r"(\d)\s+(h|am|pm)\b", r"\1\2", cleaned, flags=re.IGNORECASE)
    words = [(fold(word), word) for word in re.split(r"[\s,;]+", cleaned) if word]
    return [(folded, word) for folded, word in words if folded not in _FILLER]


def cron_fields(rule: CalendarRule) -> dict[str, Any]:
    """The ``CronTrigger`` keyword arguments of a rule; the caller adds ``timezone``.

    >>> cron_fields(MonthlyRule(ordinal=-1, weekday=4, hour=17, minute=0))
    {'day': 'last fri', 'hour': 17, 'minute': 0}
    """
    return {"day": rule.cron_day, "hour": rule.hour, "minute": rule.minute}


class WallClockCronTrigger(CronTrigger):
    """A ``CronTrigger`` that fires once per matching local wall time, DST included.

    APScheduler 3.11 fires a rule set in the hour repeated when clocks go back
    (02:30 on the last Sunday of October in Paris) twice, once in each pass; this
    trigger keeps the first pass only, as cron does. A rule set in the hour skipped
    when clocks go forward fires once, at the same instant shifted by the gap
    (02:30 becomes 03:30 summer time); fire times are returned with that real offset.
    """

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        fire: datetime | None = super().get_next_fire_time(previous_fire_time, now)
        while fire is not None and _is_second_pass(fire):
            fire = super().get_next_fire_time(fire, fire)
        return None if fire is None else _normalised(fire, self.timezone)


def _is_second_pass(moment: datetime) -> bool:
    """True for a wall time met a second time, in the hour repeated when clocks go back."""
    return moment.fold == 1 and moment.utcoffset() != moment.replace(fold=0).utcoffset()


def cron_trigger(rule: CalendarRule, tz: str) -> WallClockCronTrigger:
    """The scheduler trigger of ``rule`` in the time zone ``tz`` (e.g. ``Europe/Paris``).

    Give this trigger to APScheduler rather than a plain ``CronTrigger``: it fires once
    per month even when the rule's time falls in a daylight-saving change.
    """
    return WallClockCronTrigger(timezone=tz, **cron_fields(rule))


def next_occurrences(rule: CalendarRule, after: datetime, tz: str, count: int) -> list[datetime]:
    """The next ``count`` fire times of ``rule`` strictly after ``after``, in ``tz``.

    Computed by the same ``CronTrigger`` the scheduler uses, so they always agree.
    """
    _require_aware(after)
    trigger = cron_trigger(rule, tz)
    fires: list[datetime] = []
    # APScheduler's first fire may equal "now"; a microsecond later makes it strictly after.
    previous = None
    now = after + timedelta(microseconds=1)
    while len(fires) < count:
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None:
            break
        fires.append(fire)
        previous = now = fire
    return fires


def due_fires(
    last_run: datetime | None, now: datetime, trigger: Any, limit: int = 1000
) -> list[datetime]:
    """The fire times of ``trigger`` after ``last_run`` and at or before ``now``, oldest first.

    ``last_run`` is the scheduled time of the job's latest run, or, for a job that never
    ran, the moment its rule was set. ``None`` means nothing is known, so nothing is due
    (a new rule never fires for the past). Mirrors APScheduler's ``Job._get_run_times``;
    ``limit`` bounds the list for triggers that fire very often.
    """
    _require_aware(now)
    if last_run is None:
        return []
    _require_aware(last_run)
    zone = trigger.timezone
    fires: list[datetime] = []
    fire = trigger.get_next_fire_time(last_run, now)
    # Compare instants in UTC: two datetimes sharing one tzinfo compare by wall time, and
    # 02:30 summer time would then equal 02:30 winter time on the night clocks go back.
    while fire is not None and _utc(fire) <= _utc(now) and len(fires) < limit:
        fires.append(_normalised(fire, zone))
        fire = trigger.get_next_fire_time(fire, now)
    return fires


def coalesced(
    last_run: datetime | None,
    now: datetime,
    trigger: Any,
    grace: timedelta | None = None,
) -> datetime | None:
    """The single fire time to run now, or ``None``: missed fires collapse into the latest.

    With ``grace``, a fire older than ``now - grace`` is dropped as misfired (APScheduler's
    ``misfire_grace_time``); without it, a late fire always runs, however late.
    """
    fires = due_fires(last_run, now, trigger)
    if not fires:
        return None
    latest = fires[-1]
    if grace is not None and _utc(now) - _utc(latest) > grace:
        return None
    return latest


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _normalised(moment: datetime, zone: Any) -> datetime:
    # A fire time set in a daylight-saving gap (02:30 on the spring-forward night) is a
    # wall time that never exists; a round trip through UTC gives the real instant's wall
    # time (03:30) without changing the instant.
    return moment.astimezone(UTC).astimezone(zone)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {moment!r}")
