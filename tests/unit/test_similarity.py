"""« Cette histoire ressemble à #4 »: paraphrases caught, stories that merely share words not
flagged, at the threshold chosen on the evaluation set (bench/themes_eval.py)."""

from __future__ import annotations

from bench.themes_eval import PARTS, load_eval_set, pair_scores, pair_sets, precision_recall
from bot.domain.postit_terms import stem, terms
from bot.domain.similarity import (
    BACKGROUND_FILE,
    SIMILAR_THRESHOLD,
    inverse_frequencies,
    similar_stories,
    similarity,
    text_bag,
)

DATA = load_eval_set()


def score(a: str, b: str) -> float:
    bag_a, bag_b = text_bag(a), text_bag(b)
    return similarity(bag_a, bag_b, inverse_frequencies([bag_a, bag_b]))


def test_no_pair_that_merely_shares_words_is_flagged() -> None:
    _, other = pair_scores(DATA)
    assert max(other) < SIMILAR_THRESHOLD


def test_every_flag_on_the_tuned_pairs_is_right_and_a_quarter_are_caught() -> None:
    same, other = pair_scores(DATA)
    precision, recall = precision_recall(same, other, SIMILAR_THRESHOLD)
    assert precision == 1.0 and recall >= 0.25


def test_a_paraphrase_with_abbreviations_and_synonyms_is_caught() -> None:
    first, again = DATA.paraphrases[2]  # CR des réunions vs comptes rendus des rdv
    assert "CR" in first and "comptes rendus" in again
    [found] = similar_stories(text_bag(again), [(4, text_bag(first))])
    assert found.number == 4


def test_a_young_circle_judges_a_pair_as_a_mature_one_does() -> None:
    """The background post-its weigh words before the circle has written much: the same pair
    scores nearly alike alone in a room and among a circle's 23 post-its."""
    for part in PARTS:
        alone, alone_other = pair_scores(DATA, part, "alone")
        among, among_other = pair_scores(DATA, part, "circle")
        for x, y in zip(alone + alone_other, among + among_other, strict=True):
            assert abs(x - y) < 0.1


def test_the_background_is_shipped_and_counts() -> None:
    lines = BACKGROUND_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 100 and all(lines)
    bag = text_bag("En tant que bénévole je veux voir le planning des permanences")
    with_background = inverse_frequencies([bag])
    without = inverse_frequencies([bag], background=False)
    assert with_background[stem("benevoles")] < with_background[stem("permanences")]
    assert without[stem("benevoles")] == without[stem("permanences")]


def test_the_same_need_with_another_object_is_not_flagged() -> None:
    a = "En tant que chargé d'accueil je veux voir quand la grande salle est libre"
    b = "En tant que chargé d'accueil je veux voir quand le minibus de l'asso est libre"
    assert similar_stories(text_bag(b), [(1, text_bag(a))]) == []


def test_a_misspelt_word_still_matches() -> None:
    right = "En tant que trésorière je veux ranger les factures des fournisseurs"
    wrong = "En tant que trésoriere je veux ranger les facturres des fourniseurs"
    assert score(right, wrong) > 0.9


def test_abbreviations_slashes_and_accents_are_read_as_words() -> None:
    assert [t.stem for t in terms("CR des rdv/réunions de l'asso")] == ["cr", "reunion", "reunion"]
    assert stem("benevoles") == stem("bénévoles") == stem("volontaires")
    assert stem("courriel") == stem("mails")


def test_a_text_sharing_no_word_scores_zero() -> None:
    assert score("la photocopieuse est en panne", "les clés du local sont perdues") == 0.0


def test_a_noun_and_its_verb_or_a_true_synonym_are_one_word() -> None:
    def stems(text: str) -> set[str]:
        return {t.stem for t in terms(text)}

    assert len(stems("prévenue averti notification alerter alertés")) == 1
    assert len(stems("inscrire inscrits inscription")) == 1
    assert stems("convoquer") == stems("convocations") and stems("signature") == stems("signer")
    assert stems("attestations") == stems("reçus") and stems("photos") == stems("visuel")


def test_every_held_out_part_is_loaded_and_apart_from_the_tuned_pairs() -> None:
    tuned = set(DATA.paraphrases + DATA.shared_words)
    for part in PARTS[1:]:
        same, other = pair_sets(DATA, part)
        assert len(same) >= 8 and len(other) >= 8
        assert not tuned & set(same + other)
