"""French verbs: from a finite form to its present subjunctive (« on sait » → « on sache »).

After « afin que », « pour que », « je souhaite que » French needs the subjunctive. A pioneer
answering « qu'est-ce que ça changerait ? » writes the indicative, the conditional or the
future (« on sait », « ça irait », « on aura »); ``subjunctive`` turns that form into the
present subjunctive of the same person.

No lexicon: regular verbs follow rules (« gagnerait » → « gagne », « finit » → « finisse »,
« nous avons » → « nous ayons » is in the table), and the verbs whose forms the rules would get
wrong are listed below with their families (« venir », « devenir », « prévenir »…). Lookups
ignore accents and case, so « recoit » and « connait » are read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.domain.folding import fold

PERSONS: Final = ("1s", "2s", "3s", "1p", "2p", "3p")


@dataclass(frozen=True)
class _Verb:
    """One verb's forms: ``present`` and ``subjunctive`` hold six forms ("-" when none)."""

    present: tuple[str, ...]
    imperfect_stem: str
    future_stem: str
    subjunctive: tuple[str, ...]


def _verb(present: str, imperfect_stem: str, future_stem: str, subjunctive: str) -> _Verb:
    return _Verb(tuple(present.split()), imperfect_stem, future_stem, tuple(subjunctive.split()))


def _strong(present: str, imperfect_stem: str, future_stem: str, stem: str) -> _Verb:
    """A verb whose subjunctive is built the usual way: « qu'il vienne », « que nous venions »."""
    singular = f"{stem}e {stem}es {stem}e"
    return _verb(
        present,
        imperfect_stem,
        future_stem,
        f"{singular} {imperfect_stem}ions {imperfect_stem}iez {stem}ent",
    )


# The base verbs, each written once; a family shares the endings (« venir » → « devenir »).
# fmt: off
_BASES: Final[dict[str, _Verb]] = {
    "être": _verb("suis es est sommes êtes sont", "ét", "ser",
                  "sois sois soit soyons soyez soient"),
    "avoir": _verb("ai as a avons avez ont", "av", "aur", "aie aies ait ayons ayez aient"),
    "aller": _verb("vais vas va allons allez vont", "all", "ir",
                   "aille ailles aille allions alliez aillent"),
    "faire": _verb("fais fais fait faisons faites font", "fais", "fer",
                   "fasse fasses fasse fassions fassiez fassent"),
    "pouvoir": _verb("peux peux peut pouvons pouvez peuvent", "pouv", "pourr",
                     "puisse puisses puisse puissions puissiez puissent"),
    "savoir": _verb("sais sais sait savons savez savent", "sav", "saur",
                    "sache saches sache sachions sachiez sachent"),
    "vouloir": _verb("veux veux veut voulons voulez veulent", "voul", "voudr",
                     "veuille veuilles veuille voulions vouliez veuillent"),
    "valoir": _verb("vaux vaux vaut valons valez valent", "val", "vaudr",
                    "vaille vailles vaille valions valiez vaillent"),
    "falloir": _verb("- - faut - - -", "fall", "faudr", "- - faille - - -"),
    "pleuvoir": _verb("- - pleut - - -", "pleuv", "pleuvr", "- - pleuve - - -"),
    "devoir": _strong("dois dois doit devons devez doivent", "dev", "devr", "doiv"),
    "venir": _strong("viens viens vient venons venez viennent", "ven", "viendr", "vienn"),
    "tenir": _strong("tiens tiens tient tenons tenez tiennent", "ten", "tiendr", "tienn"),
    "prendre": _strong("prends prends prend prenons prenez prennent", "pren", "prendr", "prenn"),
    "mettre": _strong("mets mets met mettons mettez mettent", "mett", "mettr", "mett"),
    "battre": _strong("bats bats bat battons battez battent", "batt", "battr", "batt"),
    "voir": _verb("vois vois voit voyons voyez voient", "voy", "verr",
                  "voie voies voie voyions voyiez voient"),
    "prévoir": _verb("prévois prévois prévoit prévoyons prévoyez prévoient", "prévoy", "prévoir",
                     "prévoie prévoies prévoie prévoyions prévoyiez prévoient"),
    "croire": _verb("crois crois croit croyons croyez croient", "croy", "croir",
                    "croie croies croie croyions croyiez croient"),
    "cevoir": _strong("çois çois çoit cevons cevez çoivent", "cev", "cevr", "çoiv"),
    "boire": _strong("bois bois boit buvons buvez boivent", "buv", "boir", "boiv"),
    "mourir": _strong("meurs meurs meurt mourons mourez meurent", "mour", "mourr", "meur"),
    "quérir": _strong("quiers quiers quiert quérons quérez quièrent", "quér", "querr", "quièr"),
    "dire": _strong("dis dis dit disons dites disent", "dis", "dir", "dis"),
    "lire": _strong("lis lis lit lisons lisez lisent", "lis", "lir", "lis"),
    "crire": _strong("cris cris crit crivons crivez crivent", "criv", "crir", "criv"),
    "suffire": _strong("suffis suffis suffit suffisons suffisez suffisent", "suffis", "suffir",
                       "suffis"),
    "uire": _strong("uis uis uit uisons uisez uisent", "uis", "uir", "uis"),
    "plaire": _strong("plais plais plaît plaisons plaisez plaisent", "plais", "plair", "plais"),
    "taire": _strong("tais tais tait taisons taisez taisent", "tais", "tair", "tais"),
    "aître": _strong("ais ais aît aissons aissez aissent", "aiss", "aîtr", "aiss"),
    "rire": _verb("ris ris rit rions riez rient", "ri", "rir", "rie ries rie riions riiez rient"),
    "partir": _strong("pars pars part partons partez partent", "part", "partir", "part"),
    "sortir": _strong("sors sors sort sortons sortez sortent", "sort", "sortir", "sort"),
    "dormir": _strong("dors dors dort dormons dormez dorment", "dorm", "dormir", "dorm"),
    "servir": _strong("sers sers sert servons servez servent", "serv", "servir", "serv"),
    "sentir": _strong("sens sens sent sentons sentez sentent", "sent", "sentir", "sent"),
    "mentir": _strong("mens mens ment mentons mentez mentent", "ment", "mentir", "ment"),
    "suivre": _strong("suis suis suit suivons suivez suivent", "suiv", "suivr", "suiv"),
    "vivre": _strong("vis vis vit vivons vivez vivent", "viv", "vivr", "viv"),
    "courir": _strong("cours cours court courons courez courent", "cour", "courr", "cour"),
    "vrir": _strong("vre vres vre vrons vrez vrent", "vr", "vrir", "vr"),
    "frir": _strong("fre fres fre frons frez frent", "fr", "frir", "fr"),
    "cueillir": _strong("cueille cueilles cueille cueillons cueillez cueillent", "cueill",
                        "cueiller", "cueill"),
    "fuir": _verb("fuis fuis fuit fuyons fuyez fuient", "fuy", "fuir",
                  "fuie fuies fuie fuyions fuyiez fuient"),
    "clure": _strong("clus clus clut cluons cluez cluent", "clu", "clur", "clu"),
    "soudre": _strong("sous sous sout solvons solvez solvent", "solv", "soudr", "solv"),
    "vaincre": _strong("vaincs vaincs vainc vainquons vainquez vainquent", "vainqu", "vaincr",
                       "vainqu"),
    "rompre": _strong("romps romps rompt rompons rompez rompent", "romp", "rompr", "romp"),
    "traire": _verb("trais trais trait trayons trayez traient", "tray", "trair",
                    "traie traies traie trayions trayiez traient"),
    "envoyer": _verb("envoie envoies envoie envoyons envoyez envoient", "envoy", "enverr",
                     "envoie envoies envoie envoyions envoyiez envoient"),
    "mouvoir": _strong("meus meus meut mouvons mouvez meuvent", "mouv", "mouvr", "meuv"),
    "haïr": _strong("hais hais hait haïssons haïssez haïssent", "haïss", "haïr", "haïss"),
    "coudre": _strong("couds couds coud cousons cousez cousent", "cous", "coudr", "cous"),
    "bouillir": _strong("bous bous bout bouillons bouillez bouillent", "bouill", "bouillir",
                        "bouill"),
    "croître": _strong("croîs croîs croît croissons croissez croissent", "croiss", "croîtr",
                       "croiss"),
    "vêtir": _strong("vêts vêts vêt vêtons vêtez vêtent", "vêt", "vêtir", "vêt"),
    "asseoir": _strong("assois assois assoit assoyons assoyez assoient", "assoy", "assoir",
                       "assoi"),
}

# Families: verb = prefix + base (the base's forms take the same prefix).
_FAMILIES: Final[dict[str, str]] = {
    "venir": "de re pré par inter con sur sou ad circon contre sub pro rede",
    "tenir": "ob re main con appar sou entre dé abs",
    "prendre": "ap com re sur entre dé é désap mé rap réap",
    "mettre": "per re trans pro ad sou com compro dé o entre é",
    "battre": "com dé a re",
    "voir": "re entre",
    "faire": "re dé satis contre par",
    "dire": "re contre inter pré mé dé",
    "lire": "re é",
    "crire": "é dé ins pres sous trans circons pros ré désins réins",
    "cevoir": "re aper dé con per",
    "uire": "cond prod constr détr trad réd introd séd instr reprod recond reconstr déd ind "
            "end c n l rel",
    "aître": "conn reconn méconn n ren par appar dispar réappar compar repar",
    "plaire": "dé com",
    "taire": "",
    "rire": "sou",
    "partir": "re dé",
    "sortir": "res",
    "dormir": "en ren",
    "servir": "des res",
    "sentir": "res con pres",
    "mentir": "dé",
    "suivre": "pour",
    "vivre": "re sur",
    "courir": "par re se ac con dis en",
    "vrir": "ou rou entrou cou décou recou redécou",
    "frir": "of souf",
    "cueillir": "ac re",
    "clure": "con ex in",
    "soudre": "ré dis ab",
    "vaincre": "con",
    "rompre": "inter cor",
    "quérir": "ac con re",
    "traire": "ex dis sous abs re",
    "valoir": "pré équi re",
    "devoir": "re",
    "mourir": "",
    "mouvoir": "é pro",
    "coudre": "dé re",
    "croître": "ac dé sur",
    "vêtir": "re dé",
    "fuir": "en",
    "boire": "re",
    "envoyer": "r",
}
# fmt: on

# The -indre verbs: « il craint » → « qu'il craigne ».
_INDRE: Final = (
    "cra pla contra pe atte éte te fe restre jo rejo adjo astre empre enfre étre ge ce dépe"
)


def _prefixed(prefix: str, verb: _Verb) -> _Verb:
    def add(forms: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(form if form == "-" else prefix + form for form in forms)

    return _Verb(
        add(verb.present),
        prefix + verb.imperfect_stem,
        prefix + verb.future_stem,
        add(verb.subjunctive),
    )


def _all_verbs() -> list[_Verb]:
    verbs = [v for name, v in _BASES.items() if name not in _ONLY_IN_FAMILIES]
    for base, prefixes in _FAMILIES.items():
        verbs.extend(_prefixed(prefix, _BASES[base]) for prefix in prefixes.split())
    for stem in _INDRE.split():
        verbs.append(
            _strong(
                f"{stem}ins {stem}ins {stem}int {stem}ignons {stem}ignez {stem}ignent",
                f"{stem}ign",
                f"{stem}indr",
                f"{stem}ign",
            )
        )
    return verbs


# Bases that are no verb by themselves (« cevoir », « crire »).
_ONLY_IN_FAMILIES: Final = frozenset(
    {"cevoir", "crire", "uire", "aître", "vrir", "frir", "clure", "soudre", "quérir", "traire"}
)

_IMPERFECT: Final = ("ais", "ais", "ait", "ions", "iez", "aient")
_FUTURE: Final = ("ai", "as", "a", "ons", "ez", "ont")
_CONDITIONAL: Final = ("ais", "ais", "ait", "ions", "iez", "aient")


def _table() -> tuple[dict[tuple[str, str], _Verb], frozenset[tuple[str, str]]]:
    """(folded finite form, person) → its verb; and the subjunctive forms themselves."""
    verbs_by_form: dict[tuple[str, str], _Verb] = {}
    subjunctives: set[tuple[str, str]] = set()
    for verb in _all_verbs():
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


# Infinitives the rules cannot tell from nouns: the listed verbs and the usual « -dre ».
_DRE_VERBS: Final = (
    "rendre perdre vendre attendre entendre répondre descendre défendre dépendre tendre étendre "
    "fondre confondre correspondre tordre mordre prétendre suspendre pondre tondre répandre "
    "détendre surprendre reperdre revendre"
)


def _infinitives() -> frozenset[str]:
    names = {fold(name) for name in _BASES if name not in _ONLY_IN_FAMILIES}
    for base, prefixes in _FAMILIES.items():
        names.update(fold(prefix + base) for prefix in prefixes.split())
    names.update(fold(f"{stem}indre") for stem in _INDRE.split())
    names.update(fold(name) for name in _DRE_VERBS.split())
    return frozenset(names)


_INFINITIVES: Final = _infinitives()


def _folded_words(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in text.split())


# Words ending like -er, -ir, -oir that are no infinitive.
# fmt: off
_NOT_INFINITIVES: Final = _folded_words("""
    premier première dernier entier léger cher fier amer hier hiver mer fer ver super
    dossier fichier papier courrier calendrier quartier atelier métier panier cahier clavier
    foyer déjeuner dîner goûter boucher boulanger escalier grenier chantier poulailler
    plaisir loisir avenir désir soupir saphir élixir
    espoir soir miroir couloir trottoir tiroir mouchoir comptoir terroir rasoir dortoir
    arrosoir entonnoir noir bavoir séchoir laminoir peignoir abattoir manoir
    """)
# fmt: on


def is_infinitive(word: str) -> bool:
    """True when ``word`` reads as an infinitive (« gagner », « finir », « faire », « voir »)."""
    key = fold(word)
    if key in _INFINITIVES:
        return True
    if key in _NOT_INFINITIVES or len(key) < 4:
        return False
    return key.endswith(("er", "ir", "oir"))
