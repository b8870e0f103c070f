"""Proposals decided by consent: the answers, the rounds, the quorum and the outcome.

A member answers **d'accord**, **abstention**, **objection** (with a reason) or, where the
circle allows it, **blocage** (with a reason). A person's latest answer in the current round
counts; an amendment opens a new round, and earlier rounds' answers are history. An objection
chosen in an Element poll arrives without its reason: it waits (``is_pending``) and counts
for nothing, neither as an objection nor as an answer, until the reason is given.

At the close: **bloquée** if a block stands, else **à retravailler** if an objection stands,
else **adoptée** if the quorum is reached (default: at least one person of every structure
that has members; with no structure declared, at least one answer), else **sans quorum**.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.folding import fold

MIN_REASON_CHARS = 3
MAX_REASON_CHARS = 500
STORY_REFERENCE = re.compile(r"(?<![\w&])#(\d{1,9})\b")


class Answer(StrEnum):
    AGREE = "accord"
    ABSTAIN = "abstention"
    OBJECT = "objection"
    BLOCK = "blocage"

    @property
    def needs_reason(self) -> bool:
        return self in (Answer.OBJECT, Answer.BLOCK)


class Outcome(StrEnum):
    ADOPTED = "adoptee"
    REWORK = "a_retravailler"
    BLOCKED = "bloquee"
    NO_QUORUM = "sans_quorum"
    WITHDRAWN = "retiree"  # its message deleted before the close: never decided


# Folded words a member may type for each answer (French and English).
ANSWER_WORDS: dict[str, Answer] = {
    "d'accord": Answer.AGREE,
    "daccord": Answer.AGREE,
    "accord": Answer.AGREE,
    "ok": Answer.AGREE,
    "oui": Answer.AGREE,
    "consens": Answer.AGREE,
    "agree": Answer.AGREE,
    "consent": Answer.AGREE,
    "abstention": Answer.ABSTAIN,
    "abstiens": Answer.ABSTAIN,
    "abstain": Answer.ABSTAIN,
    "objection": Answer.OBJECT,
    "objecte": Answer.OBJECT,
    "oppose": Answer.OBJECT,
    "object": Answer.OBJECT,
    "blocage": Answer.BLOCK,
    "bloque": Answer.BLOCK,
    "block": Answer.BLOCK,
}


class ConsentError(ValueError):
    """An answer the rule refuses; ``code`` names the prompt (``no_reason``, ``blocking_off``,
    ``unknown_answer``, ``reason_too_long``)."""

    def __init__(self, code: str, **data: object) -> None:
        super().__init__(code, data)
        self.code = code
        self.data = data


@dataclass(frozen=True)
class ConsentAnswer:
    """One answer given in one round; ``reason`` is None for an objection still waiting for it."""

    member: str
    answer: Answer
    reason: str | None
    round: int
    answered_at: datetime
    event_id: str

    @property
    def is_pending(self) -> bool:
        """An objection or a block chosen in a poll whose reason has not come yet."""
        return self.answer.needs_reason and not self.reason


@dataclass(frozen=True)
class Quorum:
    """Who must have answered: one person per structure (``people`` None), or ``people``."""

    people: int | None = None

    @staticmethod
    def parse(value: object) -> Quorum:
        """``"structures"`` or a whole number of people (at least 1); ValueError otherwise."""
        if isinstance(value, str) and fold(value.strip()) == "structures":
            return Quorum()
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return Quorum(value)
        raise ValueError(value)


@dataclass(frozen=True)
class ConsentState:
    """A round as it stands: the answers that count, the pending ones, the quorum."""

    counted: dict[str, ConsentAnswer]
    pending: dict[str, ConsentAnswer]
    missing_structures: list[str]
    quorum_reached: bool

    def of(self, answer: Answer) -> list[ConsentAnswer]:
        """The counted answers of one kind, in the order given."""
        chosen = [a for a in self.counted.values() if a.answer is answer]
        return sorted(chosen, key=lambda a: (a.answered_at, a.event_id))

    @property
    def outcome(self) -> Outcome:
        if self.of(Answer.BLOCK):
            return Outcome.BLOCKED
        if self.of(Answer.OBJECT):
            return Outcome.REWORK
        return Outcome.ADOPTED if self.quorum_reached else Outcome.NO_QUORUM


def parse_answer(text: str, blocking_allowed: bool) -> tuple[Answer, str | None]:
    """The answer and its reason in « objection ce n'est pas le moment » (the words after
    ``!proposition 3``).

    >>> parse_answer("objection trop cher pour nous", False)
    (<Answer.OBJECT: 'objection'>, 'trop cher pour nous')
    >>> parse_answer("je m'abstiens", False), parse_answer("d accord", False)
    ((<Answer.ABSTAIN: 'abstention'>, None), (<Answer.AGREE: 'accord'>, None))
    """
    cleaned = text.strip().replace("’", "'")
    # « je suis d'accord », « je m'abstiens », « d accord » typed on a phone without its apostrophe.
    spoken = re.sub(r"(?i)^je\s+(?:suis\s+|m'\s*)?", "", cleaned)
    glued = re.sub(r"(?i)^d\s*'?\s*accord\b", "d'accord", spoken)
    word, _, rest = glued.partition(" ")
    answer = ANSWER_WORDS.get(fold(word).rstrip(".,;:!"))
    if answer is None:
        raise ConsentError("unknown_answer", word=word)
    reason = " ".join(rest.lstrip(" :,-–—").split()) or None
    return answer, check_reason(answer, reason, blocking_allowed)


def is_answer(text: str) -> bool:
    """Whether ``text`` starts with an answer word (« d'accord », « objection »…)."""
    try:
        parse_answer(text, blocking_allowed=True)
    except ConsentError as exc:
        return exc.code != "unknown_answer"
    return True


def check_reason(answer: Answer, reason: str | None, blocking_allowed: bool) -> str | None:
    """The reason kept with ``answer``; refused when a needed one is missing or too short."""
    if answer is Answer.BLOCK and not blocking_allowed:
        raise ConsentError("blocking_off")
    if reason is not None and len(reason) > MAX_REASON_CHARS:
        raise ConsentError("reason_too_long", limit=MAX_REASON_CHARS)
    if answer.needs_reason and not _is_a_reason(reason):
        raise ConsentError("no_reason", answer=answer.value)
    return reason


def _is_a_reason(reason: str | None) -> bool:
    return (
        reason is not None
        and len(reason) >= MIN_REASON_CHARS
        and any(ch.isalpha() for ch in reason)
    )


def latest_answers(answers: Iterable[ConsentAnswer], round_: int) -> dict[str, ConsentAnswer]:
    """Each member's latest answer in round ``round_`` (later time, then greater event id)."""
    latest: dict[str, ConsentAnswer] = {}
    for answer in answers:
        if answer.round != round_:
            continue
        kept = latest.get(answer.member)
        if kept is None or (answer.answered_at, answer.event_id) > (
            kept.answered_at,
            kept.event_id,
        ):
            latest[answer.member] = answer
    return latest


def consent_state(
    answers: Iterable[ConsentAnswer],
    round_: int,
    structures: Mapping[str, Iterable[str]],
    quorum: Quorum,
) -> ConsentState:
    """Where round ``round_`` stands; ``structures`` maps each declared structure to its
    members (members without a structure are in none)."""
    latest = latest_answers(answers, round_)
    counted = {m: a for m, a in latest.items() if not a.is_pending}
    pending = {m: a for m, a in latest.items() if a.is_pending}
    groups = {name: set(members) for name, members in structures.items()}
    missing = sorted(
        (name for name, members in groups.items() if members and not members & set(counted)),
        key=fold,
    )
    if quorum.people is not None:
        reached = len(counted) >= quorum.people
    else:
        reached = bool(counted) and not missing
    return ConsentState(counted, pending, missing, reached)


def cited_stories(text: str) -> list[int]:
    """The story numbers a proposal's text cites, in order, once each.

    >>> cited_stories("Adopter #12 et #3 (voir #12) #planning")
    [12, 3]
    """
    return list(dict.fromkeys(int(n) for n in STORY_REFERENCE.findall(text)))
