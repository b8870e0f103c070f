"""Blockers and story ideas spotted in check-in answers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.checkin_answers import Findings, answers_findings


def test_lines_starting_with_a_blocker_word_are_blockers() -> None:
    findings = answers_findings(
        [
            "Frein : pas de salle le soir",
            "- le manque de temps\n- Bloqué par l'outil de visio",
            "Difficile de motiver les bénévoles",
            "Problème de connexion à la maison",
        ]
    )
    assert findings.blockers == [
        "pas de salle le soir",
        "le manque de temps",
        "Bloqué par l'outil de visio",
        "Difficile de motiver les bénévoles",
        "Problème de connexion à la maison",
    ]
    assert findings.story_ideas == []


def test_stories_and_wishes_are_story_ideas() -> None:
    findings = answers_findings(
        [
            "En tant que trésorière, je souhaite un export afin de préparer l'AG",
            "J’aimerais un agenda partagé\nje souhaite recevoir les dates par mail",
            "As a volunteer I would like a calendar",
            "Il faudrait un annuaire des structures",
        ]
    )
    assert findings.story_ideas == [
        "En tant que trésorière, je souhaite un export afin de préparer l'AG",
        "J’aimerais un agenda partagé",
        "je souhaite recevoir les dates par mail",
        "As a volunteer I would like a calendar",
        "Il faudrait un annuaire des structures",
    ]
    assert findings.blockers == []


def test_a_heading_alone_makes_the_next_lines_of_its_paragraph_findings() -> None:
    answer = (
        "Météo du mois : nuageux\n"
        "Ce qui me bloque :\n"
        "- les réunions trop longues\n"
        "- l'accès au drive\n"
        "\n"
        "Un usage que j'aimerais :\n"
        "1. un annuaire des structures\n"
        "2. une carte des lieux\n"
        "\n"
        "Merci à tous !"
    )
    assert answers_findings([answer]) == Findings(
        blockers=["les réunions trop longues", "l'accès au drive"],
        story_ideas=["un annuaire des structures", "une carte des lieux"],
    )


def test_answers_numbered_like_the_questions_take_their_kind() -> None:
    answer = (
        "1. Nuageux ☁️\n"
        "2. On a testé le drive partagé\n"
        "3. Pas de salle le soir pour les réunions\n"
        "4) Un agenda commun aux trois assos"
    )
    assert answers_findings([answer]) == Findings(
        blockers=["Pas de salle le soir pour les réunions"],
        story_ideas=["Un agenda commun aux trois assos"],
    )


def test_a_question_number_alone_opens_its_section() -> None:
    answer = "3.\nles bénévoles n'ont pas de compte\n\nles horaires"
    assert answers_findings([answer]).blockers == ["les bénévoles n'ont pas de compte"]


def test_the_question_emojis_mark_answers_too() -> None:
    answer = "🌦️ grand soleil\n🧱 personne pour tenir la permanence\n💡 une liste de diffusion"
    assert answers_findings([answer]) == Findings(
        blockers=["personne pour tenir la permanence"],
        story_ideas=["une liste de diffusion"],
    )


def test_a_finding_inside_a_paragraph_is_found_sentence_by_sentence() -> None:
    answer = (
        "Super mois, on a lancé la permanence du jeudi ! Par contre on bloque sur les "
        "inscriptions en ligne. Et il faudrait un outil simple pour les bénévoles."
    )
    assert answers_findings([answer]) == Findings(
        blockers=["On bloque sur les inscriptions en ligne."],
        story_ideas=["Il faudrait un outil simple pour les bénévoles."],
    )


def test_a_story_under_a_blocker_heading_is_a_story_idea() -> None:
    answer = "Ce qui me bloque :\nen tant que bénévole je souhaite un planning"
    findings = answers_findings([answer])
    assert findings.story_ideas == ["en tant que bénévole je souhaite un planning"]
    assert findings.blockers == []


def test_answers_that_say_nothing_are_skipped() -> None:
    findings = answers_findings(
        ["Ce qui me bloque : rien de spécial", "Frein : RAS", "Freins: -", "3. rien", "🧱 aucun"]
    )
    assert findings == Findings()


def test_ordinary_lines_are_not_findings() -> None:
    findings = answers_findings(
        [
            "Soleil ☀️",
            "J'ai testé Nextcloud, super",
            "Rien ne presse",
            "1. Très bien merci\n2. La réunion de 10:00 avec 3.5 jours de préparation",
            "Rien ne nous bloque en ce moment. Merci !",
        ]
    )
    assert findings == Findings()


def test_the_same_finding_is_kept_once() -> None:
    findings = answers_findings(["Manque de temps", "manque de temps", "MANQUE DE TEMPS !"])
    assert findings.blockers == ["Manque de temps"]


def test_no_answers_no_findings() -> None:
    assert answers_findings([]) == Findings()


@given(st.lists(st.text(max_size=300), max_size=5))
def test_any_answers_give_findings_taken_from_them(answers: list[str]) -> None:
    findings = answers_findings(answers)
    everything = "\n".join(answers)
    for text in findings.blockers + findings.story_ideas:
        # taken as written, but for a capital where a link word (« mais … ») went
        assert text and (text in everything or text[1:] in everything)


def test_numbered_answers_on_one_line_are_split_at_their_numbers() -> None:
    answer = (
        "1. ça va 2. on a testé le camion partagé 3. les bénévoles ne lisent pas leurs mails "
        "4. un groupe de discussion pour les bénévoles"
    )
    assert answers_findings([answer]) == Findings(
        blockers=["les bénévoles ne lisent pas leurs mails"],
        story_ideas=["un groupe de discussion pour les bénévoles"],
    )
    assert answers_findings(["2. on était 3. Super soirée"]) == Findings()


def test_a_sentence_found_in_a_paragraph_loses_its_link_word() -> None:
    findings = answers_findings(["Plutôt bien ! Par contre on galère à trouver des bénévoles."])
    assert findings.blockers == ["On galère à trouver des bénévoles."]
