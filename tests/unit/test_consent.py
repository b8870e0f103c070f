"""The consent rule: answers, reasons, rounds, the quorum and the outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.consent import (
    Answer,
    ConsentAnswer,
    ConsentError,
    ConsentState,
    Outcome,
    Quorum,
    cited_stories,
    consent_state,
    is_answer,
    latest_answers,
    parse_answer,
)

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STRUCTURES = {"Ressourcerie": ["@bruno", "@chloe"], "Repair Café": ["@emma"]}
_count = 0


def given(
    member: str,
    answer: Answer,
    reason: str | None = None,
    round_: int = 1,
    minutes: int = 0,
) -> ConsentAnswer:
    global _count
    _count += 1
    at = START + timedelta(minutes=minutes)
    return ConsentAnswer(member, answer, reason, round_, at, f"$e{_count:04d}")


def state(
    answers: list[ConsentAnswer], round_: int = 1, quorum: Quorum | None = None
) -> ConsentState:
    return consent_state(answers, round_, STRUCTURES, quorum or Quorum())


# ---- reading an answer ----
@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("d'accord", Answer.AGREE),
        ("D’accord !", Answer.AGREE),
        ("d' accord", Answer.AGREE),
        ("ok", Answer.AGREE),
        ("agree", Answer.AGREE),
        ("Abstention", Answer.ABSTAIN),
        ("abstain", Answer.ABSTAIN),
    ],
)
def test_answers_without_reason_are_read_in_french_and_english(text: str, answer: Answer) -> None:
    assert parse_answer(text, blocking_allowed=False)[0] is answer


def test_an_objection_keeps_its_reason() -> None:
    assert parse_answer("objection : trop cher  pour nous", False) == (
        Answer.OBJECT,
        "trop cher pour nous",
    )


@pytest.mark.parametrize("text", ["objection", "objection   ", "objection ?!", "object ok"])
def test_an_objection_without_a_reason_is_refused(text: str) -> None:
    with pytest.raises(ConsentError) as refused:
        parse_answer(text, blocking_allowed=False)
    assert refused.value.code == "no_reason"


def test_a_block_is_refused_where_the_circle_does_not_allow_it() -> None:
    with pytest.raises(ConsentError) as refused:
        parse_answer("blocage contraire à nos statuts", blocking_allowed=False)
    assert refused.value.code == "blocking_off"


def test_a_block_needs_a_reason_where_it_is_allowed() -> None:
    assert parse_answer("blocage contraire à nos statuts", True)[0] is Answer.BLOCK
    with pytest.raises(ConsentError) as refused:
        parse_answer("blocage", blocking_allowed=True)
    assert refused.value.code == "no_reason"


def test_an_unknown_word_is_named() -> None:
    with pytest.raises(ConsentError) as refused:
        parse_answer("peut-être", False)
    assert refused.value.code == "unknown_answer" and refused.value.data["word"] == "peut-être"


def test_a_reason_too_long_is_refused() -> None:
    with pytest.raises(ConsentError) as refused:
        parse_answer("objection " + "trop " * 200, False)
    assert refused.value.code == "reason_too_long"


# ---- replaced answers and rounds ----
def test_a_new_answer_replaces_the_old() -> None:
    answers = [given("@bruno", Answer.OBJECT, "trop tôt"), given("@bruno", Answer.AGREE, minutes=5)]
    assert latest_answers(answers, 1)["@bruno"].answer is Answer.AGREE
    assert state(answers).of(Answer.OBJECT) == []


def test_answers_given_together_are_ordered_by_event_id() -> None:
    first = given("@bruno", Answer.AGREE)
    second = given("@bruno", Answer.ABSTAIN)  # same minute, later event id
    assert latest_answers([second, first], 1)["@bruno"] is second


def test_an_earlier_round_no_longer_counts() -> None:
    answers = [
        given("@bruno", Answer.OBJECT, "trop cher", round_=1),
        given("@emma", Answer.AGREE, round_=1),
        given("@chloe", Answer.AGREE, round_=2, minutes=60),
    ]
    second = state(answers, round_=2)
    assert set(second.counted) == {"@chloe"}
    assert second.missing_structures == ["Repair Café"]
    assert state(answers, round_=1).outcome is Outcome.REWORK


def test_a_pending_objection_counts_for_nothing_until_its_reason_comes() -> None:
    agreed = given("@bruno", Answer.AGREE)
    pending = given("@bruno", Answer.OBJECT, None, minutes=1)
    now = state([agreed, pending, given("@emma", Answer.AGREE)])
    assert set(now.pending) == {"@bruno"} and "@bruno" not in now.counted
    assert now.missing_structures == ["Ressourcerie"]  # the earlier « d'accord » is replaced
    reasoned = given("@bruno", Answer.OBJECT, "pas avant l'AG", minutes=2)
    assert state([agreed, pending, reasoned]).of(Answer.OBJECT) == [reasoned]


# ---- the outcome ----
def test_adopted_when_every_structure_answered_without_objection() -> None:
    answers = [given("@bruno", Answer.AGREE), given("@emma", Answer.ABSTAIN)]
    assert state(answers).outcome is Outcome.ADOPTED


def test_not_adopted_while_a_structure_has_not_answered() -> None:
    answers = [given("@bruno", Answer.AGREE), given("@chloe", Answer.AGREE)]
    result = state(answers)
    assert result.outcome is Outcome.NO_QUORUM and result.missing_structures == ["Repair Café"]


def test_an_objection_sends_the_proposal_back_to_work_even_with_the_quorum() -> None:
    answers = [
        given("@bruno", Answer.AGREE),
        given("@emma", Answer.OBJECT, "pas de budget"),
    ]
    assert state(answers).outcome is Outcome.REWORK


def test_a_block_wins_over_objections() -> None:
    answers = [
        given("@bruno", Answer.OBJECT, "pas de budget"),
        given("@emma", Answer.BLOCK, "contraire aux statuts"),
    ]
    assert state(answers).outcome is Outcome.BLOCKED


def test_without_structures_one_answer_is_the_quorum() -> None:
    assert consent_state([], 1, {}, Quorum()).outcome is Outcome.NO_QUORUM
    one = [given("@zoe", Answer.AGREE)]
    assert consent_state(one, 1, {}, Quorum()).outcome is Outcome.ADOPTED


def test_a_structure_without_members_is_not_waited_for() -> None:
    answers = [given("@bruno", Answer.AGREE)]
    structures = {"Ressourcerie": ["@bruno"], "Partie": []}
    assert consent_state(answers, 1, structures, Quorum()).outcome is Outcome.ADOPTED


def test_a_quorum_of_people_counts_answers_of_anyone() -> None:
    answers = [given("@bruno", Answer.AGREE), given("@chloe", Answer.ABSTAIN)]
    assert state(answers, quorum=Quorum(2)).outcome is Outcome.ADOPTED
    assert state(answers, quorum=Quorum(3)).outcome is Outcome.NO_QUORUM


def test_a_pending_objection_does_not_make_the_quorum() -> None:
    answers = [given("@bruno", Answer.AGREE), given("@emma", Answer.OBJECT, None)]
    result = state(answers)
    assert result.outcome is Outcome.NO_QUORUM and result.missing_structures == ["Repair Café"]


@pytest.mark.parametrize(
    ("value", "people"), [("structures", None), (" Structures ", None), (4, 4)]
)
def test_the_quorum_setting_is_read(value: object, people: int | None) -> None:
    assert Quorum.parse(value).people == people


@pytest.mark.parametrize("value", [0, -1, True, "moitié", 2.5, None])
def test_a_bad_quorum_setting_is_refused(value: object) -> None:
    with pytest.raises(ValueError):
        Quorum.parse(value)


def test_cited_stories_are_read_once_each_in_order() -> None:
    assert cited_stories("Adopter #12 et #3 (voir #12), #planning, &#39;") == [12, 3]


def test_an_answer_is_told_from_a_text() -> None:
    assert is_answer("objection") and is_answer("d'accord merci") and is_answer("blocage")
    assert not is_answer("réunions par mois")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("d accord", Answer.AGREE),  # a phone without its apostrophe
        ("je suis d’accord", Answer.AGREE),
        ("je m'abstiens", Answer.ABSTAIN),
        ("je m’oppose : pas de salle ce soir-là", Answer.OBJECT),
    ],
)
def test_answers_said_as_people_say_them(typed: str, expected: Answer) -> None:
    assert parse_answer(typed, blocking_allowed=False)[0] is expected
