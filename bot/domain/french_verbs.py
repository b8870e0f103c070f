"""French verbs: from a finite form to its present subjunctive (« on sait » → « on sache »).

After « afin que », « pour que », « je souhaite que » French needs the subjunctive. A pioneer
answering « qu'est-ce que ça changerait ? » writes the indicative, the conditional or the
future (« on sait », « ça irait », « on aura »); ``subjunctive`` turns that form into the
present subjunctive of the same person.

No lexicon: regular verbs follow rules (« gagnerait » → « gagne », « finit » → « finisse »,
« nous avons » → « nous ayons » is in the table), and the verbs whose forms the rules would get
wrong are listed in ``french_verb_table`` with their families (« venir », « devenir »,
« prévenir »…). Lookups ignore accents and case, so « recoit » and « connait » are read too.
"""

from __future__ import annotations

from typing import Final

from bot.domain.folding import fold
from bot.domain.french_verb_table import INFINITIVES, NOT_INFINITIVES, Verb, all_verbs

PERSONS: Final = ("1s", "2s", "3s", "1p", "2p", "3p")

_IMPERFECT: Final = ("ais", "ais", "ait", "ions", "iez", "aient")
_FUTURE: Final = ("ai", "as", "a", "ons", "ez", "ont")
_CONDITIONAL: Final = ("ais", "ais", "ait", "ions", "iez", "aient")


def _table() -> tuple[dict[tuple[str, str], Verb], frozenset[tuple[str, str]]]:
    """(folded finite form, person) → its verb; and the subjunctive forms themselves."""
    verbs_by_form: dict[tuple[str, str], Verb] = {}
    subjunctives: set[tuple[str, str]] = set()
    for verb in all_verbs():
        for index, person in enumerate(PERSONS):
            if verb.subjunctive[index] == "-":
                continue
            subjunctives.add((fold(verb.subjunctive[index]), person))
            forms = [
                verb.present[index],
                verb.imperfect_stem + _IMPERFECT[index],
                verb.future_stem + _FUTURE[index],
                verb.future_stem + _CONDITIONAL[index],
            ]
            for form in forms:
                # First written wins: « je suis » is « être », not « suivre ».
                verbs_by_form.setdefault((fold(form), person), verb)
    return verbs_by_form, frozenset(subjunctives)


_TABLE, _SUBJUNCTIVES = _table()
_SAME_NUMBER: Final = {
    person: tuple(p for p in PERSONS if p[1] == person[1] and p != person) for person in PERSONS
}


def subjunctive(form: str, person: str) -> str | None:
    """The present subjunctive of a finite ``form`` for ``person`` ("1s" … "3p"), else None.

    >>> subjunctive("sait", "3s"), subjunctive("irait", "3s"), subjunctive("avons", "1p")
    ('sache', 'aille', 'ayons')
    >>> subjunctive("gagnerait", "3s"), subjunctive("finit", "3s"), subjunctive("perd", "3s")
    ('gagne', 'finisse', 'perde')

    A form that already is a subjunctive comes back unchanged; a form the rules cannot read
    for that person (« est » for "1p", a noun) gives None.
    """
    if person not in PERSONS or not form:
        return None
    word = form.casefold()
    key = fold(word)
    index = PERSONS.index(person)
    verb = _TABLE.get((key, person))
    if verb is not None:
        return verb.subjunctive[index]
    if (key, person) in _SUBJUNCTIVES:
        return word
    regular = _regular(word, person)
    if regular is not None:
        return regular
    for other in _SAME_NUMBER[person]:
        # A typo of person (« on sais », « ils peut »): the verb is known all the same.
        verb = _TABLE.get((key, other))
        if verb is not None and verb.subjunctive[index] != "-":
            return verb.subjunctive[index]
    return None


def is_subjunctive(form: str, person: str) -> bool:
    """True when ``form`` is a known irregular present subjunctive (« soit », « puissent »)."""
    return (fold(form), person) in _SUBJUNCTIVES


def is_irregular_form(form: str, person: str) -> bool:
    """True when ``form`` is a finite form of a listed verb (« sont », « pourrait », « reçoit »)."""
    key = fold(form)
    return (key, person) in _TABLE or (key, person) in _SUBJUNCTIVES


# Endings of the regular future and conditional, per person, longest first.
_FUTURE_ENDINGS: Final[dict[str, tuple[str, ...]]] = {
    "1s": ("rais", "rai"),
    "2s": ("rais", "ras"),
    "3s": ("rait", "ra"),
    "1p": ("rions", "rons"),
    "2p": ("riez", "rez"),
    "3p": ("raient", "ront"),
}
_IMPERFECT_ENDINGS: Final = dict(zip(PERSONS, _IMPERFECT, strict=True))
_SUBJUNCTIVE_ENDINGS: Final = dict(
    zip(PERSONS, ("e", "es", "e", "ions", "iez", "ent"), strict=True)
)


# « -irer » verbs whose imperfect looks like a second-group conditional (« il tirait »).
_IRER_EXACT: Final = frozenset({"tir", "vir", "cir", "mir", "attir", "retir", "étir", "soutir"})
_IRER_ENDINGS: Final = (
    "désir",
    "spir",
    "expir",
    "admir",
    "soupir",
    "déchir",
    "chavir",
    "délir",
    "empir",
)
# « -dre » verbs: « il perdrait » → « qu'il perde » (« -indre » → « qu'il craigne »).
_DRE_STEMS: Final = ("end", "ond", "erd", "ord", "and", "aind", "eind", "oind")


def _future_stem(stem: str) -> str | None:
    """The infinitive's kind behind a future stem: "er" (« gagne »), "ir" (« fini »), "uire"
    (« construi »), "dre" (« perd »), or None when the form is no future (« il tirait »)."""
    if len(stem) < 2:
        return None
    if stem.endswith("e"):
        return "er"
    if stem.endswith("i"):
        if stem + "r" in _IRER_EXACT or (stem + "r").endswith(_IRER_ENDINGS):
            return None
        if stem.endswith("oui"):
            return "ir"  # « réjoui|rait »
        if stem.endswith("ui"):
            return "uire"
        if stem[-2] in "aeoéè":
            return None  # « éclai|rait » is « éclairer »
        return "ir"
    if stem.endswith(_DRE_STEMS):
        return "dre"
    return None


def _regular(word: str, person: str) -> str | None:
    ending_of = _SUBJUNCTIVE_ENDINGS[person]
    for ending in _FUTURE_ENDINGS[person]:
        stem = word[: -len(ending)]
        kind = _future_stem(stem) if word.endswith(ending) else None
        if kind == "er":
            return _with_ending(stem[:-1], person)  # « gagne|rait » → « gagne »
        if kind == "ir":
            return stem + "ss" + ending_of  # « fini|rait » → « finisse »
        if kind == "uire":
            return stem + "s" + ending_of  # « construi|rait » → « construise »
        if kind == "dre":
            if stem.endswith("ind"):
                return stem[:-2] + "gn" + ending_of  # « craind|rait » → « craigne »
            return stem + ending_of  # « perd|rait » → « perde »
    imperfect = _IMPERFECT_ENDINGS[person]
    if word.endswith(imperfect) and len(word) > len(imperfect) + 1:
        return _with_ending(_soft_stem(word[: -len(imperfect)]), person)
    return _present(word, person)


def _present(word: str, person: str) -> str | None:
    if person in ("1p", "2p"):
        ending = "ons" if person == "1p" else "ez"
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return _with_ending(_soft_stem(word[: -len(ending)]), person)
        return None
    if person == "3p":
        return word if word.endswith("ent") and len(word) > 4 else None
    singular_ending = {"1s": ("e", "is", "ds"), "2s": ("es", "is", "ds"), "3s": ("e", "it", "d")}
    first, second, third = singular_ending[person]
    if word.endswith(first):
        return word  # first group: « qu'il arrive », « que tu restes »
    if word.endswith(second) and len(word) > 3:
        return word[: -len(second)] + "iss" + _SUBJUNCTIVE_ENDINGS[person]  # « finit »
    if word.endswith(third) and len(word) > 2:
        return word[: -len(third)] + "d" + _SUBJUNCTIVE_ENDINGS[person]  # « perd »
    return None


def _soft_stem(stem: str) -> str:
    # « mange|ait » → « mang », « commenç|ait » → « commenc »: the spelling that kept g and c
    # soft before a and o is not needed before e and i.
    if stem.endswith("ge"):
        return stem[:-1]
    if stem.endswith("ç"):
        return stem[:-1] + "c"
    return stem


_VOWELS: Final = "aeiouyéèêëâàîïôûù"
_ONE_SOUND: Final = ("gu", "qu", "ch", "gn", "br", "tr", "gr")


def _with_ending(stem: str, person: str) -> str:
    """A first-group subjunctive from its stem: « gagn » → « gagne », « gagnions »; the
    singular and third plural open their last vowel (« gèrent », « emmène », « emploie »)."""
    ending = _SUBJUNCTIVE_ENDINGS[person]
    if person in ("1p", "2p"):
        if stem.endswith(("oi", "ui", "ai")):
            stem = stem[:-1] + "y"  # future « nettoie|rions » → « nettoyions »
        if stem.endswith(("appell", "jett")):
            stem = stem[:-1]  # future « appelle|rions » → « appelions »
        last = stem.rfind("è")
        if last >= 0 and not any(ch in _VOWELS for ch in stem[last + 1 :]):
            stem = stem[:last] + "e" + stem[last + 1 :]  # « enlève|rions » → « enlevions »
        return stem + ending
    if stem.endswith(("oy", "uy")):
        return stem[:-1] + "i" + ending  # « employ » → « emploie »
    if stem.endswith(("appel", "jet")):
        return stem + stem[-1] + ending  # « appelle », « jette »
    index = len(stem) - 1
    while index > 0 and (
        stem[index] not in _VOWELS or (stem[index] == "u" and stem[index - 1] in "gq")
    ):
        index -= 1
    consonants = stem[index + 1 :]
    if index > 0 and stem[index] in "ée" and 0 < len(consonants) <= 2:
        single = (len(consonants) == 1 and consonants != "x") or consonants in _ONE_SOUND
        before = stem[index - 1]
        if single and (stem[index] == "é" or before not in _VOWELS):
            # « gér » → « gère », « emmen » → « emmène », « achet » → « achète »
            return stem[:index] + "è" + consonants + ending
    return stem + ending


def is_infinitive(word: str) -> bool:
    """True when ``word`` reads as an infinitive (« gagner », « finir », « faire », « voir »)."""
    key = fold(word)
    if key in INFINITIVES:
        return True
    if key in NOT_INFINITIVES or len(key) < 4:
        return False
    return key.endswith(("er", "ir", "oir"))
