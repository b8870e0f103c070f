import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.folding import fold
from bot.domain.story_parser import (
    MAX_PART_CHARS,
    MAX_STORY_CHARS,
    PART_NAMES,
    StoryDraft,
    StoryParts,
    answer_part,
    looks_like_story,
    parse_story,
    render_story,
    rendered_parts,
)


def parts_of(text: str) -> StoryParts:
    result = parse_story(text)
    assert result.parts is not None, (result.missing, result.error, result.draft)
    return result.parts


def triple(text: str) -> tuple[str, str, str]:
    parts = parts_of(text)
    return parts.role, parts.need, parts.benefit


# --- the canonical form and its everyday variants ------------------------------------------


def test_the_canonical_form_gives_role_need_and_benefit() -> None:
    parts = parts_of(
        "En tant qu’animatrice, je souhaite recevoir un rappel la veille "
        "afin que je n’oublie pas le rendez-vous."
    )
    assert parts == StoryParts(
        role="animatrice",
        need="recevoir un rappel la veille",
        benefit="je n’oublie pas le rendez-vous",
        need_connector="je souhaite",
        benefit_connector="afin que",
    )


def test_parts_keep_the_writers_case_and_accents() -> None:
    text = "EN TANT QUE TRÉSORIÈRE, JE VEUX EXPORTER LES COMPTES AFIN DE GAGNER DU TEMPS"
    assert triple(text) == ("TRÉSORIÈRE", "EXPORTER LES COMPTES", "GAGNER DU TEMPS")


@pytest.mark.parametrize(
    "opening",
    [
        "En tant qu'animatrice",
        "En tant qu’animatrice",
        "en tant qu' animatrice",
        "EN TANT QU’ANIMATRICE",
    ],
)
def test_en_tant_qu_is_read_with_any_apostrophe(opening: str) -> None:
    role = parts_of(f"{opening}, je souhaite un rappel afin de ne rien oublier").role
    assert fold(role) == "animatrice"


@pytest.mark.parametrize(
    ("need_words", "connector"),
    [
        ("je souhaite", "je souhaite"),
        ("Je souhaite que", "je souhaite que"),
        ("je veux", "je veux"),
        ("je voudrais", "je voudrais"),
        ("Je voudrais qu'", "je voudrais que"),
        ("je souhaiterais", "je souhaiterais"),
        ("j'aimerais", "j'aimerais"),
        ("j’aimerais", "j'aimerais"),
        ("J’aimerai", "j'aimerais"),
        ("j’aimerais que", "j'aimerais que"),
        ("j'ai besoin d'", "j'ai besoin de"),
        ("j'aurais besoin de", "j'aurais besoin de"),
        ("je désire", "je désire"),
        ("nous souhaitons", "nous souhaitons"),
        ("nous voudrions", "nous voudrions"),
        ("nous avons besoin d’", "nous avons besoin de"),
        ("on voudrait", "on voudrait"),
        ("on aimerait", "on aimerait"),
    ],
)
def test_need_connector_variants_are_recognised(need_words: str, connector: str) -> None:
    parts = parts_of(f"En tant que bénévole, {need_words} un agenda partagé afin de m'organiser")
    assert parts.need == "un agenda partagé"
    assert parts.need_connector == connector


@pytest.mark.parametrize(
    ("benefit_words", "connector"),
    [
        ("afin que", "afin que"),
        ("afin qu'", "afin que"),
        ("Afin qu’", "afin que"),
        ("afin de", "afin de"),
        ("afin d'", "afin de"),
        ("pour que", "pour que"),
        ("pour qu’", "pour que"),
        ("de sorte que", "de sorte que"),
        ("de sorte qu'", "de sorte que"),
        ("de façon à", "de façon à"),
        ("de maniere a", "de manière à"),
        ("de façon à ce qu'", "de façon à ce que"),
        ("dans le but d'", "dans le but de"),
        ("pour", "pour"),
    ],
)
def test_benefit_connector_variants_are_recognised(benefit_words: str, connector: str) -> None:
    parts = parts_of(
        f"En tant que bénévole, je souhaite un agenda partagé {benefit_words} éviter X"
    )
    assert parts.need == "un agenda partagé"
    assert parts.benefit == "éviter X"
    assert parts.benefit_connector == connector


def test_a_story_without_commas_on_one_line() -> None:
    text = "en tant que benevole je voudrais voir le planning afin de mieux m'organiser"
    assert triple(text) == ("benevole", "voir le planning", "mieux m'organiser")


def test_a_story_over_several_lines_with_bullets() -> None:
    text = (
        "- En tant que coordinatrice\n"
        "- j'aimerais que les comptes-rendus soient au même endroit\n"
        "- afin qu'on les retrouve facilement"
    )
    parts = parts_of(text)
    assert (parts.role, parts.need, parts.benefit) == (
        "coordinatrice",
        "les comptes-rendus soient au même endroit",
        "on les retrouve facilement",
    )
    assert parts.need_connector == "j'aimerais que"


def test_line_breaks_inside_a_part_become_spaces() -> None:
    text = (
        "En tant que bénévole,\nje souhaite voir le planning\ndes collectes\nafin de  m'organiser"
    )
    assert parts_of(text).need == "voir le planning des collectes"


def test_quotes_and_markdown_around_the_story_are_trimmed() -> None:
    text = "« **En tant que** salariée, **nous souhaitons** un espace partagé **pour que** chacun y dépose ses idées »"
    assert triple(text) == ("salariée", "un espace partagé", "chacun y dépose ses idées")


def test_balanced_brackets_inside_a_part_are_kept() -> None:
    text = (
        "En tant que parent d'élève, je souhaiterais être prévenu(e) des réunions (par SMS) "
        "afin d'y assister."
    )
    assert triple(text) == (
        "parent d'élève",
        "être prévenu(e) des réunions (par SMS)",
        "y assister",
    )


def test_trailing_exclamation_and_emoji_free_punctuation_go() -> None:
    text = "En tant que bénévole, je souhaite un planning, afin que tout le monde soit content !!!"
    assert triple(text) == ("bénévole", "un planning", "tout le monde soit content")


def test_phone_typing_without_apostrophes_is_understood() -> None:
    text = "en tant qu animatrice j aimerais un rappel afin d eviter les oublis"
    parts = parts_of(text)
    assert (parts.role, parts.need, parts.benefit) == (
        "animatrice",
        "un rappel",
        "eviter les oublis",
    )
    assert parts.benefit_connector == "afin de"


def test_the_common_misspelling_en_temps_que_is_accepted() -> None:
    assert (
        parts_of("En temps que bénévole, je veux un badge afin d'être reconnu").role == "bénévole"
    )


def test_non_breaking_spaces_and_repeated_spaces_are_spaces() -> None:
    text = "En\u00a0tant\u00a0que   bénévole ,\u202fje   souhaite un badge   afin d’être reconnu"
    assert triple(text) == ("bénévole", "un badge", "être reconnu")


def test_a_real_ess_story_with_a_bare_pour() -> None:
    text = (
        "En tant que bénévole de la Ressourcerie, je voudrais voir le planning des collectes "
        "sur mon téléphone pour ne plus rater de tournée"
    )
    parts = parts_of(text)
    assert parts.role == "bénévole de la Ressourcerie"
    assert parts.need == "voir le planning des collectes sur mon téléphone"
    assert parts.benefit == "ne plus rater de tournée"
    assert parts.benefit_connector == "pour"


# --- the ambiguous « pour » ----------------------------------------------------------------


def test_afin_que_wins_over_an_earlier_pour() -> None:
    text = (
        "En tant que membre du CA, je souhaite un outil pour le planning afin que chacun s'inscrive"
    )
    assert triple(text)[1:] == ("un outil pour le planning", "chacun s'inscrive")


def test_afin_wins_over_an_earlier_pour_que() -> None:
    text = (
        "En tant que bénévole, je souhaite un espace pour que chacun dépose ses idées "
        "afin qu'on les retrouve"
    )
    assert triple(text)[1:] == ("un espace pour que chacun dépose ses idées", "on les retrouve")


def test_pour_que_wins_over_a_bare_pour() -> None:
    text = "En tant que bénévole, je voudrais un outil pour le planning pour que tout soit clair"
    assert triple(text)[1:] == ("un outil pour le planning", "tout soit clair")


def test_the_last_pour_followed_by_an_infinitive_is_the_benefit() -> None:
    text = "En tant que membre du CA, je souhaite un outil pour le planning pour gagner du temps"
    assert triple(text)[1:] == ("un outil pour le planning", "gagner du temps")


def test_a_pour_before_a_noun_stays_in_the_benefit() -> None:
    text = "en tant que benevole je voudrais un tableau pour suivre les dons pour l'épicerie"
    assert triple(text)[1:] == ("un tableau", "suivre les dons pour l'épicerie")


@pytest.mark.parametrize(
    ("tail", "benefit"),
    [
        ("pour les aider", "les aider"),
        ("pour mieux s'organiser", "mieux s'organiser"),
        ("pour n'oublier personne", "n'oublier personne"),
        ("pour y accéder de partout", "y accéder de partout"),
    ],
)
def test_pour_with_pronouns_or_adverbs_before_the_verb(tail: str, benefit: str) -> None:
    text = f"En tant que bénévole, je souhaite un accès pour les familles {tail}"
    assert triple(text)[1:] == ("un accès pour les familles", benefit)


def test_a_single_pour_before_a_noun_still_gives_a_benefit() -> None:
    # Accepted as written; looks_like_story is stricter about it.
    assert triple("En tant que bénévole, je souhaite être prévenu pour les réunions")[2] == (
        "les réunions"
    )


def test_a_pour_inside_the_role_is_not_the_benefit() -> None:
    text = "En tant que responsable pour la fête, je souhaite une liste pour les courses pour ne rien oublier"
    assert triple(text) == (
        "responsable pour la fête",
        "une liste pour les courses",
        "ne rien oublier",
    )


def test_words_starting_with_pour_are_not_connectors() -> None:
    result = parse_story("En tant que bénévole, je souhaite savoir pourquoi le pourcentage baisse")
    assert result.missing == ("benefit",)


# --- other orders --------------------------------------------------------------------------


def test_the_role_may_sit_in_an_incise_after_the_need_connector() -> None:
    text = "Je souhaiterais, en tant que trésorière, pouvoir exporter les comptes afin de gagner du temps"
    assert triple(text) == ("trésorière", "pouvoir exporter les comptes", "gagner du temps")


def test_the_benefit_may_come_between_role_and_need() -> None:
    text = "En tant que bénévole, afin de ne plus rater de tournée, je voudrais voir le planning"
    assert triple(text) == ("bénévole", "voir le planning", "ne plus rater de tournée")


def test_the_benefit_may_come_first() -> None:
    text = (
        "Afin que personne ne soit oublié, en tant qu'animateur je souhaite une liste des présents"
    )
    assert triple(text) == ("animateur", "une liste des présents", "personne ne soit oublié")


def test_a_greeting_before_the_story_is_ignored() -> None:
    text = "Bonjour à toutes et tous ! En tant que bénévole, je veux un badge afin d'être reconnu"
    assert triple(text) == ("bénévole", "un badge", "être reconnu")


def test_a_need_connector_in_the_preamble_is_skipped() -> None:
    text = (
        "Bonjour, je veux proposer une histoire : en tant que bénévole, je souhaite voir le "
        "planning afin de m'organiser"
    )
    parts = parts_of(text)
    assert (parts.role, parts.need, parts.need_connector) == (
        "bénévole",
        "voir le planning",
        "je souhaite",
    )


def test_en_tant_que_inside_the_need_is_not_a_role() -> None:
    result = parse_story("je souhaite être reconnue en tant que bénévole afin de me sentir utile")
    assert result.parts is None
    assert result.missing == ("role",)


def test_en_tant_que_inside_the_benefit_is_not_a_role() -> None:
    result = parse_story("je souhaite un badge afin d'être reconnue en tant que bénévole")
    assert result.missing == ("role",)
    assert result.draft.benefit == "être reconnue en tant que bénévole"


def test_a_second_en_tant_que_stays_in_the_need() -> None:
    text = "En tant que bénévole, je souhaite être reconnue en tant que membre afin de voter"
    assert triple(text) == ("bénévole", "être reconnue en tant que membre", "voter")


def test_je_veux_bien_is_not_a_need() -> None:
    result = parse_story("En tant que trésorière je veux bien m'en occuper pour demain")
    assert result.parts is None
    assert "need" in result.missing


# --- English -------------------------------------------------------------------------------


def test_an_english_story() -> None:
    text = "As a volunteer, I want to see the collection schedule on my phone so that I don't miss a round."
    parts = parts_of(text)
    assert (parts.role, parts.need, parts.benefit) == (
        "volunteer",
        "see the collection schedule on my phone",
        "I don't miss a round",
    )
    assert (parts.need_connector, parts.benefit_connector) == ("I want to", "so that")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "As an organiser I would like a shared calendar in order to avoid double bookings",
            ("organiser", "a shared calendar", "avoid double bookings"),
        ),
        (
            "as a treasurer, I’d like to export the accounts so as to save time",
            ("treasurer", "export the accounts", "save time"),
        ),
        (
            "As the treasurer, I need to export the accounts in order to save time",
            ("the treasurer", "export the accounts", "save time"),
        ),
        (
            "AS A MEMBER WE WANT A CHAT SO THAT WE TALK",
            ("MEMBER", "A CHAT", "WE TALK"),
        ),
    ],
)
def test_english_variants(text: str, expected: tuple[str, str, str]) -> None:
    assert triple(text) == expected


def test_french_as_a_with_an_accent_is_not_an_english_role() -> None:
    assert parse_story("Tu as à faire ? je souhaite un agenda afin de m'organiser").missing == (
        "role",
    )


# --- missing parts -------------------------------------------------------------------------


def test_a_story_without_role_names_the_role_as_missing() -> None:
    result = parse_story("je souhaite un outil afin que les bénévoles s'organisent")
    assert result.parts is None
    assert result.missing == ("role",)
    assert result.error is None


def test_a_story_without_need_connector_names_the_need_as_missing() -> None:
    result = parse_story("En tant que bénévole, un planning partagé afin de gagner du temps")
    assert result.missing == ("need",)


def test_a_story_without_benefit_names_the_benefit_as_missing() -> None:
    result = parse_story("En tant que bénévole, je souhaite un planning partagé.")
    assert result.missing == ("benefit",)
    assert result.draft.role == "bénévole"
    assert result.draft.need == "un planning partagé"


def test_an_ellipsis_is_not_a_benefit() -> None:
    assert parse_story("En tant que bénévole, je souhaite un outil afin que…").missing == (
        "benefit",
    )


def test_a_part_made_of_punctuation_counts_as_missing() -> None:
    result = parse_story("En tant que ... , je souhaite !!! afin que ?")
    assert result.parts is None
    assert result.missing == ("role", "need", "benefit")


def test_connectors_alone_miss_everything_they_introduce() -> None:
    assert parse_story("En tant que, je souhaite").missing == PART_NAMES


def test_ordinary_text_misses_all_three_parts() -> None:
    assert parse_story("Merci pour la réunion d'hier, à bientôt").missing == PART_NAMES


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_misses_all_three_parts(text: str) -> None:
    result = parse_story(text)
    assert (result.parts, result.missing, result.error) == (None, PART_NAMES, None)


# --- limits --------------------------------------------------------------------------------


def test_a_text_over_the_limit_is_too_long() -> None:
    text = "En tant que bénévole, je souhaite " + "x" * MAX_STORY_CHARS + " afin de voir"
    result = parse_story(text)
    assert (result.parts, result.error, result.limit, result.part) == (
        None,
        "too_long",
        MAX_STORY_CHARS,
        None,
    )


def test_a_text_exactly_at_the_limit_is_read() -> None:
    start = "En tant que bénévole, je souhaite " + "n" * 480 + " afin de "
    text = start + "b" * (MAX_STORY_CHARS - len(start))
    assert len(text) == MAX_STORY_CHARS
    result = parse_story(text)
    assert result.error is None and result.parts is not None


def test_a_part_over_its_limit_is_too_long_and_named() -> None:
    text = "En tant que bénévole, je souhaite " + "outil " * 90 + "afin de voir"
    result = parse_story(text)
    assert (result.parts, result.error, result.limit, result.part) == (
        None,
        "too_long",
        MAX_PART_CHARS,
        "need",
    )


# --- alignment of the folded text ----------------------------------------------------------


def test_characters_that_fold_longer_keep_the_parts_aligned() -> None:
    text = (
        "Großes Hallo ﬁnal ! En tant que responsable ﬁnancière de la Straße, je souhaite des "
        "ﬁchiers partagés afin que l'équipe gagne du temps"
    )
    assert triple(text) == (
        "responsable ﬁnancière de la Straße",
        "des ﬁchiers partagés",
        "l'équipe gagne du temps",
    )


def test_decomposed_accents_are_matched_and_kept() -> None:
    text = unicodedata.normalize(
        "NFD", "En tant que bénévole, je désire un agenda de manière à être prévenue"
    )
    parts = parts_of(text)
    assert parts.role == unicodedata.normalize("NFD", "bénévole")
    assert parts.benefit == unicodedata.normalize("NFD", "être prévenue")
    assert parts.benefit_connector == "de manière à"


def test_a_detached_line_of_themes_is_not_part_of_the_benefit() -> None:
    text = "En tant que bénévole je souhaite un outil afin de gagner du temps.\n\n#outils #hygiène"
    assert parts_of(text).benefit == "gagner du temps"


def test_several_hashtags_ending_the_text_are_labels_not_words() -> None:
    text = "En tant que bénévole je souhaite un outil afin de gagner du temps #outils #Numérique"
    assert parts_of(text).benefit == "gagner du temps"


def test_a_story_number_ending_the_text_is_kept() -> None:
    text = "En tant que bénévole je souhaite un outil afin de compléter l'histoire #12"
    assert parts_of(text).benefit == "compléter l'histoire #12"


def test_a_hashtag_inside_the_sentence_stays() -> None:
    text = "En tant que bénévole je souhaite un outil #numérique afin de mieux gérer le #planning"
    assert triple(text)[1:] == ("un outil #numérique", "mieux gérer le #planning")


@pytest.mark.parametrize(
    ("text", "benefit"),
    [
        (
            "En tant que bénévole je veux un planning afin de savoir qui vient. Merci !",
            "savoir qui vient",
        ),
        (
            "En tant que bénévole je veux un planning pour ne rien rater. Qu'en pensez-vous ?",
            "ne rien rater",
        ),
        ("En tant que bénévole je veux un planning afin de m'organiser.\n\nbises", "m'organiser"),
        (
            "En tant que bénévole je veux un planning afin que M. Dupont sache qui vient",
            "M. Dupont sache qui vient",
        ),
        (
            "En tant que bénévole je veux un planning afin de voir les ateliers, repas, etc. En "
            "un coup d'œil",
            "voir les ateliers, repas, etc. En un coup d'œil",
        ),
        (
            "En tant que bénévole je veux un planning afin de gagner du temps. #outils #planning",
            "gagner du temps",
        ),
    ],
)
def test_the_last_part_ends_with_its_sentence(text: str, benefit: str) -> None:
    assert parts_of(text).benefit == benefit


@pytest.mark.parametrize(
    ("text", "benefit"),
    [
        (
            "En tant que trésorière je souhaite un export pour gagner du temps #compta",
            "gagner du temps",
        ),
        (
            "En tant que trésorière je souhaite un export pour parler de #compta",
            "parler de #compta",
        ),
        (
            "En tant que trésorière je souhaite un export afin de clore l'histoire #12",
            "clore l'histoire #12",
        ),
    ],
)
def test_a_single_hashtag_ending_the_message_labels_it_unless_asked_for(
    text: str, benefit: str
) -> None:
    assert parts_of(text).benefit == benefit


# --- free-text detection -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "En tant que bénévole, je voudrais voir le planning sur mon téléphone pour ne plus rater de tournée",
        "- en tant qu'animatrice je souhaite un rappel afin que personne n'oublie",
        "« En tant que parent, j’aimerais un agenda partagé afin de m’organiser »",
        "> En tant que salariée je veux un espace commun pour que tout le monde s'y retrouve",
        "Bonjour ! En tant que bénévole, je veux un badge afin d'être reconnu",
        "As a volunteer, I want a schedule so that I plan my week",
        "Bonjour à toutes et à tous, petite question avant la réunion : en tant que bénévole, "
        "je souhaite un badge afin d'être reconnu",
        "Coucou ! Une idée qui me trotte dans la tête depuis la dernière AG. En tant que "
        "bénévole, j'aimerais recevoir le planning par SMS pour ne plus rater les permanences. "
        "Qu'en pensez-vous ?",
        "Suite à notre réunion d'hier soir, voilà mon idée\nEn tant que trésorière je voudrais "
        "exporter les cotisations afin de gagner du temps",
    ],
)
def test_free_text_stories_are_recognised(text: str) -> None:
    assert looks_like_story(text)


@pytest.mark.parametrize(
    "text",
    [
        "je souhaite bon courage à tous pour demain",
        "Je veux bien m'en occuper pour demain, en tant que trésorière",
        "En tant que trésorière je veux bien m'en occuper pour demain",
        "En tant que présidente, je veux vous remercier pour votre travail",
        "En tant que bénévole, je souhaite un planning",
        "On en parlait hier avec Marie et Paul au local, je me disais qu'en tant que bénévole "
        "je veux un planning afin de savoir qui vient",
        "Je souhaite, en tant que trésorière, que les comptes soient publiés afin d'être claire",
        "",
        "afin que",
    ],
)
def test_ordinary_chat_is_not_taken_for_a_story(text: str) -> None:
    assert not looks_like_story(text)


def test_a_too_long_message_is_not_taken_for_a_story() -> None:
    text = "En tant que bénévole, je souhaite un badge afin d'être reconnu " + "!" * MAX_STORY_CHARS
    assert not looks_like_story(text)


# --- rendering -----------------------------------------------------------------------------


def test_render_in_french_uses_the_story_s_connectors() -> None:
    parts = StoryParts(
        "bénévole", "voir le planning", "ne plus rater de tournée", "je voudrais", "pour"
    )
    assert render_story(parts, "fr") == (
        "En tant que bénévole, je voudrais voir le planning pour ne plus rater de tournée"
    )


def test_render_elides_before_a_vowel() -> None:
    parts = StoryParts("animatrice", "un rappel", "il soit utile", "je veux", "afin que")
    assert (
        render_story(parts, "fr")
        == "En tant qu'animatrice, je veux un rappel afin qu'il soit utile"
    )
    parts = StoryParts("habitante", "un accès", "éviter les mails", "j'ai besoin de", "afin de")
    assert (
        render_story(parts, "fr")
        == "En tant qu'habitante, j'ai besoin d'un accès afin d'éviter les mails"
    )


def test_render_defaults_are_je_souhaite_and_afin_que() -> None:
    parts = StoryParts("bénévole", "un badge", "tout le monde me reconnaisse")
    assert render_story(parts, "fr") == (
        "En tant que bénévole, je souhaite un badge afin que tout le monde me reconnaisse"
    )


def test_render_in_english_picks_the_article() -> None:
    parts = StoryParts("organiser", "a calendar", "I plan", "I want", "so that")
    assert render_story(parts, "en") == "As an organiser, I want a calendar so that I plan"
    parts = StoryParts("the treasurer", "to export", "save time", "I want", "in order to")
    assert render_story(parts, "en") == "As the treasurer, I want to export in order to save time"


def test_a_story_is_rendered_in_its_own_language_whatever_the_circle() -> None:
    parts = StoryParts("bénévole", "un badge", "être reconnu", "je souhaite", "afin de")
    assert (
        render_story(parts, "en")
        == "En tant que bénévole, je souhaite un badge afin d'être reconnu"
    )
    parts = StoryParts("member", "vote", "we decide", "I want to", "so that")
    assert render_story(parts, "fr") == "As a member, I want to vote so that we decide"


def test_render_falls_back_to_french_for_an_unknown_language() -> None:
    parts = StoryParts("bénévole", "un badge", "on me reconnaisse")
    assert render_story(parts, "de") == render_story(parts, "fr")


def test_a_rendered_story_parses_back_to_its_parts() -> None:
    parts = parts_of(
        "En tant qu'animatrice j’aimerais qu’on ait un agenda afin d'éviter les doublons"
    )
    assert parse_story(render_story(parts, "fr")).parts == parts


# --- guided dialogue -----------------------------------------------------------------------


def test_an_answer_completes_a_story_missing_its_benefit() -> None:
    draft = parse_story("En tant que trésorière, je veux exporter les comptes").draft
    result = answer_part(draft, "benefit", "Afin de gagner du temps.")
    assert result.parts == StoryParts(
        "trésorière", "exporter les comptes", "gagner du temps", "je veux", "afin de"
    )


def test_a_benefit_answer_without_connector_gets_one_by_its_form() -> None:
    draft = StoryDraft(role="trésorière", need="exporter les comptes")
    infinitive = answer_part(draft, "benefit", "gagner du temps")
    clause = answer_part(draft, "benefit", "le CA ait les chiffres")
    assert infinitive.parts is not None and infinitive.parts.benefit_connector == "afin de"
    assert clause.parts is not None and clause.parts.benefit_connector == "afin que"
    english = answer_part(draft, "benefit", "I save time", lang="en")
    assert english.parts is not None and english.parts.benefit_connector == "so that"


def test_answers_may_repeat_their_connector() -> None:
    draft = answer_part(StoryDraft(), "role", "En tant qu’animatrice").draft
    draft = answer_part(draft, "need", "que les rappels partent la veille").draft
    result = answer_part(draft, "benefit", "pour que personne n'oublie")
    assert result.parts == StoryParts(
        "animatrice",
        "les rappels partent la veille",
        "personne n'oublie",
        "je souhaite que",
        "pour que",
    )


def test_answers_fill_the_draft_one_by_one() -> None:
    first = answer_part(StoryDraft(), "role", "bénévole")
    assert (first.parts, first.missing) == (None, ("need", "benefit"))
    second = answer_part(first.draft, "need", "je voudrais un badge")
    assert second.missing == ("benefit",)
    assert second.draft.need_connector == "je voudrais"


def test_an_empty_answer_leaves_the_part_missing() -> None:
    result = answer_part(StoryDraft(role="bénévole"), "need", "  ... ")
    assert result.missing == ("need", "benefit")


def test_a_too_long_answer_is_refused() -> None:
    result = answer_part(StoryDraft(), "need", "x" * (MAX_PART_CHARS + 1))
    assert (result.error, result.limit, result.part) == ("too_long", MAX_PART_CHARS, "need")


def test_answer_part_refuses_an_unknown_part() -> None:
    with pytest.raises(ValueError):
        answer_part(StoryDraft(), "why", "because")


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=300)
@given(st.text(max_size=1200))
def test_parse_story_never_raises_and_never_gives_an_empty_part(text: str) -> None:
    result = parse_story(text)
    assert set(result.missing) <= set(PART_NAMES)
    assert list(result.missing) == [name for name in PART_NAMES if name in result.missing]
    if result.parts is not None:
        assert result.missing == () and result.error is None
        for part in (result.parts.role, result.parts.need, result.parts.benefit):
            assert part == part.strip() and any(ch.isalnum() for ch in part)
            assert len(part) <= MAX_PART_CHARS
    looks_like_story(text)


_CONNECTOR_WORDS = set(
    fold(
        "en tant temps entant que qu de d j je nous on souhaite souhaiterais souhaiterai "
        "souhaiterait souhaitons souhaiterions veux veut voulons voudrais voudrai voudrait "
        "voudrions aimerais aimerai aimerait aimerions desire desirerais desirerai desirerait "
        "desirons ai a avons aurais aurai aurait aurions besoin bien afin pour sorte facon "
        "maniere ce dans le but as an the i we want would like love wish need so that in order "
        "to"
    ).split()
)
_LETTERS = "abcdefghilmnoprstuvzéèêàçôœßﬁÉÀ"
_WORDS = st.text(alphabet=_LETTERS, min_size=2, max_size=9).filter(
    lambda word: fold(word) not in _CONNECTOR_WORDS
)
_PHRASES = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join)


@given(_PHRASES, _PHRASES, _PHRASES)
def test_a_composed_story_parses_back_to_its_parts(role: str, need: str, benefit: str) -> None:
    result = parse_story(f"En tant que {role}, je souhaite {need} afin que {benefit}")
    assert result.parts is not None
    assert (result.parts.role, result.parts.need, result.parts.benefit) == (role, need, benefit)


@given(
    _PHRASES,
    _PHRASES,
    _PHRASES,
    st.sampled_from(
        ["je souhaite", "je veux que", "j'aimerais", "nous souhaitons", "j'ai besoin de"]
    ),
    st.sampled_from(["afin que", "afin de", "pour que", "de sorte que", "pour", "de manière à"]),
)
def test_a_rendered_story_always_parses_back(
    role: str, need: str, benefit: str, need_connector: str, benefit_connector: str
) -> None:
    parts = StoryParts(role, need, benefit, need_connector, benefit_connector)
    # Rendering fits the parts to their connectors (« afin que » + subjunctive…): what parses
    # back is exactly the rendered parts.
    assert parse_story(render_story(parts, "fr")).parts == rendered_parts(parts, "fr")


@pytest.mark.parametrize(
    ("answer", "role"),
    [
        ("une bénévole de la ressourcerie", "bénévole de la ressourcerie"),
        ("Je suis trésorière", "trésorière"),
        ("l'animatrice du jardin", "animatrice du jardin"),
        ("Moi, je suis la présidente", "présidente"),
        ("I am a volunteer", "volunteer"),
        ("bénévole", "bénévole"),
        ("Un", "Un"),
    ],
)
def test_a_guided_role_answer_loses_its_article_and_je_suis(answer: str, role: str) -> None:
    assert answer_part(StoryDraft(), "role", answer).draft.role == role
