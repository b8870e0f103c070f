"""Ballots of a prioritisation vote: dot ballots (« !vote 3 7 7 ») and impact/cost scores."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.domain.folding import fold

BallotSource = Literal["text", "poll", "dm"]

SCORE_MIN = 1
SCORE_MAX = 5

IMPACT_WORDS = frozenset({"impact"})
COST_WORDS = frozenset({"cout", "cost"})


class BallotError(ValueError):
    """A ballot the bot cannot count; ``code`` names the prompt, ``data`` fills it in."""

    def __init__(self, code: str, **data: object) -> None:
        super().__init__(code, data)
        self.code = code
        self.data = data


@dataclass(frozen=True)
class DotBallot:
    """One voter's points, story number → points; a later ballot replaces the earlier."""

    voter: str
    points: dict[int, int]
    cast_at: datetime
    source: BallotSource
    event_id: str

    @property
    def points_given(self) -> int:
        return sum(self.points.values())


@dataclass(frozen=True)
class ScoreBallot:
    """One voter's impact and cost for one story, each on the 1–5 scale."""

    voter: str
    story: int
    impact: int
    cost: int
    cast_at: datetime
    source: BallotSource
    event_id: str


def points_from_point_polls(answers: dict[int, int | None], candidates: set[int]) -> dict[int, int]:
    """A poll ballot: one point per point poll answered, to the story chosen there.

    Element shows every poll as single choice, so N points are N polls (« point 1 sur 3 »…);
    choosing the same story in two of them gives it two points.

    >>> points_from_point_polls({1: 7, 2: 7, 3: 12}, {7, 12})
    {7: 2, 12: 1}
    """
    chosen = [story for story in answers.values() if story is not None and story in candidates]
    return dict(sorted(Counter(chosen).items()))


_SEPARATORS = re.compile(r"[\s,;]+")
_STORY_NUMBER = re.compile(r"#?(\d{1,9})")


def parse_dot_ballot(args: str, points_allowed: int, candidates: set[int]) -> dict[int, int]:
    """Points per story from « 3 7 12 », « #3, #7 #7 » (a repeated number stacks its points).

    >>> parse_dot_ballot("#3 7 7", 3, {3, 7, 12})
    {3: 1, 7: 2}

    Fewer points than allowed is a valid, partial ballot.
    Raises BallotError: ``empty``; ``not_a_number`` (token); ``not_a_candidate`` (number);
    ``too_many_points`` (given, allowed).
    """
    tokens = [token for token in _SEPARATORS.split(_join_hashes(args)) if token]
    if not tokens:
        raise BallotError("empty")
    numbers: list[int] = []
    for token in tokens:
        match = _STORY_NUMBER.fullmatch(token)
        if match is None:
            raise BallotError("not_a_number", token=token)
        numbers.append(int(match.group(1)))
    for number in numbers:
        if number not in candidates:
            raise BallotError("not_a_candidate", number=number)
    if len(numbers) > points_allowed:
        raise BallotError("too_many_points", given=len(numbers), allowed=points_allowed)
    return dict(Counter(numbers))


def is_score_ballot(args: str) -> bool:
    """Whether the ballot text speaks of impact or cost (« 7 impact 4 coût 2 »)."""
    return any(word in IMPACT_WORDS | COST_WORDS for word in _WORD.findall(fold(args)))


_WORD = re.compile(r"[a-z]+")
_SCORE_TOKEN = re.compile(r"[a-z]+|-?\d+|#")


def parse_score_ballot(args: str, candidates: set[int]) -> tuple[int, int, int]:
    """(story, impact, cost) from « 7 impact 4 coût 2 », « #7 coût 2 impact 4 ».

    Also "7 impact 4 cost 2"; case, accents, « : » and commas do not matter.

    Raises BallotError: ``bad_form``; ``missing_impact`` / ``missing_cost`` (number);
    ``not_a_candidate`` (number);
    ``score_out_of_range`` (field: "impact" | "cost", value, min, max).
    """
    story: int | None = None
    scores: dict[str, int] = {}
    tokens = [token for token in _SCORE_TOKEN.findall(fold(args)) if token != "#"]
    position = 0
    while position < len(tokens):
        token = tokens[position]
        field = _score_field(token)
        if field is not None:
            if field in scores or position + 1 >= len(tokens) or not _is_int(tokens[position + 1]):
                raise BallotError("bad_form")
            scores[field] = int(tokens[position + 1])
            position += 2
            continue
        if not _is_int(token) or story is not None:
            raise BallotError("bad_form")
        story = int(token)
        position += 1
    if story is None or not scores:
        raise BallotError("bad_form")
    if set(scores) != {"impact", "cost"}:
        raise BallotError("missing_cost" if "impact" in scores else "missing_impact", number=story)
    if story not in candidates:
        raise BallotError("not_a_candidate", number=story)
    for field in ("impact", "cost"):
        if not SCORE_MIN <= scores[field] <= SCORE_MAX:
            raise BallotError(
                "score_out_of_range", field=field, value=scores[field], min=SCORE_MIN, max=SCORE_MAX
            )
    return story, scores["impact"], scores["cost"]


def _join_hashes(args: str) -> str:
    # « # 3 » is « #3 », typed on a phone.
    return re.sub(r"#\s+(?=\d)", "#", args)


def _score_field(word: str) -> str | None:
    if word in IMPACT_WORDS:
        return "impact"
    if word in COST_WORDS:
        return "cost"
    return None


def _is_int(token: str) -> bool:
    return bool(re.fullmatch(r"-?\d+", token))
