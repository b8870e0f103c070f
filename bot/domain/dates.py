"""Dates as people type them in a circle (« demain 18h », « 1er décembre », "next monday").

Parsing is dateparser's job; this module only smooths the input it stumbles on
(« 18h », « lundi prochain », « fin du mois », a bare day « le 12 ») and checks
its answer. Formatting is Babel's. Everything is relative to a ``now`` passed in.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time

from bot.domain.folding import fold

# Longer texts are not dates; dateparser also gets slow on them.
MAX_DATE_TEXT = 80

_PARSER_LANGUAGES = ("fr", "en")

FIRST_OF_MONTH_FR = "ᵉʳ"  # U+1D49 U+02B3, modifier letters: the « er » shows raised


@dataclass(frozen=True)
class When:
    """A moment someone typed: ``at`` is aware, in the circle's zone; 00:00 if no time was typed."""

    at: datetime
    has_time: bool

    def with_default_time(self, default: time) -> datetime:
        """``at`` itself when a time was typed, else that day at ``default`` (e.g. 23:59)."""
        if self.has_time:
            return self.at
        return self.at.replace(hour=default.hour, minute=default.minute, second=0, microsecond=0)


def parse_when(text: str, now: datetime, tz: str, lang: str = "fr") -> When | None:
    """Read a date, maybe with a time, relative to ``now`` in zone ``tz``; None if it is not one.

    >>> paris = ZoneInfo("Europe/Paris")
    >>> found = parse_when("demain 18h", datetime(2026, 11, 20, 9, 0, tzinfo=paris), "Europe/Paris")
    >>> found.at.isoformat(), found.has_time
    ('2026-11-21T18:00:00+01:00', True)

    Accepted: ``2026-12-01``, ``2026-12-01 18:00``, ``01/12/2026``, ``1/12`` (day/month, next
    occurrence), « 1er décembre », « le 12 », « lundi (prochain) », « demain 18h »,
    « dans 2 semaines », « fin du mois », "next monday", "tomorrow 6pm", "in 2 weeks".
    """
    zone = ZoneInfo(tz)
    local_now = now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)
    if _impossible_numeric_date(text):
        return None
    try:
        return _parse_when(text, local_now, zone, lang)
    except (ValueError, OverflowError, KeyError, IndexError, TypeError, AttributeError):
        # dateparser can trip on odd input; odd input is simply not a date.
        return None


def format_date(dt: date, lang: str, now: datetime | None = None) -> str:
    """« lundi 7 décembre », with the year when it is not ``now``'s year; « mardi 1ᵉʳ décembre ».

    >>> format_date(date(2026, 12, 1), "fr"), format_date(date(2026, 12, 1), "en")
    ('mardi 1ᵉʳ décembre', 'Tuesday 1 December')
    """
    locale = _locale(lang)
    # French writes the first of a month as an ordinal, « 1ᵉʳ » with a raised « er » (what
    # Grammalecte asks for; « 1er » is the typewriter form). CLDR has no pattern for it.
    day = f"d'{FIRST_OF_MONTH_FR}'" if dt.day == 1 and locale.split("_")[0] == "fr" else "d"
    pattern = f"EEEE {day} MMMM" if now is None or dt.year == now.year else f"EEEE {day} MMMM y"
    return babel_format_date(dt, pattern, locale=locale)


def format_day_month(dt: date, lang: str, year: bool = False) -> str:
    """« 2 décembre », « 1ᵉʳ décembre 2026 » with ``year``: no weekday, for ranges and archives.

    >>> format_day_month(date(2026, 12, 1), "fr", year=True)
    '1ᵉʳ décembre 2026'
    >>> format_day_month(date(2026, 12, 2), "en")
    '2 December'
    """
    locale = _locale(lang)
    day = f"d'{FIRST_OF_MONTH_FR}'" if dt.day == 1 and locale.split("_")[0] == "fr" else "d"
    return babel_format_date(dt, f"{day} MMMM y" if year else f"{day} MMMM", locale=locale)


def format_time(dt: datetime, lang: str) -> str:
    """The wall-clock time of ``dt`` in the locale's short form: « 18:00 », "6:00 PM"."""
    return babel_format_time(dt.timetz(), "short", locale=_locale(lang))


def format_datetime(
    dt: datetime, lang: str, now: datetime | None = None, glue: str | None = None
) -> str:
    """Date and time, joined by ``glue`` (« {date} à {time} » from prompts) or by Babel's own.

    >>> format_datetime(datetime(2026, 12, 7, 18, 0), "fr", glue="{date} à {time}")
    'lundi 7 décembre à 18:00'
    """
    day = format_date(dt, lang, now)
    clock = format_time(dt, lang)
    if glue is not None:
        return glue.format(date=day, time=clock)
    # CLDR's glue, e.g. "{1}, {0}" ({1} the date, {0} the time); Babel no longer ships « à ».
    babel_glue = str(Locale.parse(_locale(lang)).datetime_formats["long"])
    return babel_glue.replace("'", "").format(clock, day)


def days_between(a: date, b: date) -> int:
    """Whole days from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
    return (b - a).days


# --- parsing ---------------------------------------------------------------------------------


_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\d/])")


@dataclass(frozen=True)
class DateProblem:
    """What is wrong with a day/month someone typed: ``kind`` is ``"day"`` or ``"month"``."""

    kind: str
    day: int
    month: int

    @property
    def month_days(self) -> int:
        """The most days the month has (29 for February)."""
        return calendar.monthrange(2024, self.month)[1] if 1 <= self.month <= 12 else 31


def numeric_date_problem(text: str) -> DateProblem | None:
    """Why « 35/12 » or « 12/13 » is no date, so that a refusal can say it; None otherwise.

    >>> numeric_date_problem("jusqu'au 35/12")
    DateProblem(kind='day', day=35, month=12)
    >>> numeric_date_problem("31/4").month_days, numeric_date_problem("1/9")
    (30, None)
    """
    for match in _NUMERIC_DATE.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            return DateProblem("month", day, month)
        if not 1 <= day <= calendar.monthrange(2024, month)[1]:
            return DateProblem("day", day, month)
    return None


def _impossible_numeric_date(text: str) -> bool:
    """« 45/13 » or « 13/45 » are no dates (dateparser reads them as years)."""
    for match in _NUMERIC_DATE.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return True
    return False


def _parse_when(text: str, now: datetime, zone: ZoneInfo, lang: str) -> When | None:
    if len(text) > MAX_DATE_TEXT:
        return None
    cleaned = _clean(text)
    if _looks_like_noise(cleaned):
        return None

    body, clock = _split_trailing_time(cleaned)

    end_of_month = _END_OF_MONTH.fullmatch(body)
    if end_of_month:
        month_word = end_of_month.group("month") or end_of_month.group("month_en")
        day = _end_of_month(month_word, now, lang)
        return None if day is None else _when(day, clock, zone)

    if _BARE_DAY.fullmatch(body):
        day = _next_day_of_month(int(body), now.date())
        return None if day is None else _when(day, clock, zone)

    found = _dateparser(cleaned, now, lang)
    if found is None:
        return None
    parsed, period = found
    if period == "month" and not _RELATIVE_MONTH.search(cleaned):
        # A month named (« décembre 2027 ») means its first day, not today's day number in it.
        found = _dateparser(cleaned, now, lang, day_of_month="first")
        if found is None:
            return None
        parsed, period = found
    if not _weekday_agrees(cleaned, parsed, lang):
        return None
    if period == "time":
        return When(parsed.replace(second=0, microsecond=0, tzinfo=zone), has_time=True)
    return When(datetime.combine(parsed.date(), time(0, 0), tzinfo=zone), has_time=False)


def _when(day: date, clock: time | None, zone: ZoneInfo) -> When:
    return When(datetime.combine(day, clock or time(0, 0), tzinfo=zone), has_time=clock is not None)


_LEADING_NOISE = re.compile(
    r"^(?:jusqu'?\s*(?:au|a)|jusque|avant\s+le|au|le|du|ce|cette|a|until|till|by|on|at|before)\s+"
)
_ORDINAL = re.compile(r"\b(\d{1,2})\s*(?:er|ere|re|eme|e)\b")
_IN_HOURS = re.compile(r"\b(dans|in)\s+(\d{1,3})\s*h\b")
_HOURS_MINUTES = re.compile(r"\b([01]?\d|2[0-3])\s*h\s*([0-5]\d)\b")
_HOURS = re.compile(r"(?<!\bdans )(?<!\bin )\b([01]?\d|2[0-3])\s*(?:h|heures?)\b")
_SOME_WORD = re.compile(r"[a-z]{3,}")
_RELATIVE_MONTH = re.compile(r"\b(?:dans|in|mois|months?|prochaine?|next|ago|il y a)\b")
_WEEKDAY_NEXT = re.compile(r"\b(\w+)\s+prochaine?\b")
_DAY_AFTER_TOMORROW = re.compile(r"\bapres\s+demain\b")
_NEXT_MONTH = re.compile(r"\bmois\s+prochain\b")
_NUMBER_LIST = re.compile(r"\d+(?:\s+\d+)+")
_BARE_DAY = re.compile(r"\d{1,2}")
_TRAILING_TIME = re.compile(r"^(?P<body>.*?)\s*(?:\ba\s+|\bat\s+)?(?P<h>\d{1,2}):(?P<m>\d{2})$")
_END_OF_MONTH = re.compile(
    r"(?:fin\s+(?:du\s+mois|de\s+mois|de\s+ce\s+mois)|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month"
    r"|fin\s+(?:de\s+|d')?(?P<month>[a-z]+)|(?:the\s+)?end\s+of\s+(?P<month_en>[a-z]+))"
)


def _clean(text: str) -> str:
    """Fold, and rewrite what dateparser misreads: « 18h » → 18:00, « 1er » → 1, « le » dropped."""
    cleaned = fold(text).replace("’", "'").replace("`", "'")
    cleaned = " ".join(cleaned.split())
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = _LEADING_NOISE.sub("", cleaned)
    weekdays = _weekday_names()
    cleaned = _WEEKDAY_NEXT.sub(
        lambda m: m.group(1) if m.group(1) in weekdays else m.group(0), cleaned
    )
    cleaned = _DAY_AFTER_TOMORROW.sub("apres-demain", cleaned)
    cleaned = _NEXT_MONTH.sub("dans 1 mois", cleaned)
    cleaned = _ORDINAL.sub(r"\1", cleaned)
    cleaned = _IN_HOURS.sub(r"\1 \2 heures", cleaned)
    cleaned = _HOURS_MINUTES.sub(r"\1:\2", cleaned)
    cleaned = _HOURS.sub(r"\1:00", cleaned)
    return cleaned.strip(" .,;")


def _looks_like_noise(cleaned: str) -> bool:
    """What dateparser wrongly accepts: « 3 7 12 » (a ballot, not 3 July 2112), « a », « un »."""
    if _NUMBER_LIST.fullmatch(cleaned):
        return True
    has_digit = any(ch.isdigit() for ch in cleaned)
    return not has_digit and not _SOME_WORD.search(cleaned)


def _split_trailing_time(cleaned: str) -> tuple[str, time | None]:
    match = _TRAILING_TIME.match(cleaned)
    if not match or not match.group("body"):
        return cleaned, None
    hour, minute = int(match.group("h")), int(match.group("m"))
    if hour > 23 or minute > 59:
        return cleaned, None
    return match.group("body").strip(), time(hour, minute)


def _end_of_month(month_word: str | None, now: datetime, lang: str) -> date | None:
    """« fin du mois » is this month's last day; « fin janvier » the next January's."""
    if month_word is None:
        return date(now.year, now.month, calendar.monthrange(now.year, now.month)[1])
    found = _dateparser(month_word, now, lang, day_of_month="last")
    if found is None or found[1] != "month":
        return None
    return found[0].date()


def _next_day_of_month(day: int, today: date) -> date | None:
    """« le 12 »: the next 12th, this month or a later one."""
    year, month = today.year, today.month
    for _ in range(13):
        if 1 <= day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate >= today:
                return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _dateparser(
    cleaned: str, now: datetime, lang: str, day_of_month: str = "current"
) -> tuple[datetime, str] | None:
    from dateparser.date import DateDataParser  # slow to import: only when a date is typed

    settings: dict[str, Any] = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": day_of_month,
        "DATE_ORDER": "DMY",
        "TIMEZONE": str(now.tzinfo),
        "TO_TIMEZONE": str(now.tzinfo),
        # Naive wall time, made aware with ZoneInfo: dateparser would pin today's UTC offset,
        # wrong across a daylight-saving change.
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RETURN_TIME_AS_PERIOD": True,
    }
    parser = DateDataParser(languages=_languages(lang), settings=settings)
    data = parser.get_date_data(cleaned)
    if data.date_obj is None:
        return None
    return data.date_obj, str(data.period)


def _weekday_agrees(cleaned: str, parsed: datetime, lang: str) -> bool:
    """« mardi 25 » when the 25th is a Wednesday is a typo, not the 25th."""
    if not any(ch.isdigit() for ch in cleaned):
        return True
    names = _weekday_names()
    named = {names[word] for word in re.findall(r"[a-z]+", cleaned) if word in names}
    return not named or named == {parsed.weekday()}


@cache
def _weekday_names() -> dict[str, int]:
    """Folded weekday names of every parser language → weekday number (Monday = 0)."""
    names: dict[str, int] = {}
    for code in _PARSER_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in Locale.parse(code).days["format"][width].items():
                names[fold(str(name)).rstrip(".")] = number
    return names


def _languages(lang: str) -> list[str]:
    """The circle's language first, then the others: French circles often type English too."""
    first = lang.replace("-", "_").split("_")[0].lower()
    if first not in _PARSER_LANGUAGES:
        return list(_PARSER_LANGUAGES)
    return [first, *(code for code in _PARSER_LANGUAGES if code != first)]


@cache
def _locale(lang: str) -> str:
    try:
        return str(Locale.parse(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return "fr"
