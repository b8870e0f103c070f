"""The word lists ``french_clauses`` reads parts with: pronouns, determiners, common verbs…

Data only (kept apart so that the rules stay readable); the words are folded as the
reader folds them, except the common verbs, whose accents tell their forms.
"""

from __future__ import annotations

from typing import Final

from bot.domain.folding import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in text.split())


def _accented_words(text: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in text.split())


PRONOUNS: Final[dict[str, str]] = {
    "je": "1s", "j'": "1s", "tu": "2s", "il": "3s", "elle": "3s", "on": "3s", "ça": "3s",
    "cela": "3s", "ceci": "3s", "c'": "3s", "chacun": "3s", "chacune": "3s", "rien": "3s",
    "nous": "1p", "vous": "2p", "ils": "3p", "elles": "3p",
}  # fmt: skip
PRONOUNS_FOLDED: Final = {fold(word): person for word, person in PRONOUNS.items()}
# Pronouns that are also something else: subjects only when a verb follows.
MAYBE_PRONOUNS: Final = {"ce": "3s", "tout": "3s", "tous": "3p", "toutes": "3p", "personne": "3s"}
SINGULAR_DETERMINERS: Final = _words(
    "le la l' un une mon ma ton ta son sa notre votre leur ce cet cette chaque aucun aucune du"
)
PLURAL_DETERMINERS: Final = _words(
    "les des mes tes ses nos vos leurs ces plusieurs certains certaines quelques"
)
DETERMINERS: Final = SINGULAR_DETERMINERS | PLURAL_DETERMINERS
PREPOSITIONS: Final = _words(
    "de d' à au aux en pour par sur avec dans sans chez vers entre contre sous selon parmi"
)
CLITICS: Final = _words("ne n' me m' te t' se s' le la les l' lui leur y en nous vous")
NEGATIONS: Final = _words("pas plus jamais rien point guère")
STRONG_CLITICS: Final = _words("ne n' se s'")
RELATIVES: Final = _words("qui que qu' dont où lequel laquelle lesquels lesquelles")
QUANTITIES: Final = _words(
    "moins plus davantage autant beaucoup peu trop pas énormément bien encore un"
)
DEGREES: Final = _words("plus moins mieux aussi très trop si vraiment enfin encore bien")
ADVERBS: Final = _words(
    "vite souvent tôt tard longtemps loin près mieux ensemble bien régulièrement"
)
INFINITIVE_LEADS: Final = (
    NEGATIONS
    | CLITICS
    | _words(
        "mieux bien plus moins enfin toujours davantage vite aussi encore déjà vraiment tous "
        "ensemble facilement rapidement"
    )
)
# Words that read like a finite verb after a noun but rarely are one (« un délai plus court »).
NOT_FINITE_AFTER_A_NOUN: Final = _words(
    "court part sort bout lit ment vis sent dit suit mort vit est-ce fait-il"
)
NOT_IMPERFECT: Final = _words(
    "lait fait souhait portrait attrait trait extrait retrait parfait bienfait forfait méfait "
    "abstrait distrait satisfait imparfait plait plaît"
)
# « a » typed for « à »: « à la salle », « à jour », « à temps » (« a les » is « avoir »).
AFTER_A_PREPOSITION: Final = _words(
    "la l' jour temps tous toutes partir cause distance domicile disposition côté travers"
)
ADVERBS_IN_ENT: Final = _words("souvent absolument vraiment comment")

# Common verbs, to see a verb in « la réunion dure moins longtemps » (regular forms only;
# irregular ones are known to french_verbs).
# fmt: off
COMMON_ER: Final = _accented_words("""
    arriver rester durer marcher circuler passer tourner fonctionner changer gagner manquer
    coûter compter trouver aimer participer penser parler oublier arrêter avancer commencer
    continuer demander donner entrer jouer laisser montrer porter poser présenter proposer
    rappeler regarder rencontrer retrouver sembler tomber travailler utiliser aider accompagner
    ajouter améliorer apporter augmenter baisser chercher consulter contacter coordonner créer
    décider diminuer discuter échanger éviter exister expliquer garder gérer informer
    intéresser limiter mobiliser noter organiser oser partager payer planifier préparer
    profiter progresser publier recruter relancer remplacer rentrer répéter respecter
    retourner sauver signaler simplifier supprimer télécharger terminer traîner valider
    vérifier voter débuter démarrer accélérer stagner bloquer saturer déborder concerner
    peser coller livrer collecter trier recycler réparer prêter emprunter distribuer cuisiner
    animer former inviter motiver impliquer engager quitter fidéliser cotiser adhérer
    rembourser facturer financer communiquer diffuser afficher classer ranger archiver
    stocker sauvegarder exploser dépasser déranger gêner énerver fatiguer rassurer
    encourager valoriser remercier dérouler bouger évoluer trouver tenter rater louper
    ramener amener apprécier accéder récupérer renseigner répartir écouter respirer
    contribuer aboutir retarder reporter annuler confirmer programmer caler
""")
COMMON_IR: Final = _accented_words("""
    finir choisir réussir remplir agir réfléchir grandir investir fournir garantir établir
    saisir réunir unir définir bâtir nourrir enrichir accomplir aboutir ralentir obéir réagir
    guérir vieillir applaudir avertir élargir embellir franchir rafraîchir rétablir adoucir
    éclaircir raccourcir approfondir alourdir fleurir épanouir réjouir subir agrandir amortir
    assainir démolir fléchir rebondir refroidir rajeunir
""")
# fmt: on
COMMON_3S: Final = frozenset(
    [verb[:-2] + "e" for verb in COMMON_ER] + [verb[:-2] + "it" for verb in COMMON_IR]
)

# Nouns ending like a feminine or plural participle.
NOUNS_IN_EE: Final = _words(
    "idée idées année années journée journées entrée entrées soirée soirées arrivée pensée "
    "durée matinée rentrée montée portée tournée tournées randonnée assemblée musée lycée "
    "allée vallée corvée corvées dictée poupée"
)


# A benefit connector's two forms: before a clause and before an infinitive.
CLAUSE_CONNECTOR: Final = {
    "afin de": "afin que",
    "pour": "pour que",
    "de façon à": "de façon à ce que",
    "de manière à": "de manière à ce que",
    "dans le but de": "afin que",
}
INFINITIVE_CONNECTOR: Final = {
    "afin que": "afin de",
    "pour que": "pour",
    "de sorte que": "afin de",
    "de façon à ce que": "de façon à",
    "de manière à ce que": "de manière à",
}


VOWEL_START: Final = tuple("aeiouyhéèêàâîôû")
ELIDED: Final = {"j'": "je", "n'": "ne", "s'": "se", "c'": "ce", "m'": "me", "t'": "te"}
ELIDING: Final = {full: short for short, full in ELIDED.items()}
