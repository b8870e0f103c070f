"""Reading the form of a story part and putting its verb in the subjunctive.

A pioneer's answer to « Qu'est-ce que ça changerait ? » can be a clause (« on sait quoi
proposer »), an infinitive (« gagner du temps »), a noun phrase (« moins de mails »), an
adjective (« plus simple »)… ``read_part`` tells which and, for a clause, gives it with its
verb in the present subjunctive (« on sache quoi proposer »), as « afin que » requires.

Deterministic rules and word lists, no model: the need is a person or a determiner followed by
a finite verb; a determiner phrase counts as a clause only when a verb shows in it (an
irregular form, « -ent » after a plural, a common verb, a clitic « ne » / « se »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.domain import french_words as words
from bot.domain.folding import fold
from bot.domain.french_verbs import (
    is_infinitive,
    is_irregular_form,
    subjunctive,
)

# Shapes of a part.
CLAUSE: Final = "clause"  # « on sait quoi proposer »
INFINITIVE: Final = "infinitive"  # « gagner du temps », « ne plus rater »
NOUN: Final = "noun"  # « moins de mails », « une meilleure organisation »
ADJECTIVE: Final = "adjective"  # « plus simple »
ADVERB: Final = "adverb"  # « plus vite »
PARTICIPLE: Final = "participle"  # « informés à temps »
OTHER: Final = "other"


@dataclass(frozen=True)
class Reading:
    """What ``read_part`` understood: the shape and the text to write after the connector."""

    shape: str
    text: str


# Words a part may begin with before its real start: « que », « parce que », « comme ça »…
_LEADS: Final = re.compile(
    r"^\s*(?:(?:parce\s+)?qu(?:e\s+|['’]\s*)|car\s+|comme\s+(?:ça|ca|cela)[\s,]+|ainsi[\s,]+"
    r"|du\s+coup[\s,]+|alors[\s,]+)",
    re.IGNORECASE,
)
_TOKEN: Final = re.compile(r"[^\W_]+(?:-[^\W_]+)*['’]?")


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return fold(self.text).replace("’", "'")


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def strip_lead(text: str) -> tuple[str, bool]:
    """« que tout le monde puisse… » → (« tout le monde puisse… », True)."""
    match = _LEADS.match(text)
    if match is None or not text[match.end() :].strip():
        return text, False
    return text[match.end() :], True


def read_part(text: str) -> Reading:
    """The shape of a need or benefit and its text ready for a connector.

    >>> read_part("on sait quoi proposer")
    Reading(shape='clause', text='on sache quoi proposer')
    >>> read_part("Moins de mails").text, read_part("gagner du temps").shape
    ('moins de mails', 'infinitive')
    """
    body, had_que = strip_lead(text.strip())
    body = _lower_first(body.strip())
    clause = subjunctive_clause(body)
    if clause is not None:
        return Reading(CLAUSE, clause)
    if had_que:
        return Reading(CLAUSE if _tokens(body) else OTHER, body)
    tokens = _tokens(body)
    if not tokens:
        return Reading(OTHER, body)
    return Reading(_shape_without_verb(tokens), body)


def _shape_without_verb(tokens: list[_Token]) -> str:
    keys = [token.key for token in tokens]
    if _starts_with_infinitive(keys):
        return INFINITIVE
    first, second = keys[0], keys[1] if len(keys) > 1 else ""
    if first in words.QUANTITIES and ("de" in keys[1:3] or "d'" in keys[1:3]):
        return NOUN  # « moins de mails », « un peu plus de monde »
    if first in ("zero", "aucun", "aucune"):
        return NOUN
    if first in words.DEGREES and second:
        if second in words.ADVERBS or second.endswith("ment"):
            return ADVERB
        return ADJECTIVE if _is_neutral(tokens[1].text) else PARTICIPLE
    if first in ("mieux", "vite") and not second:
        return ADVERB
    if first in words.DETERMINERS:
        return NOUN
    if _is_participle(tokens[0].text):
        return PARTICIPLE  # « informés à temps »
    return OTHER


def _is_participle(word: str) -> bool:
    """« informés », « prévenue »: a feminine or plural past participle (« activités » is no)."""
    lowered = word.casefold()
    return (
        lowered.endswith(("és", "ée", "ées"))
        and not lowered.endswith(("ités", "été", "étés"))
        and fold(lowered) not in words.NOUNS_IN_EE
    )


def _is_neutral(adjective: str) -> bool:
    """True for a masculine singular adjective (« simple », « clair »), that fits « ce soit »."""
    word = adjective.casefold()
    return not word.endswith(("s", "x", "ée", "euse", "ive", "elle", "enne", "ette"))


def _starts_with_infinitive(keys: list[str]) -> bool:
    for position, key in enumerate(keys[:5]):
        if is_infinitive(key):
            return position == 0 or keys[0] not in ("le", "la", "les", "l'") or key[-2:] == "er"
        if key not in words.INFINITIVE_LEADS:
            return False
    return False


def _lower_first(text: str) -> str:
    tokens = _tokens(text)
    if not tokens:
        return text
    first = tokens[0]
    word = first.text
    if not (word[:1].isupper() and word[1:] == word[1:].lower()):
        return text
    key = first.key
    common = (
        key in words.PRONOUNS_FOLDED
        or key in words.MAYBE_PRONOUNS
        or key in words.DETERMINERS
        or key in words.QUANTITIES
        or key in words.DEGREES
        or key in words.CLITICS
        or key in ("ca", "sa", "y", "y'", "ya", "zero", "tout")
        or is_infinitive(key)
    )
    return text[: first.start] + word.lower() + text[first.end :] if common else text


# --- the clause ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Subject:
    person: str
    verb: int  # index of the verb token
    fix: tuple[int, str] | None = None  # a token to rewrite (« sa » → « ça »)


def subjunctive_clause(text: str) -> str | None:
    """``text`` with its main verb (and those of « et on … » clauses) in the subjunctive,
    or None when it does not start with a subject and its verb.

    >>> subjunctive_clause("les bénévoles sont mieux informés")
    'les bénévoles soient mieux informés'
    >>> subjunctive_clause("c'est plus simple et on gagne du temps")
    "ce soit plus simple et qu'on gagne du temps"
    """
    text = _there_is(text)
    tokens = _tokens(text)
    subject = _subject(tokens)
    if subject is None:
        return None
    edits: list[tuple[int, int, str]] = []
    if subject.fix is not None:
        index, word = subject.fix
        edits.append((tokens[index].start, tokens[index].end, word))
    edits.extend(_verb_edits(tokens, subject.verb, subject.person))
    edits.extend(_coordinated_edits(tokens, subject.verb + 1))
    for start, end, word in sorted(edits, reverse=True):
        text = text[:start] + word + text[end:]
    return text


def _there_is(text: str) -> str:
    # « y a moins d'oublis », « y'aura » → « il y a … »
    match = re.match(r"^\s*(?:y\s*['’]?\s*|ya(?=\s))(?=a(?:ura|urait|vait)?\b|\s)", text, re.I)
    if match is None:
        return text
    rest = text[match.end() :].lstrip()
    return f"il y {rest}" if rest[:1].casefold() == "a" else text


def _subject(tokens: list[_Token]) -> _Subject | None:
    if not tokens:
        return None
    keys = [token.key for token in tokens]
    first = keys[0]
    if keys[:3] == ["tout", "le", "monde"]:
        return _after_pronoun(keys, 3, "3s")
    if keys[:2] in (["quelqu'", "un"], ["plus", "personne"]):
        return _after_pronoun(keys, 2, "3s")
    if keys[:2] == ["la", "plupart"]:
        return _after_pronoun(keys, 2, "3p")
    if first in words.PRONOUNS_FOLDED and tokens[0].text.casefold() != "ca":
        return _after_pronoun(keys, 1, words.PRONOUNS_FOLDED[first])
    if first in ("ca", "sa"):
        found = _after_pronoun(keys, 1, "3s")
        if found is not None and _is_finite(tokens[found.verb], "3s"):
            return _Subject("3s", found.verb, (0, "ça"))
    if first in words.MAYBE_PRONOUNS:
        person = words.MAYBE_PRONOUNS[first]
        found = _after_pronoun(keys, 1, person)
        negated = len(keys) > 1 and keys[1] in words.STRONG_CLITICS  # « personne n'oublie »
        if found is not None and (negated or _is_finite(tokens[found.verb], person)):
            return found
        if first in ("tout", "tous", "toutes") and len(keys) > 1 and keys[1] in words.DETERMINERS:
            return _noun_subject(tokens, 1)
    if first in words.DETERMINERS:
        return _noun_subject(tokens, 0)
    word = tokens[0].text
    if (
        word[:1].isupper()
        and len(keys) > 1
        and not is_infinitive(first)
        and _is_finite(tokens[1], "3s")
    ):
        return _Subject("3s", 1)  # « Marie sait »: a name followed by a finite verb
    return None


def _after_pronoun(keys: list[str], index: int, person: str) -> _Subject | None:
    while index < len(keys) and keys[index] in words.CLITICS:
        index += 1
    return _Subject(person, index) if index < len(keys) else None


def _noun_subject(tokens: list[_Token], determiner: int) -> _Subject | None:
    """« les bénévoles de la Ressourcerie sont … »: find the verb after the noun phrase."""
    keys = [token.key for token in tokens]
    person = "3p" if keys[determiner] in words.PLURAL_DETERMINERS else "3s"
    index = determiner + 2  # the noun itself is no verb
    while index < min(len(tokens), determiner + 12):
        key = keys[index]
        if key in words.RELATIVES:
            return None
        if key == "et":
            person = "3p"
        elif (
            key in words.STRONG_CLITICS
            and keys[index - 1] not in words.DETERMINERS | words.PREPOSITIONS
        ):
            # « les nouveaux se sentent … », « personne ne perd … »; not « pour ne plus rater »
            found = _after_pronoun(keys, index, person)
            if (
                found is None
                or keys[found.verb] in words.NEGATIONS
                or is_infinitive(keys[found.verb])
            ):
                return None
            return found
        elif keys[index - 1] not in words.DETERMINERS | words.PREPOSITIONS and _is_finite(
            tokens[index], person, following=keys[index + 1 : index + 2]
        ):
            return _Subject(person, index)
        index += 1
    return None


def _is_finite(token: _Token, person: str, following: list[str] | None = None) -> bool:
    """True when ``token`` reads as a finite verb of ``person`` after a noun or a name."""
    key = token.key
    if token.text.casefold() == "à" or key in words.NOT_FINITE_AFTER_A_NOUN:
        return False
    if key in words.PREPOSITIONS and key != "a":  # folded « à » is also « a », from « avoir »
        return False  # « des outils prêtés entre structures »: « entre » is no verb here
    if is_irregular_form(key, person):
        # « un accès a la salle » is « à la salle »
        return not (key == "a" and following and following[0] in words.AFTER_A_PREPOSITION)
    if person == "3p":
        if key.endswith(("ront", "raient", "aient")):
            return True
        return (
            key.endswith("ent")
            and len(key) > 4
            and key not in words.ADVERBS_IN_ENT
            and not key.endswith(("ement", "amment", "emment"))
        )
    if person != "3s":
        return False
    if key.endswith("ait") and key not in words.NOT_IMPERFECT and len(key) > 4:
        return True
    if key.endswith(("erait", "era")) and not token.text.casefold().endswith("éra"):
        return True
    return token.text.casefold() in words.COMMON_3S


def _verb_edits(tokens: list[_Token], verb: int, person: str) -> list[tuple[int, int, str]]:
    token = tokens[verb]
    new = subjunctive(token.text, person)
    if new is None:
        return []
    if token.text[:1].isupper():
        new = new[:1].upper() + new[1:]
    edits = [] if new == token.text else [(token.start, token.end, new)]
    if verb > 0:
        before = tokens[verb - 1]
        key = before.key
        vowel = fold(new)[:1] in tuple("aeiouy")
        if key in words.ELIDED and not vowel:
            edits.append(
                (before.start, token.start, words.ELIDED[key] + " ")
            )  # « c'est » → « ce soit »
        elif key in words.ELIDING and vowel and before.text.casefold() == key:
            edits.append((before.start, token.start, words.ELIDING[key]))  # « ne va » → « n'aille »
    return edits


def _coordinated_edits(tokens: list[_Token], start: int) -> list[tuple[int, int, str]]:
    """« … et on gagne du temps » → « … et qu'on gagne du temps »."""
    edits: list[tuple[int, int, str]] = []
    keys = [token.key for token in tokens]
    for index in range(start, len(tokens) - 2):
        if tokens[index].text.casefold() not in ("et", "mais", "ou"):
            continue
        subject = keys[index + 1]
        person = words.PRONOUNS_FOLDED.get(subject)
        if person is None or subject in ("c'", "nous", "vous"):
            continue
        found = _after_pronoun(keys, index + 2, person)
        if found is None or subjunctive(keys[found.verb], person) is None:
            continue
        pronoun = tokens[index + 1]
        que = "qu'" if fold(pronoun.text)[:1] in tuple("aeiouy") else "que "
        edits.append((pronoun.start, pronoun.start, que))
        edits.extend(_verb_edits(tokens, found.verb, person))
    return edits


# --- parts after their connector ----------------------------------------------------------


def french_benefit(connector: str, text: str) -> tuple[str, str]:
    """The benefit's connector and text in correct French, whatever the answer's form.

    >>> french_benefit("afin que", "on sait quoi proposer")
    ('afin que', 'on sache quoi proposer')
    >>> french_benefit("afin que", "moins de mails")
    ('afin de', 'avoir moins de mails')

    ``connector`` is a canonical French benefit connector (« afin que », « pour »…).
    """
    reading = read_part(text)
    shape, body = reading.shape, reading.text
    before_clause = connector if connector in words.INFINITIVE_CONNECTOR else None
    clause = before_clause or words.CLAUSE_CONNECTOR.get(connector, "afin que")
    infinitive = words.INFINITIVE_CONNECTOR.get(connector, connector)
    if shape == CLAUSE:
        return clause, body
    if shape == INFINITIVE:
        return infinitive, body
    if shape == NOUN:
        # « pour une meilleure organisation » reads well; « afin de » needs a verb.
        return ("pour", body) if connector == "pour" else (infinitive, f"avoir {body}")
    if shape == ADJECTIVE:
        return clause, f"ce soit {body}"
    if shape == ADVERB:
        return clause, f"ça aille {body}"
    if shape == PARTICIPLE:
        return infinitive, f"être {body}"
    return connector, body


def french_need(connector: str, text: str) -> tuple[str, str]:
    """The need's connector and text: « je souhaite que » + a clause in the subjunctive,
    « je souhaite » + an infinitive or a noun phrase.

    >>> french_need("je souhaite que", "les comptes rendus sont rangés")
    ('je souhaite que', 'les comptes rendus soient rangés')
    >>> french_need("je souhaite", "les comptes rendus soient rangés")
    ('je souhaite que', 'les comptes rendus soient rangés')
    >>> french_need("je veux que", "un agenda partagé")
    ('je veux', 'un agenda partagé')
    """
    reading = read_part(text)
    base = connector
    for suffix in (" que", " de"):
        if connector.endswith(suffix):
            base = connector[: -len(suffix)]
    if reading.shape == CLAUSE:
        return f"{base} que", reading.text
    if connector.endswith(" que") and reading.shape in (INFINITIVE, NOUN):
        return (f"{base} de" if base.endswith("besoin") else base), reading.text
    contracted = _contracted_de(reading.text) if connector.endswith(" de") else None
    if contracted is not None:
        return base, contracted  # « j'ai besoin de le planning » → « j'ai besoin du planning »
    return connector, reading.text


def _contracted_de(text: str) -> str | None:
    """« le planning » → « du planning », « les clés » → « des clés », after « de »."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if text.casefold().startswith(article):
            return contracted + text[len(article) :]
    return None
