"""The French verbs whose forms the rules of ``french_verbs`` would get wrong, with their families.

Data only: each base verb written once (present, imperfect and future stems, subjunctive), the
prefixes of its family, and the words ending like an infinitive that are none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.domain.folding import fold


@dataclass(frozen=True)
class Verb:
    """One verb's forms: ``present`` and ``subjunctive`` hold six forms ("-" when none)."""

    present: tuple[str, ...]
    imperfect_stem: str
    future_stem: str
    subjunctive: tuple[str, ...]


def _verb(present: str, imperfect_stem: str, future_stem: str, subjunctive: str) -> Verb:
    return Verb(tuple(present.split()), imperfect_stem, future_stem, tuple(subjunctive.split()))


def _strong(present: str, imperfect_stem: str, future_stem: str, stem: str) -> Verb:
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
_BASES: Final[dict[str, Verb]] = {
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


def _prefixed(prefix: str, verb: Verb) -> Verb:
    def add(forms: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(form if form == "-" else prefix + form for form in forms)

    return Verb(
        add(verb.present),
        prefix + verb.imperfect_stem,
        prefix + verb.future_stem,
        add(verb.subjunctive),
    )


def all_verbs() -> list[Verb]:
    """Every verb the table knows: the bases, their families, the « -indre » verbs."""
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


INFINITIVES: Final = _infinitives()


def _folded_words(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in text.split())


# Words ending like -er, -ir, -oir that are no infinitive.
# fmt: off
NOT_INFINITIVES: Final = _folded_words("""
    premier première dernier entier léger cher fier amer hier hiver mer fer ver super
    dossier fichier papier courrier calendrier quartier atelier métier panier cahier clavier
    foyer déjeuner dîner goûter boucher boulanger escalier grenier chantier poulailler
    plaisir loisir avenir désir soupir saphir élixir
    espoir soir miroir couloir trottoir tiroir mouchoir comptoir terroir rasoir dortoir
    arrosoir entonnoir noir bavoir séchoir laminoir peignoir abattoir manoir
    """)
# fmt: on
