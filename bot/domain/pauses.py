"""Quiet periods: a facilitator pauses the circle's rhythm (summer, holidays).

During a pause no check-in opens, no reminder and no chantier nudge is sent. The
monthly recap is still posted: it is the circle's memory, not a request for effort,
and a month with a pause still has stories, votes and chantiers worth recording.
Nothing is lost: stories, ballots and chantiers go on as usual, and once the pause
ends the next check-in follows the circle's rule. A check-in whose date fell in
the pause is skipped rather than run late.

« jusqu'au 1/9 » includes 1 September: the rhythm resumes on the 2nd.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

RhythmKind = Literal["checkin", "reminder", "nudge", "recap"]

SILENCED_DURING_PAUSE: frozenset[str] = frozenset({"checkin", "reminder", "nudge"})
"""Kinds of scheduled message a pause holds back; the others (the recap) still go out."""

_KINDS = frozenset({"checkin", "reminder", "nudge", "recap"})


class PauseError(ValueError):
    """A pause request the user can fix; ``code`` is ``until_in_past``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Pause:
    """The circle's rhythm is paused up to ``until`` included (``None``: until resumed)."""

    until: date | None

    @property
    def resumes_on(self) -> date | None:
        """The first day the rhythm runs again, or ``None`` for an open-ended pause."""
        return None if self.until is None else self.until + timedelta(days=1)


_UNTIL_WORDS = frozenset({"jusqu'au", "jusqu'a", "jusque", "au", "le", "until", "till"})


def pause_date_words(text: str) -> str:
    """The date of « jusqu'au 1/9 » without the words before it: « 1/9 »."""
    from bot.domain.folding import fold

    words = text.replace("’", "'").split()
    while words and fold(words[0]) in _UNTIL_WORDS:
        words = words[1:]
    return " ".join(words)


def parse_pause_until(text: str, now: datetime, tz: str, lang: str) -> date | None:
    """The last paused day of « jusqu'au 1/9 », « 1er septembre », "until 1/9"; None if no date.

    Raises ``PauseError("bad_date")`` when words are there but are no date.
    """
    from bot.domain.dates import parse_when

    rest = pause_date_words(text)
    if not rest:
        return None
    found = parse_when(rest, now, tz, lang)
    if found is None:
        raise PauseError("bad_date")
    return found.at.date()


def start_pause(until: date | None, today: date) -> Pause:
    """A pause from today up to ``until`` included; raises ``PauseError("until_in_past")``."""
    if until is not None and until < today:
        raise PauseError("until_in_past")
    return Pause(until=until)


def is_paused(pause: Pause | None, today: date) -> bool:
    """True when ``pause`` covers ``today`` (a date in the circle's time zone)."""
    if pause is None:
        return False
    return pause.until is None or today <= pause.until


def rhythm_resumes_at(pause: Pause | None, now: datetime, tz: str) -> datetime | None:
    """From when the circle's check-ins go out again: ``now`` when not paused, the start of
    the day after the pause, or ``None`` while paused until resumed by hand.

    >>> from zoneinfo import ZoneInfo
    >>> now = datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    >>> rhythm_resumes_at(Pause(until=date(2027, 1, 5)), now, "Europe/Paris").isoformat()
    '2027-01-05T23:59:59.999999+01:00'
    """
    from zoneinfo import ZoneInfo

    if pause is None:
        return now
    if pause.until is None:
        return None
    # Just before the first day after the pause: a fire at its midnight still counts.
    restart = datetime.combine(pause.until, time.max, ZoneInfo(tz))
    return max(now, restart)


def should_send(kind: RhythmKind, now: datetime, pause: Pause | None) -> bool:
    """Whether a scheduled message of ``kind`` goes out at ``now`` (in the circle's time
    zone, so that ``now.date()`` is the local day): the recap always does."""
    if kind not in _KINDS:
        raise ValueError(f"unknown rhythm kind: {kind!r}")
    return kind not in SILENCED_DURING_PAUSE or not is_paused(pause, now.date())
