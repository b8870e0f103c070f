"""The monthly check-in: its timeline, its reminder, and what its answers bring up.

A check-in opens (the questions are posted), sends one reminder after
``remind_after_days`` to members who have not answered, and closes after
``close_after_days`` with a recap. Durations are counted in the circle's local
calendar: opened on Monday 10:00, it reminds on Thursday 10:00 even across a
daylight-saving change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal, NamedTuple

from bot.domain.folding import fold
from bot.domain.structures import absent_structures

DEFAULT_REMIND_AFTER_DAYS = 3
DEFAULT_CLOSE_AFTER_DAYS = 7

CheckinStatus = Literal["open", "closed"]
CheckinStep = Literal["remind", "close"]
FindingKind = Literal["blocker", "story"]


@dataclass
class Checkin:
    """One monthly check-in of a circle, numbered per circle."""

    number: int
    circle_id: str
    opened_at: datetime
    remind_at: datetime
    closes_at: datetime
    status: CheckinStatus = "open"
    root_event_id: str | None = None
    reminded: bool = False


def open_checkin(
    now: datetime,
    *,
    number: int = 0,
    circle_id: str = "",
    remind_after_days: int = DEFAULT_REMIND_AFTER_DAYS,
    close_after_days: int = DEFAULT_CLOSE_AFTER_DAYS,
) -> Checkin:
    """A check-in opened at ``now`` (timezone-aware, in the circle's time zone).

    The reminder and the close fall at the same local time ``remind_after_days`` and
    ``close_after_days`` later. ``number`` and ``circle_id`` are the store's to assign.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not 0 < remind_after_days < close_after_days:
        raise ValueError(
            f"need 0 < remind_after_days < close_after_days, "
            f"got {remind_after_days} and {close_after_days}"
        )
    return Checkin(
        number=number,
        circle_id=circle_id,
        opened_at=now,
        remind_at=_local_days_later(now, remind_after_days),
        closes_at=_local_days_later(now, close_after_days),
    )


def _local_days_later(moment: datetime, days: int) -> datetime:
    # Aware arithmetic keeps the wall-clock time in the same tzinfo (a local calendar day);
    # the UTC round trip fixes the offset and moves a wall time that does not exist.
    return (moment + timedelta(days=days)).astimezone(UTC).astimezone(moment.tzinfo)


def due_steps(checkin: Checkin, now: datetime) -> list[CheckinStep]:
    """What an open check-in still has to do at ``now``: ``remind``, ``close``, or nothing.

    After an outage that spans both times, only ``close`` is due: a reminder right before
    the close would be noise.
    """
    if checkin.status != "open":
        return []
    # Instants compare in UTC: datetimes sharing a tzinfo compare by wall time otherwise.
    now_utc = now.astimezone(UTC)
    if now_utc >= checkin.closes_at.astimezone(UTC):
        return ["close"]
    if not checkin.reminded and now_utc >= checkin.remind_at.astimezone(UTC):
        return ["remind"]
    return []


class ReminderTargets(NamedTuple):
    """Who the reminder mentions, and which structures have not answered at all."""

    users_to_ping: list[str]
    absent_structures: list[str]


def reminder_targets(
    members: Mapping[str, str | None], answered: set[str], bots: set[str]
) -> ReminderTargets:
    """Members who have not answered yet (bots left out), and structures still absent.

    ``members`` maps each member to their structure (``None`` if not declared).
    """
    people = {user: structure for user, structure in members.items() if user not in bots}
    to_ping = sorted(user for user in people if user not in answered)
    return ReminderTargets(to_ping, absent_structures(answered, people))


@dataclass
class Findings:
    """Candidate blockers and story ideas spotted in check-in answers, to propose."""

    blockers: list[str] = field(default_factory=list)
    story_ideas: list[str] = field(default_factory=list)


# Heuristics, matched on folded text at the start of a line (after an optional article):
# - a line that starts with a blocker word is a blocker: « Frein : pas de wifi »,
#   « Le manque de temps », « Bloqué par l'outil » ;
# - a line that looks like a story or a wish is a story idea: « En tant que … »,
#   « J'aimerais … », « Je souhaite … », "As a …", "I would like …"; it wins over a
#   blocker word, since a story is what a blocker becomes ;
# - a line « <heading> : <text> » keeps only the text (« Frein : pas de salle ») ;
# - a heading alone (« Ce qui me bloque : ») makes the next lines of the same paragraph
#   blockers (or story ideas after « Un usage que j'aimerais : ») ;
# - answers that say "nothing" (« rien », « RAS », « aucun ») are skipped.
# fmt: off
_BLOCKER_WORDS = (
    "ce qui me bloque", "ce qui bloque", "ce qui me freine", "frein", "bloque", "blocage",
    "difficile", "difficulte", "probleme", "manque", "obstacle", "je bloque", "j'ai du mal",
    "what blocks me", "blocker", "blocked", "problem", "difficult", "hard to", "lack",
)
_STORY_WORDS = (
    "en tant que", "en tant qu'", "j'aimerais", "je souhaite", "je voudrais",
    "as a ", "as an ", "i would like", "i'd like", "i wish",
)
_BLOCKER_HEADINGS = (
    "ce qui me bloque", "ce qui bloque", "ce qui me freine", "frein", "freins", "blocage",
    "blocages", "difficulte", "difficultes", "probleme", "problemes", "obstacle",
    "obstacles", "what blocks me", "blocker", "blockers",
)
_STORY_HEADINGS = (
    "un usage que j'aimerais", "usage que j'aimerais", "usage souhaite", "usage", "usages",
    "idee", "idees", "envie", "envies", "histoire", "a usage i would like",
    "usage i would like", "idea", "ideas", "story",
)
# fmt: on
_HEADINGS: dict[str, FindingKind] = {
    **dict.fromkeys(_BLOCKER_HEADINGS, "blocker"),
    **dict.fromkeys(_STORY_HEADINGS, "story"),
}
_ARTICLE = re.compile(r"^(?:(?:le|la|les|un|une|des|du|mon|ma|mes|the|a|an|my)\s+|l')")
_BULLET = re.compile(r"^\s*(?:[-*•·–—>]+|\d{1,2}[.)])\s*")
_NOTHING = re.compile(
    r"^(?:rien(?: de (?:special|particulier|neuf))?|aucun|aucune|ras|r\.a\.s\.?|neant"
    r"|pas grand[- ]chose|nothing|none|n/a|-)\W*$"
)
_LABELLED = re.compile(r"^(?P<label>[^:]{1,40}?)\s*:\s*(?P<rest>.*)$")


def answers_findings(answers: Sequence[str]) -> Findings:
    """Spot candidate blockers and story ideas in check-in answers (light text heuristics).

    >>> answers_findings(["Frein : pas de salle\\nJ'aimerais un agenda partagé"])
    Findings(blockers=['pas de salle'], story_ideas=["J'aimerais un agenda partagé"])
    """
    findings = Findings()
    seen: set[tuple[FindingKind, str]] = set()
    for answer in answers:
        section: FindingKind | None = None
        for raw_line in answer.splitlines():
            line = _BULLET.sub("", raw_line).strip()
            if not line:
                section = None
                continue
            kind, text, heading = _classify(line)
            if heading:
                section = kind
            if kind is None and section is not None and not heading:
                kind = section
            if kind is None or not text or _NOTHING.match(fold(text)):
                continue
            key = (kind, fold(text).rstrip(" .!?…;,"))
            if key in seen:
                continue
            seen.add(key)
            (findings.blockers if kind == "blocker" else findings.story_ideas).append(text)
    return findings


def _classify(line: str) -> tuple[FindingKind | None, str, bool]:
    """(kind, text to keep, whether the line is a heading alone) for one answer line."""
    if labelled := _LABELLED.match(line):
        heading_kind = _HEADINGS.get(_comparable(labelled["label"]))
        if heading_kind is not None:
            rest = labelled["rest"].strip()
            if not rest:
                return heading_kind, "", True
            return _starts_with_kind(rest) or heading_kind, rest, False
    return _starts_with_kind(line), line, False


def _starts_with_kind(text: str) -> FindingKind | None:
    comparable = _comparable(text)
    if comparable.startswith(_STORY_WORDS):
        return "story"
    if comparable.startswith(_BLOCKER_WORDS):
        return "blocker"
    return None


def _comparable(text: str) -> str:
    return _ARTICLE.sub("", fold(text).replace("’", "'").strip())
