"""shorten(): lists, charts and exports cut texts between words."""

import pytest

from bot.domain.shortening import shorten


def test_a_text_that_fits_is_returned_whole() -> None:
    assert shorten("un agenda partagé", 17) == "un agenda partagé"


def test_the_cut_falls_between_words() -> None:
    text = "En tant que bénévole, je souhaite un agenda afin de ne plus rater les réunions"
    assert shorten(text, 60) == "En tant que bénévole, je souhaite un agenda…"


def test_a_word_is_never_cut_in_the_middle() -> None:
    assert shorten("afin de ne plus rater les réunions", 20) == "afin de ne plus…"


def test_no_dangling_connector_before_the_ellipsis() -> None:
    assert shorten("je souhaite que les comptes rendus soient rangés", 20) == "je souhaite…"
    assert shorten("un tableau afin qu'on sache quoi proposer", 20) == "un tableau…"
    assert shorten("un outil pour la gestion des dons", 22) == "un outil…"


def test_an_elided_word_stays_whole() -> None:
    assert shorten("un agenda afin qu'on sache quoi faire demain", 25) == "un agenda afin qu'on…"


def test_english_connectors_do_not_dangle_either() -> None:
    assert shorten("a shared calendar so that the volunteers know", 24) == "a shared calendar…"


def test_punctuation_before_the_ellipsis_goes() -> None:
    assert shorten("En tant que trésorière, je souhaite exporter", 25) == "En tant que trésorière…"


def test_a_first_word_longer_than_the_limit_is_cut_inside() -> None:
    assert shorten("https://example.org/a/very/long/path", 10) == "https://e…"


def test_whitespace_collapses() -> None:
    assert shorten("un  agenda\npartagé", 30) == "un agenda partagé"


@pytest.mark.parametrize("limit", [1, 2, 5, 11, 40])
def test_the_result_never_exceeds_the_limit(limit: int) -> None:
    text = "de la part des bénévoles, afin que les comptes rendus soient rangés"
    assert len(shorten(text, limit)) <= limit


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        shorten("abc", 0)


def test_a_negation_waiting_for_its_verb_is_dropped() -> None:
    assert shorten("un tableau pour ne plus rater les réunions", 27) == "un tableau…"
    assert shorten("un tableau pour ne plus rater les réunions", 30) == (
        "un tableau pour ne plus rater…"
    )
