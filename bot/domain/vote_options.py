"""The options of « !vote ouvrir [points N] [impact] [jusqu'au DATE] [histoires 3 7 12] »."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.dates import parse_when
from bot.domain.folding import fold

VoteKind = Literal["dots", "scores"]

DEFAULT_POINTS = 3
MIN_POINTS = 1
MAX_POINTS = 20
DEFAULT_DURATION = timedelta(days=7)
# A deadline typed without a time closes at the end of that day.
DAY_END = time(23, 59)

POINTS_WORDS = frozenset({"points", "point", "pts", "pt"})
SCORES_WORDS = frozenset({"impact", "score", "scores", "cout", "cost"})
DEADLINE_WORDS = frozenset(
    {"jusqu'au", "jusqu'a", "jusque", "jusqu'", "jusqu", "until", "till", "au"}
)
STORIES_WORDS = frozenset({"histoires", "histoire", "stories", "story"})
_KEYWORDS = POINTS_WORDS | SCORES_WORDS | DEADLINE_WORDS | STORIES_WORDS


class VoteOptionError(ValueError):
    """An option of « !vote ouvrir » the bot cannot use; ``code`` names the prompt."""

    def __init__(self, code: str, **data: object) -> None:
        super().__init__(code, data)
        self.code = code
        self.data = data


@dataclass(frozen=True)
class VoteOptions:
    """How a vote runs; ``stories`` None means every proposed story."""

    kind: VoteKind
    points: int
    closes_at: datetime
    stories: list[int] | None


_STORY_NUMBER = re.compile(r"#?(\d{1,9})")


def parse_vote_options(args: str, now: datetime, tz: str, lang: str) -> VoteOptions:
    """Read the options after « !vote ouvrir », in any order, French or English words.

    >>> paris = ZoneInfo("Europe/Paris")
    >>> parse_vote_options("impact jusqu'au 1/12", datetime(2026, 11, 20, tzinfo=paris),
    ...                    "Europe/Paris", "fr").closes_at.isoformat()
    '2026-12-01T23:59:00+01:00'

    Defaults: dot voting, 3 points, closing 7 days after ``now``.
    Raises VoteOptionError: ``bad_points`` (value, min, max); ``bad_date`` (text);
    ``date_in_past`` (closes_at); ``unknown_word`` (word); ``no_stories_listed``.
    """
    kind: VoteKind = "dots"
    points = DEFAULT_POINTS
    closes_at = now.astimezone(ZoneInfo(tz)) + DEFAULT_DURATION
    stories: list[int] | None = None

    words = _words(args)
    folded = [fold(word) for word in words]
    position = 0
    while position < len(words):
        word = folded[position]
        if word in POINTS_WORDS:
            value = words[position + 1] if position + 1 < len(words) else ""
            points = _points(value)
            position += 2
        elif position + 1 < len(words) and folded[position + 1] in POINTS_WORDS:
            points = _points(words[position])  # « 5 points »
            position += 2
        elif word in SCORES_WORDS:
            kind = "scores"
            position += 1
        elif word in STORIES_WORDS:
            position += 1
            listed: list[int] = []
            while position < len(words) and (match := _STORY_NUMBER.fullmatch(words[position])):
                listed.append(int(match.group(1)))
                position += 1
            if not listed:
                raise VoteOptionError("no_stories_listed")
            stories = list(dict.fromkeys(listed))
        elif word in DEADLINE_WORDS:
            position += 1
            start = position
            while position < len(words) and not _starts_a_clause(folded, position):
                position += 1
            closes_at = _deadline(" ".join(words[start:position]), now, tz, lang)
        else:
            raise VoteOptionError("unknown_word", word=words[position])
    return VoteOptions(kind=kind, points=points, closes_at=closes_at, stories=stories)


def _words(args: str) -> list[str]:
    """Split on blanks and commas, gluing « jusqu' au » back into one word."""
    text = re.sub(r"(?i)\b(jusqu)\s*['’]?\s*(au|a|à)\b", r"\1'\2", args.replace("’", "'"))
    return [word for word in re.split(r"[\s,;]+", text) if word]


def _starts_a_clause(folded: list[str], position: int) -> bool:
    if folded[position] in _KEYWORDS:
        return True
    # « 5 points » after a date: the number belongs to the points, not to the date.
    return (
        folded[position].isdigit()
        and position + 1 < len(folded)
        and folded[position + 1] in POINTS_WORDS
    )


def _points(value: str) -> int:
    if not re.fullmatch(r"\d{1,3}", value) or not MIN_POINTS <= int(value) <= MAX_POINTS:
        raise VoteOptionError("bad_points", value=value, min=MIN_POINTS, max=MAX_POINTS)
    return int(value)


def _deadline(text: str, now: datetime, tz: str, lang: str) -> datetime:
    when = parse_when(text, now, tz, lang) if text else None
    if when is None:
        raise VoteOptionError("bad_date", text=text)
    closes_at = when.with_default_time(DAY_END)
    if closes_at <= now:
        raise VoteOptionError("date_in_past", closes_at=closes_at)
    return closes_at
