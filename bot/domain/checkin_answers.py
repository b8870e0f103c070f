"""What check-in answers bring up: candidate blockers and story ideas.

The recap of a check-in proposes them to the circle (« à noter avec !frein »), so a
miss costs more than a false hit; still, ordinary news (« Soleil ☀️ », « J'ai testé
Nextcloud ») must stay out. Light text heuristics, on folded text (no case, no
accents), sentence by sentence:

- an answer given by the number or the emoji of a question is that question's kind:
  « 3. pas de salle », « 🧱 pas de salle », « 4) un agenda partagé » ;
- a sentence that looks like a story or a wish is a story idea: « En tant que … »,
  « J'aimerais … », « Il faudrait … », "As a …", "I would like …"; it wins over a
  blocker word, since a story is what a blocker becomes ;
- a sentence that starts with a blocker word is a blocker: « Frein : pas de wifi »,
  « Le manque de temps », « Par contre on bloque sur les inscriptions » (a leading
  « mais », « par contre »… is skipped) ;
- « <heading> : <text> » keeps only the text (« Frein : pas de salle ») ;
- a heading alone (« Ce qui me bloque : », « 3. ») makes the next lines of the same
  paragraph blockers (or story ideas after « Un usage que j'aimerais : ») ;
- answers that say "nothing" (« rien », « RAS », « aucun ») are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.domain.folding import fold

FindingKind = Literal["blocker", "story"]

# The check-in questions in prompts/<lang>/rhythm.yaml (``checkin.questions``): the
# third asks what blocks, the fourth for a wished usage, marked 🧱 and 💡.
QUESTION_KINDS: Mapping[int, FindingKind] = {3: "blocker", 4: "story"}
EMOJI_KINDS: Mapping[str, FindingKind] = {"🧱": "blocker", "🚧": "blocker", "💡": "story"}


@dataclass
class Findings:
    """Candidate blockers and story ideas spotted in check-in answers, to propose."""

    blockers: list[str] = field(default_factory=list)
    story_ideas: list[str] = field(default_factory=list)


# fmt: off
_BLOCKER_WORDS = (
    "ce qui me bloque", "ce qui bloque", "ce qui me freine", "frein", "bloque", "blocage",
    "difficile", "difficulte", "probleme", "manque", "obstacle", "je bloque", "j'ai du mal",
    "on bloque", "nous bloquons", "on est bloque", "je suis bloque", "nous sommes bloque",
    "on a du mal", "nous avons du mal", "je galere", "on galere", "galere", "il manque",
    "il nous manque", "on manque", "nous manquons", "pas assez de", "pas le temps",
    "pas de temps", "impossible de", "complique", "dur de", "souci", "soucis",
    "what blocks me", "blocker", "blocked", "problem", "difficult", "hard to", "lack",
    "we lack", "stuck", "i'm stuck", "we're stuck", "struggling", "not enough",
)
_STORY_WORDS = (
    "en tant que", "en tant qu'", "j'aimerais", "je souhaite", "je voudrais",
    "on aimerait", "nous aimerions", "on voudrait", "nous voudrions", "on souhaite",
    "nous souhaitons", "il faudrait", "ce serait bien", "ca serait bien", "ce serait top",
    "j'ai besoin", "on a besoin", "nous avons besoin", "besoin d'", "besoin de",
    "as a ", "as an ", "i would like", "i'd like", "i wish", "we would like", "we'd like",
    "it would be nice", "i need", "we need",
)
_BLOCKER_HEADINGS = (
    "ce qui me bloque", "ce qui bloque", "ce qui me freine", "frein", "freins", "blocage",
    "blocages", "difficulte", "difficultes", "probleme", "problemes", "obstacle",
    "obstacles", "what blocks me", "blocker", "blockers",
)
_STORY_HEADINGS = (
    "un usage que j'aimerais", "usage que j'aimerais", "usage souhaite", "usage", "usages",
    "idee", "idees", "envie", "envies", "histoire", "a usage i would like",
    "usage i would like", "idea", "ideas", "story", "wish",
)
_CONNECTORS = (
    "mais", "par contre", "en revanche", "cependant", "toutefois", "et", "sinon",
    "du coup", "en fait", "aussi", "enfin", "but", "however", "and", "also",
)
# fmt: on
_HEADINGS: dict[str, FindingKind] = {
    **dict.fromkeys(_BLOCKER_HEADINGS, "blocker"),
    **dict.fromkeys(_STORY_HEADINGS, "story"),
}
_ARTICLE = re.compile(r"^(?:(?:le|la|les|un|une|des|du|mon|ma|mes|the|a|an|my)\s+|l')")
_CONNECTOR = re.compile(
    r"^(?:" + "|".join(re.escape(word) for word in _CONNECTORS) + r")\b[\s,]*", re.IGNORECASE
)
_NUMBER = re.compile(r"^\s*(?P<n>\d{1,2})\s*(?:[.)/°-]|\s+-)(?!\d)\s*")
_BULLET = re.compile(r"^\s*[-*•·–—>]+\s*")
_EMOJI = re.compile(r"^\s*(?P<emoji>" + "|".join(map(re.escape, EMOJI_KINDS)) + r")\ufe0f?\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_NOTHING = re.compile(
    r"^(?:rien(?: de (?:special|particulier|neuf))?|aucun|aucune|ras|r\.a\.s\.?|neant"
    r"|pas grand[- ]chose|nothing|none|n/a|-)\W*$"
)
_LABELLED = re.compile(r"^(?P<label>[^:]{1,40}?)\s*:\s*(?P<rest>.*)$")
_TRAILING = " .!?…;,"


def answers_findings(
    answers: Sequence[str], question_kinds: Mapping[int, FindingKind] = QUESTION_KINDS
) -> Findings:
    """Spot candidate blockers and story ideas in check-in answers.

    >>> answers_findings(["Frein : pas de salle\\nJ'aimerais un agenda partagé"])
    Findings(blockers=['pas de salle'], story_ideas=["J'aimerais un agenda partagé"])
    >>> answers_findings(["1. Soleil\\n3. Pas de salle le soir\\n4. Un agenda partagé"])
    Findings(blockers=['Pas de salle le soir'], story_ideas=['Un agenda partagé'])
    """
    findings = Findings()
    seen: set[tuple[FindingKind, str]] = set()
    for answer in answers:
        section: FindingKind | None = None
        under_heading = False  # a section opened by a heading, not by a question number
        for raw_line in _lines(answer):
            marked, line = _marker(raw_line, question_kinds, keep_numbers=under_heading)
            if not line and marked is None:
                section, under_heading = None, False  # a blank line ends a paragraph
                continue
            if marked is not None or (_NUMBER.match(raw_line) and not under_heading):
                section, under_heading = marked, False  # an answer to another question
            for kind, text in _line_findings(line, section):
                key = (kind, fold(text).rstrip(_TRAILING))
                if key not in seen:
                    seen.add(key)
                    (findings.blockers if kind == "blocker" else findings.story_ideas).append(text)
            if (heading := _heading_alone(line)) is not None:
                section, under_heading = heading, True
    return findings


def _lines(answer: str) -> list[str]:
    """The answer's lines; « 1. ça va 2. on a testé… 3. … » on one line is split at its
    numbers when they follow each other from the first (phones rarely get line breaks)."""
    lines: list[str] = []
    for line in answer.splitlines():
        first = _NUMBER.match(line)
        if first is None:
            lines.append(line)
            continue
        parts: list[str] = []
        start, position = 0, first.end()
        expected = int(first["n"]) + 1
        while found := re.compile(rf"\s{expected}\s*[.)]\s").search(line, position):
            parts.append(line[start : found.start()])
            start, position, expected = found.start() + 1, found.end(), expected + 1
        parts.append(line[start:])
        # « 2. on était 3. Super » is one answer: a run must start at 1 or be long
        lines.extend(parts if first["n"] == "1" or len(parts) > 2 else [line])
    return lines


def _marker(
    raw_line: str, question_kinds: Mapping[int, FindingKind], keep_numbers: bool
) -> tuple[FindingKind | None, str]:
    """The kind a line's question number or emoji gives it, and the line without it.

    Under a heading (``keep_numbers``), numbers are a list's, not the questions'.
    """
    if number := _NUMBER.match(raw_line):
        kind = None if keep_numbers else question_kinds.get(int(number["n"]))
        return kind, raw_line[number.end() :].strip()
    if emoji := _EMOJI.match(raw_line):
        return EMOJI_KINDS[emoji["emoji"]], raw_line[emoji.end() :].strip()
    return None, _BULLET.sub("", raw_line).strip()


def _line_findings(line: str, section: FindingKind | None) -> list[tuple[FindingKind, str]]:
    """The findings in one line; ``section`` is the kind of the question it answers."""
    if not line:
        return []
    if labelled := _LABELLED.match(line):
        heading_kind = _HEADINGS.get(_comparable(labelled["label"]))
        if heading_kind is not None:
            rest = labelled["rest"].strip()
            if not rest:
                return []  # a heading alone: see _heading_alone
            if not _says_something(rest):
                return []
            return [(_starts_with_kind(rest) or heading_kind, rest)]
    if section is not None:
        # The whole line answers a blocker or usage question: keep it whole.
        return [(_starts_with_kind(line) or section, line)] if _says_something(line) else []
    found: list[tuple[FindingKind, str]] = []
    for sentence in _SENTENCE_END.split(line):
        sentence = sentence.strip()
        kind = _starts_with_kind(sentence)
        if kind is not None and _says_something(sentence):
            found.append((kind, _without_connector(sentence)))
    return found


def _without_connector(sentence: str) -> str:
    """« Par contre on galère… » → « On galère… »: the link to the previous sentence goes."""
    rest = _CONNECTOR.sub("", sentence, count=1)
    if rest == sentence or not rest:
        return sentence
    return rest[0].upper() + rest[1:]


def _heading_alone(line: str) -> FindingKind | None:
    labelled = _LABELLED.match(line)
    if labelled and not labelled["rest"].strip():
        return _HEADINGS.get(_comparable(labelled["label"]))
    return None


def _says_something(text: str) -> bool:
    return not _NOTHING.match(fold(text))


def _starts_with_kind(text: str) -> FindingKind | None:
    comparable = _comparable(text)
    if comparable.startswith(_STORY_WORDS):
        return "story"
    if comparable.startswith(_BLOCKER_WORDS):
        return "blocker"
    return None


def _comparable(text: str) -> str:
    folded = fold(text).replace("’", "'").strip()
    folded = _CONNECTOR.sub("", folded)
    return _ARTICLE.sub("", folded)
