"""The monthly rendez-vous: slots proposed in the circle's words, answers per slot, and the rule
that at least one pioneer of every structure takes part.

Pure: the time (``now``), the members, their structures and who is away are passed in.

>>> from zoneinfo import ZoneInfo
>>> now = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
>>> [s.isoformat() for s in parse_slots("mardi 8/12 18h, jeudi 10/12 12h30", now, "Europe/Paris")]
['2026-12-08T18:00:00+01:00', '2026-12-10T12:30:00+01:00']
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.dates import parse_when
from bot.domain.folding import fold
from bot.domain.structures import by_declared_structure

MIN_SLOTS = 2
MAX_SLOTS = 10
MAX_SLOT_TEXT = 60
# A day/month without year up to this many days ago is a slot in the past, not next year's.
PAST_WINDOW_DAYS = 60


class Answer(StrEnum):
    """What a member says of one slot, as Framadate users expect."""

    YES = "yes"
    IF_NEEDED = "if_needed"
    NO = "no"


class SlotError(ValueError):
    """A proposal the facilitator can fix. ``code``: ``too_few``, ``too_many``, ``unreadable``,
    ``no_time``, ``bad_time``, ``past``, ``twice``, ``weekday``; ``text`` the slot concerned."""

    def __init__(self, code: str, text: str = "", weekday: str = "") -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text
        self.weekday = weekday  # for ``weekday``: the day the date really is (a datetime's)
        self.day: datetime | None = None


_SEPARATORS = re.compile(r"\s*(?:[,;\n]|\bet\b|\band\b|\bou\b|\bor\b)\s*", re.IGNORECASE)
_CLOCK = re.compile(r"\b(\d{1,2})\s*(?:h|:)\s*(\d{1,2})?(?!\d)", re.IGNORECASE)
_NUMERIC_DAY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\d/])")
_WEEKDAY_WORD = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)


def split_slots(text: str) -> list[str]:
    """« mardi 8/12 18h, jeudi 10/12 12h30 » → its slots as typed (commas, « ; », lines)."""
    return [part.strip(" .") for part in _SEPARATORS.split(text) if part.strip(" .")]


def parse_slots(text: str, now: datetime, tz: str, lang: str = "fr") -> list[datetime]:
    """The 2–10 slots of a proposal, in the order typed, each aware in ``tz``.

    Raises ``SlotError`` naming the first slot that is unreadable, has no time, is past, or
    comes twice, or when there are fewer than 2 or more than 10.
    """
    parts = split_slots(text)
    if len(parts) > MAX_SLOTS:
        raise SlotError("too_many", str(len(parts)))
    slots: list[datetime] = []
    for part in parts:
        slot = parse_slot(part, now, tz, lang)
        if slot in slots:
            raise SlotError("twice", part)
        slots.append(slot)
    if len(slots) < MIN_SLOTS:
        raise SlotError("too_few", text.strip())
    return slots


def parse_slot(part: str, now: datetime, tz: str, lang: str = "fr") -> datetime:
    """One slot: « lundi 14/12 à 18 h », « demain 18h », "Tuesday 15 December 6pm"."""
    if len(part) > MAX_SLOT_TEXT:
        raise SlotError("unreadable", part[:MAX_SLOT_TEXT] + "…")
    if _impossible_clock(part):
        raise SlotError("bad_time", part)
    found = parse_when(part, now, tz, lang)
    if found is None:
        raise _why_unreadable(part, now, tz, lang)
    if not found.has_time:
        raise SlotError("no_time", part)
    if not _numeric_day_agrees(part, found.at):
        raise SlotError("unreadable", part)
    if found.at <= now or _rolled_to_next_year(part, found.at, now):
        raise SlotError("past", part)
    return found.at


def _rolled_to_next_year(part: str, at: datetime, now: datetime) -> bool:
    """« 30/11 18h » typed on 1 December is a slot just past, not one in eleven months."""
    match = _NUMERIC_DAY.search(part)
    if match is None or match.group(3) or at.year == now.year:
        return False
    try:
        ago = now - at.replace(year=now.year)
    except ValueError:  # 29 February
        return False
    return timedelta(0) <= ago < timedelta(days=PAST_WINDOW_DAYS)


def _impossible_clock(part: str) -> bool:
    """« 25h », « 18h75 »: dateparser would read something else into them."""
    for match in _CLOCK.finditer(fold(part)):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour > 23 or minute > 59:
            return True
    return False


def _numeric_day_agrees(part: str, at: datetime) -> bool:
    match = _NUMERIC_DAY.search(part)
    if match is None:
        return True
    return (int(match.group(1)), int(match.group(2))) == (at.day, at.month)


def _why_unreadable(part: str, now: datetime, tz: str, lang: str) -> SlotError:
    """« mardi 10/12 » when the 10th is a Thursday: say which day it is."""
    folded = fold(part)
    if _WEEKDAY_WORD.search(folded):
        without = _WEEKDAY_WORD.sub(" ", folded)
        found = parse_when(without, now, tz, lang)
        if found is not None:
            error = SlotError("weekday", part)
            error.day = found.at
            return error
    return SlotError("unreadable", part)


def rule_slots(meeting: datetime, tz: str) -> list[datetime]:
    """The date a monthly rule gives and two alternatives at the same wall time: the day after,
    and the same weekday a week later (« deuxième mardi » → Tuesday, Wednesday, next Tuesday).

    >>> from zoneinfo import ZoneInfo
    >>> at = datetime(2027, 3, 23, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
    >>> [s.isoformat() for s in rule_slots(at, "Europe/Paris")][2]
    '2027-03-30T18:00:00+02:00'
    """
    zone = ZoneInfo(tz)
    local = meeting.astimezone(zone)
    return [
        datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=zone)
        for days in (0, 1, 7)
    ]


def proposal_due(meeting: datetime, now: datetime, days_before: int) -> bool:
    """Whether the rule's next meeting is close enough to be proposed (or announced) now."""
    return meeting - timedelta(days=days_before) <= now < meeting


# ---- answers --------------------------------------------------------------------------------

_ANSWER_WORDS: dict[str, Answer] = {
    **dict.fromkeys(("oui", "yes", "o", "y", "ok", "dispo", "available"), Answer.YES),
    **dict.fromkeys(
        ("si-besoin", "sibesoin", "besoin", "peut-etre", "peutetre", "maybe", "if-needed",
         "ifneeded", "?", "~"),
        Answer.IF_NEEDED,
    ),
    **dict.fromkeys(("non", "no", "n", "x"), Answer.NO),
}  # fmt: skip
_GLUED_WORDS = (
    (re.compile(r"\bsi\s+besoin\b"), "si-besoin"),
    (re.compile(r"\bpeut\s+etre\b"), "peut-etre"),
    (re.compile(r"\bif\s+needed\b"), "if-needed"),
    (re.compile(r"\bin\s+case\b"), "if-needed"),
    (re.compile(r"\bpas\s+dispo\b"), "non"),
)
_TOKEN = re.compile(r"\d+|[a-z?~-]+")


class AnswerError(ValueError):
    """Answers that cannot be read: ``code`` is ``empty``, ``no_slot`` (``token`` the number),
    ``bad_word`` (``token`` the word), ``no_answer`` (``token`` the number left without)."""

    def __init__(self, code: str, token: str = "") -> None:
        super().__init__(f"{code}: {token!r}")
        self.code = code
        self.token = token


def parse_answers(text: str, slot_count: int) -> dict[int, Answer]:
    """« 1 oui 2 si-besoin 3 non », « 1 2 oui, 3 non », « oui 1 3 non 2 » → slot → answer.

    >>> parse_answers("1 oui 2 si besoin 3 non", 3)
    {1: <Answer.YES: 'yes'>, 2: <Answer.IF_NEEDED: 'if_needed'>, 3: <Answer.NO: 'no'>}
    """
    folded = fold(text).replace(":", " ").replace("=", " ")
    for pattern, glued in _GLUED_WORDS:
        folded = pattern.sub(glued, folded)
    tokens = _TOKEN.findall(folded)
    if not tokens:
        raise AnswerError("empty")
    for token in tokens:
        if token.isdigit() and not 1 <= int(token) <= slot_count:
            raise AnswerError("no_slot", token)
        if not token.isdigit() and token not in _ANSWER_WORDS:
            raise AnswerError("bad_word", token)
    if tokens[0].isdigit():
        return _numbers_then_word(tokens)
    return _word_then_numbers(tokens)


def _numbers_then_word(tokens: list[str]) -> dict[int, Answer]:
    answers: dict[int, Answer] = {}
    waiting: list[int] = []
    for token in tokens:
        if token.isdigit():
            waiting.append(int(token))
            continue
        if not waiting:
            raise AnswerError("bad_word", token)
        answers.update(dict.fromkeys(waiting, _ANSWER_WORDS[token]))
        waiting = []
    if waiting:
        raise AnswerError("no_answer", str(waiting[0]))
    return answers


def _word_then_numbers(tokens: list[str]) -> dict[int, Answer]:
    answers: dict[int, Answer] = {}
    current: Answer | None = None
    given = False
    for token in tokens:
        if not token.isdigit():
            if current is not None and not given:
                raise AnswerError("bad_word", token)
            current, given = _ANSWER_WORDS[token], False
            continue
        assert current is not None  # the first token is a word
        answers[int(token)] = current
        given = True
    if not given:
        raise AnswerError("empty")
    return answers


# ---- coverage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotCoverage:
    """Who can come to one slot, and which structures that covers."""

    slot: int
    yes: tuple[str, ...]
    if_needed: tuple[str, ...]
    covered_yes: tuple[str, ...]  # structures with at least one « yes »
    covered: tuple[str, ...]  # structures with at least one « yes » or « if needed »
    missing: tuple[str, ...]  # structures expected and not covered

    @property
    def people(self) -> int:
        return len(self.yes) + len(self.if_needed)

    @property
    def everyone_yes(self) -> bool:
        """Every expected structure has a « yes » here."""
        return not self.missing and len(self.covered_yes) == len(self.covered)


class Level(StrEnum):
    """How well the recommended slot meets the rule."""

    ALL_YES = "all_yes"  # every structure has a « yes »
    ALL_IF_NEEDED = "all_if_needed"  # every structure has a « yes » or an « if needed »
    PARTIAL = "partial"  # no slot covers everyone
    NOBODY = "nobody"  # no answer yet


@dataclass(frozen=True)
class Recommendation:
    slot: int | None
    level: Level
    missing: tuple[str, ...]  # structures the recommended slot leaves out


def expected_structures(members: Mapping[str, str | None], away: Iterable[str]) -> list[str]:
    """Structures the rule expects: those with at least one member who is not away."""
    away_set = set(away)
    present = {user: s for user, s in members.items() if user not in away_set}
    return sorted(by_declared_structure(present), key=lambda s: (fold(s), s))


def coverage(
    slots: Iterable[int],
    answers: Mapping[str, Mapping[int, Answer]],
    members: Mapping[str, str | None],
    away: Mapping[int, Collection[str]] | None = None,
) -> list[SlotCoverage]:
    """Per slot: who said yes / if needed, which structures that covers, which are missing.

    Only members count (someone who left the circle no longer does); a member who is away on
    a slot's day (``away``: slot → members away that day) neither counts nor is expected for
    that slot, but her structure still counts through the others.
    """
    away = away or {}
    result = []
    for slot in slots:
        away_then = set(away.get(slot, ()))
        expected = expected_structures(members, away_then)
        said = {
            user: given.get(slot)
            for user, given in answers.items()
            if user in members and user not in away_then
        }
        yes = tuple(sorted(u for u, a in said.items() if a is Answer.YES))
        maybe = tuple(sorted(u for u, a in said.items() if a is Answer.IF_NEEDED))
        covered_yes = {members[u] for u in yes if members[u]}
        covered = covered_yes | {members[u] for u in maybe if members[u]}
        result.append(
            SlotCoverage(
                slot=slot,
                yes=yes,
                if_needed=maybe,
                covered_yes=tuple(s for s in expected if s in covered_yes),
                covered=tuple(s for s in expected if s in covered),
                missing=tuple(s for s in expected if s not in covered),
            )
        )
    return result


def recommend(coverages: list[SlotCoverage]) -> Recommendation:
    """The slot where every structure has a « yes », else a « yes » or « if needed », ties
    broken by people (then the earliest); else the slot that covers the most structures."""
    answered = [c for c in coverages if c.people]
    if not answered:
        return Recommendation(None, Level.NOBODY, ())
    best = max(answered, key=_rank)
    if not best.missing:
        level = Level.ALL_YES if best.everyone_yes else Level.ALL_IF_NEEDED
    else:
        level = Level.PARTIAL
    return Recommendation(best.slot, level, best.missing)


def _rank(c: SlotCoverage) -> tuple[int, int, int, int, int, int]:
    complete = not c.missing
    return (
        int(complete and c.everyone_yes),
        int(complete),
        len(c.covered),
        len(c.covered_yes),
        len(c.yes) * 1000 + c.people,
        -c.slot,
    )


def uncovered_anywhere(coverages: list[SlotCoverage]) -> list[str]:
    """Structures no slot covers yet, among those expected on some slot (alphabetical)."""
    covered = {s for c in coverages for s in c.covered}
    missing = {s for c in coverages for s in c.missing if s not in covered}
    return sorted(missing, key=lambda s: (fold(s), s))


# ---- attendance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    """Who came to one rendez-vous, against the rule: each expected structure at least once."""

    present: dict[str, int]  # structure → how many of it came
    absent: tuple[str, ...]  # expected structures nobody came from
    people: int

    @property
    def rule_met(self) -> bool:
        return not self.absent


def attendance(attended: Mapping[str, str | None], expected: Iterable[str]) -> Attendance:
    """Participation per structure. ``attended``: who came → her structure on that day.

    >>> attendance({"@a": "Jardins", "@b": "Jardins", "@c": None}, ["Jardins", "Repair"])
    Attendance(present={'Jardins': 2}, absent=('Repair',), people=3)
    """
    present: dict[str, int] = {}
    for structure in attended.values():
        if structure:
            present[structure] = present.get(structure, 0) + 1
    folded = {fold(s) for s in present}
    absent = tuple(s for s in expected if fold(s) not in folded)
    return Attendance(dict(sorted(present.items(), key=lambda kv: fold(kv[0]))), absent,
                      len(attended))  # fmt: skip


def attendance_grid(
    months: Iterable[tuple[str, Mapping[str, str | None]]], structures: Iterable[str]
) -> dict[str, dict[str, int]]:
    """Structure → month → how many of it came to that month's rendez-vous (0: none came).

    ``months``: (``YYYY-MM``, who came → structure) for each rendez-vous held; two in the
    same month add up.
    """
    grid = {s: {} for s in structures}  # type: dict[str, dict[str, int]]
    keys = {fold(s): s for s in grid}
    for month, attended in months:
        for row in grid.values():
            row.setdefault(month, 0)
        for structure in attended.values():
            key = keys.get(fold(structure or ""))
            if key is not None:
                grid[key][month] += 1
    return grid
